package dev.rectify.nn;

import dev.rectify.data.Dataset;
import dev.rectify.kernels.Eltwise;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.rectify.nn.TrainerTest.GEMM;
import static dev.rectify.nn.TrainerTest.K;
import static dev.rectify.nn.TrainerTest.checkGradients;
import static dev.rectify.nn.TrainerTest.randomClassification;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batch norm, dropout, PReLU, RReLU layers and the initializers: gradients, modes, determinism. */
class LayersTest {
    static final Dataset D = randomClassification(9, 5, 3, 21);
    static final float[] TARGETS = new float[9 * 3];

    static {
        SplittableRandom r = new SplittableRandom(22);
        for (int i = 0; i < TARGETS.length; i++) TARGETS[i] = (float) r.nextGaussian();
    }

    static Network.Builder net() {
        return Network.builder(5, 7, 6, 3).init(Init.XAVIER_NORMAL, 0).bias(Init.Bias.constant(0.1)).seed(23).kernels(GEMM, K);
    }

    static void checkBothLosses(String what, Network.Builder b) {
        checkGradients(what + " / cross-entropy", b.build(), Loss.softmaxCrossEntropy(K), D.x(), 9, D.labels(), null);
        checkGradients(what + " / mse", b.build(), Loss.meanSquaredError(), D.x(), 9, null, TARGETS);
    }

    @Test
    void preluGradientsIncludingTheSlopesMatchFiniteDifferences() {
        Network n = net().prelu(0.25f).build();
        assertTrue(n.params().stream().anyMatch(p -> p.name().equals("slope")), "the slopes are parameters");
        checkBothLosses("prelu", net().prelu(0.25f));
    }

    @Test
    void rreluTrainingModeGradientsMatchFiniteDifferencesWithTheStepsSlopes() {
        // The slopes are a function of (seed, step): repeated forward passes in one step see the same ones.
        checkBothLosses("rrelu", net().activation(Eltwise.rrelu()));
    }

    @Test
    void batchNormGradientsMatchFiniteDifferences() {
        checkBothLosses("batch norm + tanh", net().batchNorm(true).activation(Eltwise.tanh()));
        checkBothLosses("batch norm + relu", net().batchNorm(true).activation(Eltwise.relu()));
        checkBothLosses("batch norm + prelu + dropout", net().batchNorm(true).prelu(0.1f).dropout(0.3));
    }

    @Test
    void dropoutGradientsMatchFiniteDifferencesWithAFixedMask() {
        checkBothLosses("dropout + elu", net().activation(Eltwise.elu()).dropout(0.4));
        checkBothLosses("dropout + leaky", net().activation(Eltwise.leakyRelu()).dropout(0.2));
    }

    @Test
    void dropoutKeepsTheRightShareScalesAndBlocksDroppedGradientsExactly() {
        int n = 100_000;
        Dropout d = new Dropout(n, 0.3, 5);
        float[] x = new float[n];
        java.util.Arrays.fill(x, 2f);
        d.beginStep(7);
        float[] y = d.forward(x, 1, true).clone();
        int kept = 0;
        for (float v : y) {
            if (v != 0f) {
                kept++;
                assertEquals(2f / 0.7f, v, 1e-6f, "kept elements are scaled by 1 / (1 - rate)");
            }
        }
        // Binomial(n, 0.7): standard deviation sqrt(n * 0.21) = 145; allow 5 of them.
        assertEquals(0.7 * n, kept, 5 * Math.sqrt(n * 0.21), "kept share");
        float[] dy = new float[n];
        java.util.Arrays.fill(dy, Float.NaN);
        dy[0] = Float.NEGATIVE_INFINITY;
        float[] dx = d.backward(dy, 1);
        for (int i = 0; i < n; i++) {
            if (y[i] == 0f) assertEquals(0, Float.floatToRawIntBits(dx[i]), "dropped element " + i + " gets +0.0");
        }
        assertArrayEquals(x, d.forward(x, 1, false), "inference is the identity");
        d.beginStep(7);
        assertArrayEquals(y, d.forward(x, 1, true), "same seed and step, same mask");
        d.beginStep(8);
        assertFalse(java.util.Arrays.equals(y, d.forward(x, 1, true)), "the next step draws a new mask");
    }

    @Test
    void batchNormInferenceUsesRunningStatisticsTrackedLikePyTorch() {
        int f = 3, batch = 4;
        BatchNorm bn = new BatchNorm(f, 1e-5, 0.1);
        SplittableRandom r = new SplittableRandom(3);
        double[] mean = new double[f], var = {1, 1, 1};
        for (int step = 0; step < 5; step++) {
            float[] x = new float[batch * f];
            for (int i = 0; i < x.length; i++) x[i] = (float) (3 + 2 * r.nextGaussian());
            float[] y = bn.forward(x, batch, true);
            for (int j = 0; j < f; j++) {
                double m = 0, v = 0, yMean = 0, yVar = 0;
                for (int s = 0; s < batch; s++) m += x[s * f + j];
                m /= batch;
                for (int s = 0; s < batch; s++) v += (x[s * f + j] - m) * (x[s * f + j] - m);
                for (int s = 0; s < batch; s++) yMean += y[s * f + j] / batch;
                for (int s = 0; s < batch; s++) yVar += (y[s * f + j] - yMean) * (y[s * f + j] - yMean) / batch;
                assertEquals(0, yMean, 1e-6, "training output has batch mean 0");
                assertEquals(v / batch / (v / batch + 1e-5), yVar, 1e-5, "and batch variance 1 (up to eps)");
                mean[j] = 0.9 * mean[j] + 0.1 * m;
                var[j] = 0.9 * var[j] + 0.1 * v / (batch - 1); // unbiased, as PyTorch
            }
        }
        for (int j = 0; j < f; j++) {
            assertEquals(mean[j], bn.runningMean()[j], 1e-5 * Math.abs(mean[j]));
            assertEquals(var[j], bn.runningVar()[j], 1e-5 * var[j]);
        }
        float[] x = {1, 2, 3};
        float[] y = bn.forward(x, 1, false);
        for (int j = 0; j < f; j++) {
            assertEquals((x[j] - mean[j]) / Math.sqrt(var[j] + 1e-5), y[j], 1e-5);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.forward(x, 1, true));
        assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
    }

    @Test
    void rreluUsesRandomSlopesInTrainingAndTheMeanSlopeInInference() {
        Activation a = new Activation(1000, Eltwise.rrelu(0.125f, 0.375f), K, 9);
        float[] x = new float[1000];
        java.util.Arrays.fill(x, -1f);
        float[] y = a.forward(x, 1, true).clone();
        double sum = 0;
        for (float v : y) {
            assertTrue(v <= -0.125f && v >= -0.375f, "slope in [lower, upper]: " + v);
            sum += v;
        }
        assertEquals(-0.25, sum / 1000, 0.01, "uniform slopes average (lower + upper) / 2");
        assertNotEquals(y[0], y[1]);
        for (float v : a.forward(x, 1, false)) assertEquals(-0.25f, v, "inference: the mean slope");
    }

    @Test
    void sameSeedSameBitsWithDropoutBatchNormAndRrelu() {
        Dataset d = randomClassification(100, 5, 3, 31);
        float[][] w = new float[2][];
        for (int run = 0; run < 2; run++) {
            Network n = net().activation(Eltwise.rrelu()).batchNorm(true).dropout(0.2).build();
            Trainer.builder(n, Loss.softmaxCrossEntropy(K), Optimizer.adamW(0.01, 0.01))
                    .batchSize(16).seed(4).build().fit(d, null, 3, null);
            w[run] = n.params().get(0).value().clone();
        }
        assertArrayEquals(w[0], w[1]);
    }

    /**
     * Lu et al.'s RAI (Section 4) with P = Beta(2, 1): every parameter of a unit's row (fanIn weights and the bias)
     * has mean (2/3) / (fanIn + 1) and second moment (1/2 + sigma^2) / (fanIn + 1), sigma = 0.6007. At fanIn = 3 the
     * variant that divides by fanIn + 1 has second moment (1/2 + 0.75 sigma^2) / 4, 10% lower: 40 standard errors
     * away with 200,000 units, so this test tells the two apart. Tolerance: 5 standard errors of each sample mean,
     * computed from the sample.
     */
    @Test
    void raiParametersHaveTheMomentsOfThePaper() {
        int in = 3, out = 200_000, n = in + 1;
        float[] w = new float[in * out], b = new float[out];
        Init.RAI.fill(w, b, in, out, 1, 0, Init.Bias.constant(-5), new SplittableRandom(1));
        double sigma = 0.6007, mean = (2.0 / 3) / n, second = (0.5 + sigma * sigma) / n;
        for (int s = 0; s < n; s++) {
            double sum = 0, sumSq = 0, sumQuad = 0;
            for (int j = 0; j < out; j++) {
                double v = s < in ? w[s * out + j] : b[j];
                sum += v;
                sumSq += v * v;
                sumQuad += v * v * v * v;
            }
            double m = sum / out, m2 = sumSq / out;
            double seMean = Math.sqrt((m2 - m * m) / out), seSecond = Math.sqrt((sumQuad / out - m2 * m2) / out);
            String what = s < in ? "weight " + s : "bias";
            assertEquals(mean, m, 5 * seMean, what + ": mean");
            assertEquals(second, m2, 5 * seSecond, what + ": second moment");
        }
        float[] w1 = new float[in * out], b1 = new float[out];
        Init.RAI_FAN_IN_PLUS_ONE.fill(w1, b1, in, out, 1, 0, Init.Bias.zero(), new SplittableRandom(1));
        double sq = 0;
        for (float v : w1) sq += (double) v * v;
        assertEquals((0.5 + sigma * sigma * in / n) / n, sq / w1.length, 0.01 / n, "the named variant's second moment");
        assertNotEquals(-5f, b[0], "RAI sets the biases itself");
    }

    /**
     * Exactly one Beta(2, 1) entry per unit: at fanIn = 2000 the normal part has standard deviation 0.6007/sqrt(2000)
     * = 0.0134, so an entry above 0.1 (7.4 standard deviations, probability 1e-13 each) is the Beta entry. A unit
     * has at most one such entry, and the share of units with one is P(Beta(2,1) > 0.1) = 0.99 (within 5 standard
     * errors); those entries follow Beta(2,1) above 0.1 (mean (2/3)(1 - 0.001) / 0.99); their positions, the bias
     * included, are uniform (chi-square over 10 position bins, 9 degrees of freedom, below its 0.999 quantile).
     */
    @Test
    void raiDrawsExactlyOneBetaEntryPerUnitAtAUniformPosition() {
        int in = 2000, out = 5000;
        float[] w = new float[in * out], b = new float[out];
        Init.RAI.fill(w, b, in, out, 1, 0, Init.Bias.zero(), new SplittableRandom(7));
        int withOne = 0;
        double sumBig = 0;
        int[] bins = new int[10];
        int biasPositions = 0;
        for (int j = 0; j < out; j++) {
            int big = 0, at = -1;
            for (int i = 0; i <= in; i++) {
                float v = i < in ? w[i * out + j] : b[j];
                if (v > 0.1f) {
                    big++;
                    at = i;
                    sumBig += v;
                }
            }
            assertTrue(big <= 1, "unit " + j + " has " + big + " entries beyond the normal part's reach");
            if (big == 1) {
                withOne++;
                if (at == in) biasPositions++;
                else bins[at / 200]++;
            }
        }
        double p = 0.99, se = Math.sqrt(p * (1 - p) / out);
        assertEquals(p, (double) withOne / out, 5 * se, "share of units with their Beta entry above 0.1");
        // E[X | X > 0.1] for density 2x on [0, 1]: (2/3)(1 - 0.1^3) / (1 - 0.1^2); sd of X above 0.1 is below 0.24.
        assertEquals((2.0 / 3) * (1 - 0.001) / 0.99, sumBig / withOne, 5 * 0.24 / Math.sqrt(withOne), "mean of the Beta entries");
        double expected = withOne * 200.0 / (in + 1), chi2 = 0;
        for (int c : bins) chi2 += (c - expected) * (c - expected) / expected;
        assertTrue(chi2 < 27.88, "positions not uniform: chi-square " + chi2 + " over " + java.util.Arrays.toString(bins));
        assertTrue(biasPositions <= 15, "the bias is one of 2001 positions (2.5 expected of 5000 units): " + biasPositions);
    }

    @Test
    void raiKeepsDeepNarrowReluNetsFromBeingBornDead() {
        // Lu et al.'s setting: 1-D input, 101 grid points in [-1, 1], 10 hidden layers of width 2, linear output.
        float[] x = new float[101];
        for (int i = 0; i < 101; i++) x[i] = -1f + 2f * i / 100;
        Dataset grid = Dataset.regression("grid", x, 1, new float[101], 1);
        int[] sizes = {1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1};
        int trials = 300;
        int[] bornDead = new int[2];
        for (int t = 0; t < trials; t++) {
            Network he = Network.builder(sizes).init(Init.HE_NORMAL, 1).bias(Init.Bias.likeWeights()).seed(t).kernels(GEMM, K).build();
            Network rai = Network.builder(sizes).init(Init.RAI, 1).seed(t).kernels(GEMM, K).build();
            for (int k = 0; k < 2; k++) {
                Network n = k == 0 ? he : rai;
                if (Trainer.builder(n, Loss.meanSquaredError(), Optimizer.sgd(0.01)).batchSize(101).build()
                        .bornDead(grid).collapsed()) bornDead[k]++;
            }
        }
        // Measured with 1000 trials: He 0.88, RAI 0.26 born dead. Binomial spread at 300 trials is under 0.03.
        assertTrue(bornDead[0] > 0.75 * trials, "He normal, biases like weights: " + bornDead[0] + " of " + trials);
        assertTrue(bornDead[1] < 0.40 * trials, "RAI: " + bornDead[1] + " of " + trials);
    }

    @Test
    void builderRejectsBadArgumentsByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Network.builder(3, 0, 2)).getMessage().contains("sizes[1]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> net().dropout(1.0)).getMessage().contains("dropout"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> net().prelu(Float.NaN)).getMessage().contains("initialSlope"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Init.Bias.constant(Double.POSITIVE_INFINITY)).getMessage().contains("bias"));
    }

    @Test
    void networksListTheirHiddenUnitLayersWithTheFeedingDenseLayer() {
        Network n = net().batchNorm(true).prelu(0.25f).dropout(0.1).build();
        List<Network.Hidden> h = n.hidden();
        assertEquals(2, h.size());
        assertTrue(h.get(0).units() instanceof PRelu && h.get(0).dense() == n.layers().get(0));
        assertEquals("dense(5->7) -> batchNorm(7) -> prelu -> dropout(0.1) -> dense(7->6) -> batchNorm(6) -> prelu -> dropout(0.1) -> dense(6->3)",
                n.describe().replace("0.10000000149011612", "0.1"));
    }
}
