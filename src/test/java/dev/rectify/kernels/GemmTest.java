package dev.rectify.kernels;

import dev.rectify.kernels.internal.GemmBlocking;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GEMM's argument checks, its threading under concurrent and nested use, and shapes past the blocking sizes. */
class GemmTest {
    static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }

    static List<Gemm> paths() {
        List<Gemm> all = new ArrayList<>();
        all.add(Kernels.scalarGemm());
        if (Kernels.vectorModulePresent()) all.add(Kernels.simdGemm(Kernels.preferredBits()));
        return all;
    }

    /** Exact reference in double for small integer-valued inputs (every partial sum is exact in float). */
    static float[] reference(int m, int n, int k, float[] a, float[] b) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double) a[i * k + p] * b[p * n + j];
                c[i * n + j] = (float) s;
            }
        return c;
    }

    static float[] smallIntegers(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = r.nextInt(-3, 4);
        return x;
    }

    @Test
    void shapesPastEveryBlockingSizeAreExact() {
        // n > NC, k > KC, m > MC; integer data keeps every sum exact, so the result must equal the reference.
        int[][] shapes = {{3, Gemm.NC + 37, 5}, {Gemm.MC + 7, 19, Gemm.KC + 3}, {2, 3, 2 * Gemm.KC + 1}, {1, 1, 1}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            float[] a = smallIntegers(m * k, 1), b = smallIntegers(k * n, 2);
            float[] want = reference(m, n, k, a, b);
            for (Gemm g : paths()) {
                float[] c = new float[m * n];
                g.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
                assertArrayEquals(want, c, g.name() + " " + Arrays.toString(s));
            }
        }
    }

    /**
     * The k blocks fall where the numerical contract says: k cut into ceil(k / KC) blocks of
     * ceil(k / ceil(k / KC)), each an in-order fma chain from 0, combined with alpha and beta as documented.
     * The reference below is written from the Javadoc, not from the driver; with random (non-integer) data a
     * block boundary in another place (784 as 512 + 272, say) changes the bits.
     */
    /**
     * The fused epilogue's steps (C, then the bias, then ReLU) taken from the accumulators of full 8-lane tiles
     * give the bits of the separate passes: with and without a bias, with and without ReLU, in one k block and
     * in two (the second adds C first), with NaN, infinite and -0.0 biases. Edge tiles (m and n not multiples
     * of the tile) take the buffered path in the same call, so both meet here.
     */
    @Test
    void epilogueFromTheAccumulatorsEqualsTheSeparatePasses() {
        ActivationKernels act = Kernels.scalar();
        Eltwise relu = Eltwise.defaults(Algorithm.RELU);
        for (Gemm g : paths()) {
            for (int k : new int[] {37, 784, 1100}) {
                int m = 23, n = 37;
                float[] a = random(m * k, k), b = random(k * n, k + 1), bias = random(n + 3, k + 2);
                // special values in full tiles: the NaN and signed-zero rules of ReLU hold from the accumulators
                bias[3 + 5] = Float.NaN;
                bias[3 + 6] = Float.NEGATIVE_INFINITY;
                bias[3 + 7] = Float.POSITIVE_INFINITY;
                bias[3 + 8] = -0f;
                Arrays.fill(a, 2 * k, 3 * k, -0f); // row 2: every product a signed zero
                for (boolean withBias : new boolean[] {false, true}) {
                    for (boolean withRelu : new boolean[] {false, true}) {
                        float[] want = new float[m * n];
                        g.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, want, 0, n);
                        for (int i = 0; i < m; i++) {
                            if (withBias) for (int j = 0; j < n; j++) want[i * n + j] += bias[3 + j];
                            if (withRelu) act.forward(relu, want, i * n, want, i * n, n);
                        }
                        GemmEpilogue ep = withBias ? GemmEpilogue.biasPerColumn(bias, 3) : GemmEpilogue.none();
                        if (withRelu) ep = ep.withActivation(relu);
                        float[] got = new float[m * n];
                        Arrays.fill(got, Float.NaN); // beta 0 must not read it
                        g.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, got, 0, n, ep);
                        for (int x = 0; x < m * n; x++) {
                            assertEquals(Float.floatToRawIntBits(want[x]), Float.floatToRawIntBits(got[x]),
                                    g.name() + " k=" + k + " bias=" + withBias + " relu=" + withRelu + " at " + x
                                            + ": " + got[x] + ", want " + want[x]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void kBlocksSplitWhereTheContractSays() {
        int[][] shapes = {{7, 19, 784}, {6, 17, Gemm.KC}, {6, 17, Gemm.KC + 1}, {5, 18, 2 * Gemm.KC + 1}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            int blocks = (k + Gemm.KC - 1) / Gemm.KC, depth = (k + blocks - 1) / blocks;
            float[] a = random(m * k, 6), b = random(k * n, 7), c0 = random(m * n, 8);
            for (float beta : new float[] {0f, 1.5f}) {
                float alpha = 0.75f;
                float[] want = c0.clone();
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        float c = want[i * n + j];
                        for (int p0 = 0; p0 < k; p0 += depth) {
                            float acc = 0f;
                            for (int p = p0; p < Math.min(k, p0 + depth); p++) {
                                acc = Math.fma(a[i * k + p], b[p * n + j], acc);
                            }
                            c = p0 > 0 ? Math.fma(alpha, acc, c) : beta == 0f ? alpha * acc : Math.fma(alpha, acc, beta * c);
                        }
                        want[i * n + j] = c;
                    }
                }
                for (Gemm g : paths()) {
                    float[] got = c0.clone();
                    g.sgemm(false, false, m, n, k, alpha, a, 0, k, b, 0, n, beta, got, 0, n);
                    assertArrayEquals(want, got, g.name() + " " + Arrays.toString(s) + " beta " + beta);
                }
            }
        }
    }

    /**
     * A row of C must not depend on how many other rows are computed with it: the tiny unpacked path (small
     * problems) and the packed path (the same rows inside a larger problem) give the same bits, epilogue included.
     */
    @Test
    void tinyProblemsGetTheBitsOfThePackedPath() {
        int[][] shapes = {{5, 7, 9}, {20, 20, 20}, {3, 2, 2}, {101, 2, 2}, {2, 101, 2}, {1, 9, 300}, {64, 64, 2}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            assertTrue((long) m * n * k <= GemmBlocking.TINY_WORK || k > Gemm.KC, "a tiny shape or one past KC");
            int big = Math.max(m, (int) (2 * GemmBlocking.TINY_WORK / ((long) n * k)) + 1);
            float[] a = random(big * k, 3), b = random(k * n, 4), bias = random(n, 5);
            for (Gemm g : paths()) {
                for (boolean epi : new boolean[] {false, true}) {
                    GemmEpilogue e = epi ? GemmEpilogue.biasPerColumn(bias, 0).withActivation(Eltwise.elu()) : null;
                    float[] small = new float[m * n], large = new float[big * n];
                    g.sgemm(false, false, m, n, k, 0.75f, a, 0, k, b, 0, n, 0f, small, 0, n, e);
                    g.sgemm(false, false, big, n, k, 0.75f, a, 0, k, b, 0, n, 0f, large, 0, n, e);
                    assertArrayEquals(Arrays.copyOf(large, m * n), small, g.name() + " " + Arrays.toString(s) + " epilogue " + epi);
                }
            }
        }
    }

    @Test
    void kZeroScalesCAndAppliesTheEpilogue() {
        for (Gemm g : paths()) {
            float[] c = {1f, -2f, 3f, -4f};
            float[] bias = {0.5f, -10f};
            g.sgemm(false, false, 2, 2, 0, 1f, null, 0, 1, null, 0, 2, 2f, c, 0, 2,
                    GemmEpilogue.biasPerColumn(bias, 0).withActivation(Eltwise.relu()));
            assertArrayEquals(new float[] {2.5f, 0f, 6.5f, 0f}, c, g.name());
        }
    }

    @Test
    void everyBadArgumentIsNamedAndLeavesCUntouched() {
        float[] a = random(12, 1), b = random(12, 2), c0 = random(9, 3);
        record Bad(String name, Consumer<float[]> call) {}
        List<Bad> bad = List.of(
                new Bad("m", c -> g().sgemm(false, false, -1, 3, 4, 1f, a, 0, 4, b, 0, 3, 0f, c, 0, 3)),
                new Bad("n", c -> g().sgemm(false, false, 3, -1, 4, 1f, a, 0, 4, b, 0, 3, 0f, c, 0, 3)),
                new Bad("k", c -> g().sgemm(false, false, 3, 3, -4, 1f, a, 0, 4, b, 0, 3, 0f, c, 0, 3)),
                new Bad("lda", c -> g().sgemm(false, false, 3, 3, 4, 1f, a, 0, 3, b, 0, 3, 0f, c, 0, 3)),
                new Bad("lda", c -> g().sgemm(true, false, 3, 3, 4, 1f, a, 0, 2, b, 0, 3, 0f, c, 0, 3)),
                new Bad("ldb", c -> g().sgemm(false, true, 3, 3, 4, 1f, a, 0, 4, b, 0, 3, 0f, c, 0, 3)),
                new Bad("ldc", c -> g().sgemm(false, false, 3, 3, 4, 1f, a, 0, 4, b, 0, 3, 0f, c, 0, 2)),
                new Bad("a", c -> g().sgemm(false, false, 3, 3, 4, 1f, a, 1, 4, b, 0, 3, 0f, c, 0, 3)),
                new Bad("a", c -> g().sgemm(false, false, 3, 3, 4, 1f, null, 0, 4, b, 0, 3, 0f, c, 0, 3)),
                new Bad("b", c -> g().sgemm(false, false, 3, 3, 4, 1f, a, 0, 4, b, 2, 3, 0f, c, 0, 3)),
                new Bad("c", c -> g().sgemm(false, false, 3, 3, 4, 1f, a, 0, 4, b, 0, 3, 0f, c, 1, 3)),
                new Bad("c", c -> g().sgemm(false, false, 3, 3, 4, 1f, a, 0, 4, b, 0, 3, 0f, c, -1, 3)),
                new Bad("alpha", c -> g().sgemm(false, false, 3, 3, 4, Float.NaN, a, 0, 4, b, 0, 3, 0f, c, 0, 3)),
                new Bad("beta", c -> g().sgemm(false, false, 3, 3, 4, 1f, a, 0, 4, b, 0, 3, Float.POSITIVE_INFINITY, c, 0, 3)),
                new Bad("c must not overlap a", c -> g().sgemm(false, false, 2, 2, 2, 1f, c, 0, 2, b, 0, 2, 0f, c, 2, 2)),
                new Bad("c must not overlap b", c -> g().sgemm(false, false, 2, 2, 2, 1f, a, 0, 2, c, 4, 2, 0f, c, 5, 2)),
                new Bad("bias", c -> g().sgemm(false, false, 3, 3, 4, 1f, a, 0, 4, b, 0, 3, 0f, c, 0, 3,
                        GemmEpilogue.biasPerColumn(new float[2], 0))),
                new Bad("z", c -> g().sgemm(false, false, 3, 3, 4, 1f, a, 0, 4, b, 0, 3, 0f, c, 0, 3,
                        GemmEpilogue.none().withPreActivation(new float[8], 0, 3))),
                new Bad("everActive", c -> g().sgemm(false, false, 3, 3, 4, 1f, a, 0, 4, b, 0, 3, 0f, c, 0, 3,
                        GemmEpilogue.none().withEverActive(new boolean[3], 1))));
        for (Gemm g : paths()) {
            current = g;
            for (Bad x : bad) {
                float[] c = c0.clone();
                RuntimeException e = assertThrows(RuntimeException.class, () -> x.call.accept(c), x.name);
                assertTrue(e.getMessage().startsWith(x.name), "message '" + e.getMessage() + "' should start with " + x.name);
                assertArrayEquals(c0, c, x.name + ": C was written before the check");
            }
        }
    }

    private static Gemm current;

    private static Gemm g() {
        return current;
    }

    @Test
    void concurrentAndNestedCallersGetTheBitsOfALoneCall() throws Exception {
        int m = 150, n = 70, k = 300;
        float[] a = random(m * k, 5), b = random(k * n, 6);
        for (Gemm g0 : paths()) {
            Gemm g = g0.withParallelism(4);
            float[] alone = new float[m * n];
            g.withParallelism(1).sgemm(false, true, m, n, k, 0.75f, a, 0, k, transpose(b, k, n), 0, k, 0f, alone, 0, n);
            float[] bt = transpose(b, k, n);
            Callable<float[]> job = () -> {
                float[] c = new float[m * n];
                for (int rep = 0; rep < 5; rep++) g.sgemm(false, true, m, n, k, 0.75f, a, 0, k, bt, 0, k, 0f, c, 0, n);
                return c;
            };
            ExecutorService callers = Executors.newFixedThreadPool(4);
            ForkJoinPool fj = new ForkJoinPool(4);
            try {
                List<Future<float[]>> results = new ArrayList<>();
                for (int t = 0; t < 4; t++) results.add(callers.submit(job));
                for (int t = 0; t < 4; t++) results.add(fj.submit(job));
                // a parallel stream inside the pool: nested calls run on their own threads
                results.add(fj.submit(() -> List.of(1, 2, 3, 4).parallelStream().map(x -> {
                    try {
                        return job.call();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).reduce((x, y) -> {
                    assertArrayEquals(x, y);
                    return x;
                }).orElseThrow()));
                for (Future<float[]> f : results) {
                    assertArrayEquals(alone, f.get(), g.name() + ": a concurrent caller got other bits");
                }
            } finally {
                callers.shutdownNow();
                fj.shutdownNow();
            }
        }
    }

    static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
        return t;
    }

    @Test
    void parallelismIsValidated() {
        for (Gemm g : paths()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.withParallelism(0));
            assertTrue(e.getMessage().contains("threads"));
            assertEquals(3, g.withParallelism(3).parallelism());
        }
    }
}
