package dev.rectify.nn;

import dev.rectify.data.Dataset;
import dev.rectify.data.Digits;
import dev.rectify.diagnostics.DeadUnitMonitor;
import dev.rectify.kernels.Eltwise;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static dev.rectify.nn.TrainerTest.GEMM;
import static dev.rectify.nn.TrainerTest.K;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dying-ReLU claims, reproduced on the embedded digits set (64-128-128-10, plain SGD, batch 32, 10 epochs,
 * seeds 1 and 2). The exact figures depend on the kernel path (the 128-bit species sums in a different order
 * and its exp differs in the last bit), so the thresholds are set from runs on scalar, 256- and 512-bit SIMD
 * (identical bits) and 128-bit SIMD, seeds 1 to 4, and quoted at each assertion:
 * <ul>
 * <li>lr 1.0 with gradient clipping at norm 5: ReLU ends with 36%/47% of its hidden units dead (128-bit: 39%/27%;
 *     over seeds 1-4 and all paths 27% to 47%); Leaky ReLU, PReLU and ELU have none dead (they cannot be).
 *     PReLU and ELU leave at most 4.3% of units dormant. Leaky ReLU with slope 0.01 leaves 18% to 54% dormant,
 *     as many as ReLU kills: its units still receive gradient, but a hundredth of it, so the test claims no
 *     more for it than "none dead".</li>
 * <li>lr 0.05: ReLU ends with 2.3% and 3.1% to 3.5% dead (5.5% with seed 4).</li>
 * <li>lr 1.0 without clipping: PReLU diverges with seeds 1-4 on every path (reported, not silent); ReLU ends
 *     with 44% to 88% dead, and with batch norm 0%.</li>
 * </ul>
 */
class RemediesTest {
    static final Dataset.Split DIGITS = Digits.load().split(0.25, 1);

    static EpochRecord last(UnaryOperator<Network.Builder> shape, double lr, double clipNorm, long seed) {
        Network net = shape.apply(Network.builder(64, 128, 128, 10).seed(seed).kernels(GEMM, K)).build();
        List<EpochRecord> h = Trainer.builder(net, Loss.softmaxCrossEntropy(K), Optimizer.sgd(lr))
                .batchSize(32).seed(seed).clipNorm(clipNorm).listener(new DeadUnitMonitor()).build()
                .fit(DIGITS.train(), DIGITS.test(), 10, null);
        return h.get(h.size() - 1);
    }

    @Test
    void aTooHighLearningRateKillsReluUnitsWhileLeakyPreluAndEluStayAlive() {
        double reluDead = 0;
        for (long seed = 1; seed <= 2; seed++) {
            EpochRecord relu = last(b -> b.activation(Eltwise.relu()), 1.0, 5, seed);
            reluDead += relu.deadFraction() / 2;
            EpochRecord safe = last(b -> b.activation(Eltwise.relu()), 0.05, 5, seed);
            assertTrue(safe.deadFraction() < 0.06, "ReLU at lr 0.05, seed " + seed + ": dead " + safe.deadFraction());
            EpochRecord leaky = last(b -> b.activation(Eltwise.leakyRelu()), 1.0, 5, seed);
            assertEquals(0, leaky.deadFraction(), "Leaky ReLU at lr 1.0, seed " + seed + ": no unit is dead");
            for (var remedy : List.<UnaryOperator<Network.Builder>>of(
                    b -> b.prelu(PRelu.DEFAULT_INITIAL_SLOPE), b -> b.activation(Eltwise.elu()))) {
                EpochRecord r = last(remedy, 1.0, 5, seed);
                String what = r.layers().get(0).kind() + " at lr 1.0, seed " + seed;
                assertEquals(0, r.deadFraction(), what + ": no unit is dead");
                assertTrue(r.dormantFraction() < 0.08, what + ": dormant " + r.dormantFraction());
            }
        }
        assertTrue(reluDead > 0.25, "ReLU at lr 1.0: mean dead fraction over seeds 1 and 2 is " + reluDead);
    }

    @Test
    void withoutClippingPreluDivergesAndSaysWhere() {
        for (long seed = 1; seed <= 2; seed++) {
            final long s = seed;
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> last(b -> b.prelu(PRelu.DEFAULT_INITIAL_SLOPE), 1.0, 0, s));
            assertTrue(e.getMessage().contains("epoch " + e.epoch() + ", batch " + e.batch()), e.getMessage());
        }
    }

    @Test
    void batchNormKeepsReluUnitsAliveAtAHighLearningRate() {
        for (long seed = 1; seed <= 2; seed++) {
            EpochRecord plain = last(b -> b.activation(Eltwise.relu()), 1.0, 0, seed);
            EpochRecord bn = last(b -> b.activation(Eltwise.relu()).batchNorm(true), 1.0, 0, seed);
            assertTrue(plain.deadFraction() > 0.25, "without batch norm, seed " + seed + ": dead " + plain.deadFraction());
            assertTrue(bn.deadFraction() < 0.03, "with batch norm, seed " + seed + ": dead " + bn.deadFraction());
        }
    }
}
