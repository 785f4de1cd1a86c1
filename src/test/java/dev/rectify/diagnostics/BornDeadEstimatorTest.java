package dev.rectify.diagnostics;

import dev.rectify.data.Dataset;
import dev.rectify.data.Synthetic;
import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.Kernels;
import dev.rectify.nn.Init;
import dev.rectify.nn.Loss;
import dev.rectify.nn.Network;
import dev.rectify.nn.Optimizer;
import dev.rectify.nn.Trainer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BornDeadEstimatorTest {
    static final Gemm GEMM = Kernels.gemm().withParallelism(1);
    static final ActivationKernels K = Kernels.activations();

    /** The lean estimator must judge exactly the networks the trainer would build from the same seed. */
    @Test
    void countsWhatTheTrainerCountsOnTheSameNetwork() {
        List<Eltwise> acts = List.of(Eltwise.relu(), Eltwise.leakyRelu(), Eltwise.rrelu(), Eltwise.elu(), Eltwise.geluErf());
        List<Init> inits = List.of(Init.HE_NORMAL, Init.XAVIER_UNIFORM, Init.RAI);
        List<Init.Bias> biases = List.of(Init.Bias.zero(), Init.Bias.constant(-0.3), Init.Bias.likeWeights());
        int compared = 0, someInactive = 0;
        for (int dim : new int[] {1, 3}) {
            float[] x = dim == 1 ? Synthetic.grid(41, 1) : Synthetic.uniformCube(60, 3, 5);
            Dataset set = Dataset.regression("x", x, dim, new float[x.length / dim], 1);
            for (Eltwise act : acts) {
                for (Init init : inits) {
                    for (Init.Bias bias : biases) {
                        BornDeadEstimator est = new BornDeadEstimator(dim, 3, x, act, init, bias, GEMM);
                        for (int t = 0; t < 4; t++) {
                            int depth = 2 + t;
                            long seed = BornDeadEstimator.networkSeed(7, depth, t);
                            int[] sizes = new int[depth + 2];
                            java.util.Arrays.fill(sizes, 3);
                            sizes[0] = dim;
                            sizes[depth + 1] = 1;
                            Network net = Network.builder(sizes).activation(act).init(init, 1).bias(bias).seed(seed)
                                    .kernels(GEMM, K).build();
                            Trainer.DeadCheck c = Trainer.builder(net, Loss.meanSquaredError(), Optimizer.sgd(0.01))
                                    .batchSize(set.rows()).build().bornDead(set);
                            int[] lean = est.inactivePerLayer(depth, seed).clone();
                            assertArrayEquals(c.inactivePerLayer(), lean,
                                    act + " " + init + " bias " + bias + " dim " + dim + " depth " + depth);
                            compared++;
                            for (int v : lean) someInactive += v;
                        }
                    }
                }
            }
        }
        assertEquals(2 * 5 * 3 * 3 * 4, compared);
        assertTrue(someInactive > 50, "the comparison saw inactive units: " + someInactive);
    }

    /**
     * One unit, one layer, input grid on [-1, 1], bias -2, He normal (std sqrt(2)): w x - 2 <= 0 for every x
     * exactly when |w| <= 2, so P(born dead) = P(|N(0, 2)| <= 2) = erf(1) = 0.8427.
     */
    @Test
    void matchesTheClosedFormForOneUnit() {
        BornDeadEstimator est = new BornDeadEstimator(1, 1, Synthetic.grid(101, 1), Eltwise.relu(), Init.HE_NORMAL,
                Init.Bias.constant(-2), GEMM);
        BornDeadEstimator.Estimate e = est.estimate(1, 20_000, 3);
        double expected = 0.8427007929497149, sigma = Math.sqrt(expected * (1 - expected) / 20_000);
        assertEquals(expected, e.probability(), 4 * sigma, "born-dead probability");
        double[] ci = e.wilson95();
        assertTrue(ci[0] < e.probability() && e.probability() < ci[1], "the interval holds the estimate");
        // With bias 0 a symmetric grid always has an x of each sign: never born dead at depth 1.
        BornDeadEstimator zero = new BornDeadEstimator(1, 1, Synthetic.grid(101, 1), Eltwise.relu(), Init.HE_NORMAL,
                Init.Bias.zero(), GEMM);
        assertEquals(0, zero.estimate(1, 5_000, 3).bornDead());
    }

    /**
     * Closed forms for a symmetric initialization (weights, and biases when drawn, from distributions symmetric about
     * 0), after Lu et al.:
     * <ul>
     *   <li>a single input point x = 1, width N, depth H: each unit's pre-activation is a symmetric function of its
     *       own parameters given the layer below, so a layer is dead with probability 2^-N given the one below is
     *       alive: P = 1 - (1 - 2^-N)^H, with zero biases and with biases drawn like the weights;</li>
     *   <li>a symmetric 1-D grid (both signs), zero biases, width 1: layer 1 is always alive, each later layer alive
     *       exactly when its one weight is positive: P = 1 - 2^(1-H);</li>
     *   <li>the same grid, depth 2, width N: with K first-layer weights positive, a second-layer unit is
     *       x * sum over those K and |x| * sum over the rest, each <= 0 with probability 1/2 when its set is non-empty:
     *       P = 4^-N (3 - 2^(1-N)).</li>
     * </ul>
     * Each estimate within 4 binomial standard errors.
     */
    @Test
    void matchesTheClosedFormsForOnePointWidthOneAndDepthTwo() {
        float[] point = {1f}, grid = Synthetic.grid(101, 1);
        int trials = 20_000;
        for (Init.Bias bias : List.of(Init.Bias.zero(), Init.Bias.likeWeights())) {
            for (int[] nh : new int[][] {{1, 1}, {1, 4}, {2, 3}, {3, 6}}) {
                int n = nh[0], h = nh[1];
                BornDeadEstimator est = new BornDeadEstimator(1, n, point, Eltwise.relu(), Init.HE_NORMAL, bias, GEMM);
                assertNear(1 - Math.pow(1 - Math.pow(2, -n), h), est.estimate(h, trials, 5), "point x = 1, bias " + bias);
            }
        }
        for (int h = 1; h <= 5; h++) {
            BornDeadEstimator est = new BornDeadEstimator(1, 1, grid, Eltwise.relu(), Init.HE_NORMAL, Init.Bias.zero(), GEMM);
            assertNear(1 - Math.pow(2, 1 - h), est.estimate(h, trials, 9), "grid, width 1");
        }
        for (int n = 1; n <= 4; n++) {
            BornDeadEstimator est = new BornDeadEstimator(1, n, grid, Eltwise.relu(), Init.XAVIER_UNIFORM, Init.Bias.zero(), GEMM);
            assertNear(Math.pow(4, -n) * (3 - Math.pow(2, 1 - n)), est.estimate(2, trials, 13), "grid, depth 2");
        }
    }

    private static void assertNear(double p, BornDeadEstimator.Estimate e, String what) {
        double se = Math.sqrt(Math.max(p * (1 - p), 1e-12) / e.trials());
        String where = what + ", width " + e.width() + ", depth " + e.depth();
        if (p == 0 || p == 1) assertEquals(p, e.probability(), 0.0, where);
        else assertEquals(p, e.probability(), 4 * se, where);
        int dead = 0;
        for (int f : e.firstDeadLayer()) if (f != 0) dead++;
        assertEquals(e.bornDead(), dead, "per-network verdicts add up to the count");
    }

    @Test
    void theSameCountsOnAnyNumberOfThreads() throws Exception {
        BornDeadEstimator est = new BornDeadEstimator(1, 2, Synthetic.grid(101, 1), Eltwise.relu(), Init.HE_NORMAL,
                Init.Bias.likeWeights(), GEMM);
        BornDeadEstimator.Estimate common = est.estimate(8, 3_000, 11);
        ForkJoinPool one = new ForkJoinPool(1);
        try {
            BornDeadEstimator.Estimate single = one.submit(() -> est.estimate(8, 3_000, 11)).get();
            assertEquals(common.bornDead(), single.bornDead());
            assertArrayEquals(common.meanInactiveFraction(), single.meanInactiveFraction());
        } finally {
            one.shutdown();
        }
        assertTrue(common.bornDead() > 0 && common.bornDead() < 3_000, "a depth where both outcomes occur: " + common.bornDead());
    }

    @Test
    void badArgumentsNameThemselves() {
        float[] x = Synthetic.grid(11, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new BornDeadEstimator(0, 2, x, Eltwise.relu(),
                Init.HE_NORMAL, Init.Bias.zero(), GEMM)).getMessage().startsWith("inputDim"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new BornDeadEstimator(1, 0, x, Eltwise.relu(),
                Init.HE_NORMAL, Init.Bias.zero(), GEMM)).getMessage().startsWith("width"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new BornDeadEstimator(2, 2, new float[3], Eltwise.relu(),
                Init.HE_NORMAL, Init.Bias.zero(), GEMM)).getMessage().startsWith("inputs"));
        BornDeadEstimator est = new BornDeadEstimator(1, 2, x, Eltwise.relu(), Init.HE_NORMAL, Init.Bias.zero(), GEMM);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> est.estimate(0, 10, 1)).getMessage().startsWith("depth"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> est.estimate(3, 0, 1)).getMessage().startsWith("trials"));
    }
}
