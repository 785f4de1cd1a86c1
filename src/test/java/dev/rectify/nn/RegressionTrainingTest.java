package dev.rectify.nn;

import dev.rectify.data.Dataset;
import dev.rectify.data.Synthetic;
import org.junit.jupiter.api.Test;

import static dev.rectify.nn.TrainerTest.GEMM;
import static dev.rectify.nn.TrainerTest.K;
import static dev.rectify.nn.TrainerTest.checkGradients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Regression as in Lu et al.'s experiments: mean squared error, linear output, full-batch Adam. */
class RegressionTrainingTest {
    static final Dataset ABS = Synthetic.regression(Synthetic.Target.ABS, true, 101, 1);

    @Test
    void theTargetsAreTheFunctionsOnTheirDomains() {
        assertEquals(101, ABS.rows());
        assertEquals((float) -Math.sqrt(3), ABS.x()[0], 0f);
        assertEquals((float) Math.sqrt(3), ABS.x()[100], 0f);
        assertEquals((float) Math.sqrt(3), ABS.targets()[0], 1e-6f);
        assertEquals(0f, ABS.targets()[50], 1e-6f);
        Dataset two = Synthetic.regression(Synthetic.Target.ABS2, false, 300, 4);
        assertEquals(2, two.features());
        assertEquals(2, two.outputs());
        for (int r = 0; r < two.rows(); r++) {
            float a = two.x()[2 * r], b = two.x()[2 * r + 1];
            assertTrue(Math.abs(a) <= Math.sqrt(3) && Math.abs(b) <= Math.sqrt(3));
            assertEquals(Math.abs(a + b), two.targets()[2 * r], 1e-6);
            assertEquals(Math.abs(a - b), two.targets()[2 * r + 1], 1e-6);
        }
    }

    @Test
    void meanSquaredErrorGradientsMatchFiniteDifferencesOnATwoOutputTarget() {
        Dataset d = Synthetic.regression(Synthetic.Target.ABS2, false, 12, 3);
        Network net = Network.builder(2, 6, 5, 2).init(Init.HE_NORMAL, 1).bias(Init.Bias.likeWeights()).seed(5).kernels(GEMM, K).build();
        checkGradients("abs2 / mse", net, Loss.meanSquaredError(), d.x(), 12, null, d.targets());
    }

    /** A wide shallow ReLU net fits |x| on the grid: training MSE below 1e-3 (the target's variance is 0.25). */
    @Test
    void aWideShallowNetFitsAbs() {
        Network net = Network.builder(1, 100, 1).seed(2).kernels(GEMM, K).build();
        Trainer t = Trainer.builder(net, Loss.meanSquaredError(), Optimizer.adam(0.01)).batchSize(ABS.rows()).seed(2).build();
        java.util.List<EpochRecord> h = t.fit(ABS, null, 600, null);
        double mse = h.get(h.size() - 1).trainLoss();
        assertTrue(mse < 1e-3, "final training MSE " + mse);
        assertTrue(Double.isNaN(h.get(0).trainAccuracy()), "no accuracy for regression");
    }

    /**
     * A width-1 ReLU net of depth 10 collapses: after training its output is constant over the grid (range below
     * 1e-3 of the target's). Lu et al.: with zero biases on a symmetric grid it is born dead with probability
     * 1 - 2^-9, and a dead layer makes the output constant whatever training does; of 20 seeds at least 19 collapse.
     */
    @Test
    void aWidthOneDeepNetCollapses() {
        int[] sizes = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        int collapsed = 0;
        for (int seed = 1; seed <= 20; seed++) {
            Network net = Network.builder(sizes).seed(seed).kernels(GEMM, K).build();
            Trainer.builder(net, Loss.meanSquaredError(), Optimizer.adam(0.01)).batchSize(ABS.rows()).seed(seed).build()
                    .fit(ABS, null, 200, null);
            float[] out = net.predict(ABS.x(), ABS.rows());
            float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
            for (float v : out) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            if (hi - lo <= 1e-3 * Math.sqrt(3)) collapsed++;
        }
        assertTrue(collapsed >= 19, collapsed + " of 20 collapsed");
    }
}
