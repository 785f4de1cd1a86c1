package dev.rectify.nn;

import dev.rectify.data.Dataset;
import dev.rectify.data.Digits;
import dev.rectify.diagnostics.DeadUnitMonitor;
import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Algorithm;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.Kernels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class TrainerTest {
    static final Gemm GEMM = Kernels.gemm().withParallelism(1);
    static final ActivationKernels K = Kernels.activations();

    static Dataset randomClassification(int rows, int features, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * features];
        int[] y = new int[rows];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < rows; i++) y[i] = r.nextInt(classes);
        return Dataset.classification("random", x, features, y, classes);
    }

    /** Loss of the network on (x, labels or targets), in double from the float forward pass. */
    static double loss(Network net, Loss loss, float[] x, int batch, int[] labels, float[] targets) {
        float[] out = net.forward(x, batch, true);
        return loss.lossAndGradient(out, batch, net.outputs(), labels, 0, targets, 0, new float[batch * net.outputs()]);
    }

    /** Where some activation of the library has a kink: 0 (ReLU family, SELU), +-1 (hard tanh), +-3 (hard sigmoid/swish), 6. */
    static final float[] KINKS = {0f, 1f, -1f, 3f, -3f, 6f};

    /** Every hidden pre-activation of the last forward pass, concatenated. */
    static float[] preActivations(Network net, int batch) {
        List<Network.Hidden> hidden = net.hidden();
        int n = 0;
        for (Network.Hidden h : hidden) n += batch * h.units().outputs();
        float[] z = new float[n];
        int at = 0;
        for (Network.Hidden h : hidden) {
            System.arraycopy(h.units().preActivations(), 0, z, at, batch * h.units().outputs());
            at += batch * h.units().outputs();
        }
        return z;
    }

    static boolean crossesKink(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            for (float k : KINKS) {
                if ((a[i] > k) != (b[i] > k)) return true;
            }
        }
        return false;
    }

    /**
     * Central differences in float with step h: each checked parameter is moved by +-h and the loss re-evaluated.
     * The error of the difference quotient is O(h^2) times the third derivative plus the loss's float rounding
     * (~1e-7 relative) / h; with h = 1e-3 on losses of order 1 that is well under the 1e-3 absolute + 2% relative
     * tolerance used. A perturbation that moves some pre-activation across a kink has no derivative to compare
     * with and is skipped; at most a fifth of the checks may be skipped, so the test cannot pass by skipping.
     */
    static void checkGradients(String what, Network net, Loss lossFn, float[] x, int batch, int[] labels, float[] targets) {
        float[] g = new float[batch * net.outputs()];
        float[] out = net.forward(x, batch, true);
        lossFn.lossAndGradient(out, batch, net.outputs(), labels, 0, targets, 0, g);
        net.backward(g, batch);
        final float h = 1e-3f;
        int checked = 0, skipped = 0;
        for (Param p : net.params()) {
            float[] analytic = p.grad().clone();
            for (int i = 0; i < p.size(); i += Math.max(1, p.size() / 23)) {
                float w = p.value[i];
                p.value[i] = w + h;
                double up = loss(net, lossFn, x, batch, labels, targets);
                float[] zUp = preActivations(net, batch);
                p.value[i] = w - h;
                double down = loss(net, lossFn, x, batch, labels, targets);
                float[] zDown = preActivations(net, batch);
                p.value[i] = w;
                if (crossesKink(zUp, zDown)) {
                    skipped++;
                    continue;
                }
                checked++;
                double fd = (up - down) / ((double) (w + h) - (w - h));
                double err = Math.abs(fd - analytic[i]);
                if (err > 1e-3 + 0.02 * Math.max(Math.abs(fd), Math.abs(analytic[i]))) {
                    fail(what + ": " + p.name() + "[" + i + "] analytic " + analytic[i] + " vs finite difference " + fd);
                }
            }
        }
        assertTrue(skipped * 4 <= checked, what + ": " + skipped + " checks skipped at kinks, " + checked + " done");
    }

    @Test
    void gradientsMatchFiniteDifferencesForSmoothActivations() {
        Algorithm[] smooth = {Algorithm.TANH, Algorithm.SIGMOID, Algorithm.ELU, Algorithm.SELU, Algorithm.CELU,
                Algorithm.GELU_ERF, Algorithm.GELU_TANH, Algorithm.SILU, Algorithm.MISH, Algorithm.SOFTPLUS};
        Dataset d = randomClassification(9, 5, 3, 1);
        float[] targets = new float[9 * 3];
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < targets.length; i++) targets[i] = (float) r.nextGaussian();
        for (Algorithm a : smooth) {
            Network ce = Network.mlp(new int[] {5, 7, 6, 3}, Eltwise.defaults(a), Init.XAVIER_NORMAL, 0, 0.1, 3, GEMM, K);
            checkGradients(a + " / cross-entropy", ce, Loss.softmaxCrossEntropy(K), d.x(), 9, d.labels(), null);
            Network mse = Network.mlp(new int[] {5, 7, 6, 3}, Eltwise.defaults(a), Init.XAVIER_NORMAL, 0, 0.1, 4, GEMM, K);
            checkGradients(a + " / mse", mse, Loss.meanSquaredError(), d.x(), 9, null, targets);
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesForPiecewiseLinearActivations() {
        // Kinks: with this seed no pre-activation lies within h of a kink (the check would fail if one did).
        Algorithm[] pl = {Algorithm.RELU, Algorithm.LEAKY_RELU, Algorithm.RRELU, Algorithm.HARD_TANH, Algorithm.RELU6,
                Algorithm.HARD_SIGMOID, Algorithm.HARD_SWISH};
        Dataset d = randomClassification(9, 5, 3, 5);
        for (Algorithm a : pl) {
            Network net = Network.mlp(new int[] {5, 8, 3}, Eltwise.defaults(a), Init.HE_NORMAL, 0, 0.05, 6, GEMM, K);
            checkGradients(a + " / cross-entropy", net, Loss.softmaxCrossEntropy(K), d.x(), 9, d.labels(), null);
        }
    }

    @Test
    void deadUnitGetsExactlyZeroGradient() {
        Dataset d = randomClassification(16, 6, 4, 7);
        Network net = Network.mlp(new int[] {6, 10, 10, 4}, Eltwise.defaults(Algorithm.RELU), Init.HE_NORMAL, 0, 0, 8, GEMM, K);
        Dense first = net.hidden().get(0).dense();
        int deadUnit = 3;
        first.bias.value[deadUnit] = -1000f; // pre-activation <= 0 on every sample
        float[] out = net.forward(d.x(), 16, true);
        float[] g = new float[16 * 4];
        Loss.softmaxCrossEntropy(K).lossAndGradient(out, 16, 4, d.labels(), 0, null, 0, g);
        net.backward(g, 16);
        assertEquals(0, Float.floatToRawIntBits(first.bias.grad[deadUnit]), "bias gradient of the dead unit is +0.0");
        for (int i = 0; i < 6; i++) {
            assertEquals(0, Float.floatToRawIntBits(first.weight.grad[i * 10 + deadUnit]), "weight gradient " + i);
        }
        int nonZero = 0;
        for (float v : first.weight.grad) if (v != 0f) nonZero++;
        assertTrue(nonZero > 6 * 5, "the live units do get gradient (" + nonZero + " non-zero)");
        Trainer t = new Trainer(net, Loss.softmaxCrossEntropy(K), Optimizer.sgd(0.1), Schedule.constant(), 8, 1, 0, 0);
        Trainer.DeadCheck c = t.bornDead(d);
        assertEquals(1, c.deadPerLayer()[0]);
    }

    @Test
    void sameSeedSameBits() {
        Dataset d = Digits.load();
        float[][] w = new float[2][];
        for (int run = 0; run < 2; run++) {
            Network net = Network.mlp(new int[] {64, 32, 10}, Eltwise.defaults(Algorithm.RELU), Init.HE_NORMAL, 0, 0, 11, GEMM, K);
            new Trainer(net, Loss.softmaxCrossEntropy(K), Optimizer.sgd(0.05).momentum(0.9).nesterov().weightDecay(1e-4), Schedule.constant(), 32, 12, 0, 0)
                    .fit(d, null, 2, null);
            w[run] = net.params().get(0).value().clone();
        }
        assertArrayEquals(w[0], w[1]);
    }

    @Test
    void learnsDigitsAndCountsBornDeadUnits() {
        Dataset.Split s = Digits.load().split(0.25, 1);
        Network net = Network.mlp(new int[] {64, 128, 128, 10}, Eltwise.defaults(Algorithm.RELU), Init.HE_NORMAL, 0, 0, 3, GEMM, K);
        Trainer t = new Trainer(net, Loss.softmaxCrossEntropy(K), Optimizer.sgd(0.05), Schedule.constant(), 32, 4, 0, 0);
        // Digits pixels are >= 0 and some are always 0, so a few first-layer units whose weights on the lit
        // pixels are all negative are dead from the start (measured: 8 of 256 with this seed).
        Trainer.DeadCheck he = t.bornDead(s.train());
        assertTrue(he.dead() < he.units() / 20, "He init, zero bias: under 5% born dead, was " + he.dead());
        assertTrue(!he.collapsed() && !he.outputConstant());
        List<EpochRecord> h = t.fit(s.train(), s.test(), 8, null);
        EpochRecord last = h.get(h.size() - 1);
        assertTrue(last.testAccuracy() > 0.93, "test accuracy " + last.testAccuracy());
        assertTrue(h.get(0).trainLoss() > last.trainLoss(), "loss falls");

        Network biased = Network.mlp(new int[] {64, 128, 128, 10}, Eltwise.defaults(Algorithm.RELU), Init.HE_NORMAL, 0, -1, 3, GEMM, K);
        Trainer.DeadCheck c = new Trainer(biased, Loss.softmaxCrossEntropy(K), Optimizer.sgd(0.05), Schedule.constant(), 32, 4, 0, 0).bornDead(s.train());
        assertTrue(c.dead() > c.units() / 4, "bias -1 kills units at birth: " + c.dead() + " of " + c.units());
        System.out.println("born dead on digits: He/zero bias " + he.dead() + ", He/bias -1 " + c.dead() + " of " + c.units()
                + "; test accuracy after 8 epochs " + last.testAccuracy());
    }

    @Test
    void divergenceIsReportedNotSilent() {
        Dataset d = randomClassification(64, 8, 3, 9);
        float[] targets = new float[64];
        for (int i = 0; i < 64; i++) targets[i] = 1e3f * d.x()[i * 8];
        Dataset reg = Dataset.regression("r", d.x(), 8, targets, 1);
        Network net = Network.mlp(new int[] {8, 16, 1}, Eltwise.defaults(Algorithm.LEAKY_RELU), Init.HE_NORMAL, 0, 0, 1, GEMM, K);
        Trainer t = new Trainer(net, Loss.meanSquaredError(), Optimizer.sgd(10), Schedule.constant(), 16, 1, 0, 0);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.fit(reg, null, 50, null));
        assertTrue(e.getMessage().contains("epoch " + e.epoch()) && e.getMessage().contains("batch " + e.batch()), e.getMessage());
    }

    @Test
    void epochFiguresAreConsistentAndDiagnosticsDoNotChangeTraining() {
        Dataset d = Digits.load();
        float[][] w = new float[2][];
        List<EpochRecord> withDiagnostics = null;
        for (int run = 0; run < 2; run++) {
            Network net = Network.builder(64, 32, 16, 10).prelu(0.25f).seed(5).kernels(GEMM, K).build();
            Trainer.Builder b = Trainer.builder(net, Loss.softmaxCrossEntropy(K), Optimizer.sgd(0.05).momentum(0.9))
                    .seed(6);
            if (run == 0) b.listener(new DeadUnitMonitor());
            List<EpochRecord> h = b.build().fit(d, null, 2, null);
            w[run] = net.params().get(0).value().clone();
            if (run == 0) withDiagnostics = h;
            else assertTrue(h.get(1).layers().isEmpty(), "without a monitor: no layer figures");
        }
        assertArrayEquals(w[0], w[1], "diagnostics observe training, they do not change it");
        for (EpochRecord e : withDiagnostics) {
            for (LayerEpoch l : e.layers()) {
                assertEquals("prelu", l.kind());
                assertEquals(0, l.dead(), "PReLU units are never dead, at most dormant");
                assertTrue(l.preMin() <= l.preMean() && l.preMean() <= l.preMax(), l.toString());
                assertTrue(l.preMin() < 0 && l.preMax() > 0, "digits give both signs: " + l);
                assertTrue(l.sparsity() >= 0 && l.sparsity() < 0.01, "PReLU outputs are almost never exactly 0: " + l.sparsity());
                assertTrue(l.gradNorm() > 0 && !l.vanishing() && !l.exploding(), "gradient health " + l.gradNorm());
                assertEquals(l.units(), l.slopes().length);
                boolean moved = false;
                for (float a : l.slopes()) moved |= a != 0.25f;
                assertTrue(moved, "the slopes are learned");
            }
        }
    }

    @Test
    void reluSparsityCountsExactZerosAndFlagsFollowTheThresholds() {
        Dataset d = randomClassification(64, 6, 3, 13);
        Network net = Network.builder(6, 20, 3).bias(Init.Bias.constant(-0.5)).seed(2).kernels(GEMM, K).build();
        List<EpochRecord> h = Trainer.builder(net, Loss.softmaxCrossEntropy(K), Optimizer.sgd(1e-3))
                .batchSize(64).listener(new DeadUnitMonitor(10, 20)).build().fit(d, null, 1, null);
        LayerEpoch l = h.get(0).layers().get(0);
        // One batch holding every sample: recompute the epoch's figures from the pre-activations of that pass.
        float[] z = ((Dense) net.layers().get(0)).preActivations();
        int nonPositive = 0;
        double sum = 0;
        for (int i = 0; i < 64 * 20; i++) {
            if (z[i] <= 0) nonPositive++;
            sum += z[i];
        }
        assertEquals(nonPositive / (64.0 * 20), l.sparsity(), 1e-12, "ReLU zeros are the non-positive pre-activations");
        assertEquals(sum / (64 * 20), l.preMean(), 1e-6);
        assertTrue(l.vanishing() == (l.gradNorm() < 10) && l.vanishing(), "a norm below 10 is flagged vanishing here: " + l.gradNorm());
    }

    @Test
    void trainersSideBySideGiveTheBitsOfLoneRuns() throws Exception {
        Dataset d = Digits.load();
        Gemm shared = Kernels.gemm(); // default parallelism: its thread pool is shared by both trainers
        java.util.function.LongFunction<float[]> run = seed -> {
            Network net = Network.builder(64, 48, 10).activation(Eltwise.leakyRelu()).dropout(0.1).seed(seed).kernels(shared, K).build();
            Trainer.builder(net, Loss.softmaxCrossEntropy(K), Optimizer.adam(1e-3))
                    .seed(seed).build().fit(d, null, 2, null);
            return net.params().get(0).value().clone();
        };
        float[] lone1 = run.apply(1), lone2 = run.apply(2);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var f1 = pool.submit(() -> run.apply(1));
            var f2 = pool.submit(() -> run.apply(2));
            assertArrayEquals(lone1, f1.get());
            assertArrayEquals(lone2, f2.get());
        } finally {
            pool.shutdown();
        }
    }
}
