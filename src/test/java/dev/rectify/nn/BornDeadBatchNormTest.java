package dev.rectify.nn;

import dev.rectify.data.Dataset;
import dev.rectify.data.Digits;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With batch norm between the dense layer and the activation, a unit is born dead only if it is dead after normalization. */
class BornDeadBatchNormTest {
    static Trainer trainer(boolean batchNorm) {
        Network net = Network.builder(64, 64, 10).batchNorm(batchNorm).bias(Init.Bias.constant(-3)).seed(11)
                .kernels(TrainerTest.GEMM, TrainerTest.K).build();
        return Trainer.builder(net, Loss.softmaxCrossEntropy(TrainerTest.K), Optimizer.sgd(0.01))
                .batchSize(64).seed(1).build();
    }

    @Test
    void beforeTheFirstStepBatchNormUsesTheDatasStatisticsAndLeavesItsRunningOnesAlone() {
        Dataset d = Digits.load();
        Trainer plain = trainer(false);
        assertTrue(plain.bornDead(d).dead() > 32, "a bias of -3 kills most units without batch norm: " + plain.bornDead(d).dead());
        Trainer normed = trainer(true);
        BatchNorm bn = (BatchNorm) normed.network().layers().stream().filter(l -> l instanceof BatchNorm).findFirst().orElseThrow();
        float[] mean = bn.runningMean().clone(), var = bn.runningVar().clone();
        Trainer.DeadCheck c = normed.bornDead(d);
        assertEquals(0, c.dead(), "normalized by the data, every non-constant unit is positive on some sample");
        assertArrayEquals(mean, bn.runningMean());
        assertArrayEquals(var, bn.runningVar());
        // With the running statistics still at 0 and 1, inference mode would have kept the bias: most units dead.
        assertTrue(InferencePass.countInactive(InferencePass.activity(normed.network(), d, 64).everActive())[0] > 32);
    }
}
