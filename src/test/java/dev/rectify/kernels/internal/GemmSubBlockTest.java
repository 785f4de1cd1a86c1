package dev.rectify.kernels.internal;

import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.internal.scalar.ScalarSupport;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The driver's k sub-blocks (MicroKernel.kSubBlock, on by default only on Intel at 16 lanes, so forced here on every
 * kernel with small depths): a k block run in parts, two A panels per B load where the kernel pairs them, the tiles'
 * sums parked in memory between parts, gives the bits of the unsplit block and of the contract's fma chain, for both
 * storage orders, alpha and beta, several k blocks (k &gt; KC), an epilogue, edge rows and columns, and one or two
 * threads.
 */
class GemmSubBlockTest {
    static final List<MicroKernel> KERNELS = GemmPackingTest.KERNELS;

    /** One product's inputs, run through a driver into a fresh copy of C. */
    record Case(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta, float[] a, int lda, float[] b,
                int ldb, float[] c0, float[] bias) {
        static Case random(SplittableRandom r, int m, int n, int k, boolean epilogue) {
            boolean transA = r.nextBoolean(), transB = r.nextBoolean();
            int lda = (transA ? m : k) + r.nextInt(3), ldb = (transB ? k : n) + r.nextInt(3);
            float alpha = r.nextBoolean() ? 1f : 0.75f, beta = r.nextInt(3) == 0 ? 0f : r.nextBoolean() ? 1f : -0.5f;
            return new Case(transA, transB, m, n, k, alpha, beta, GemmPackingTest.random(lda * (transA ? k : m), r), lda,
                    GemmPackingTest.random(ldb * (transB ? n : k), r), ldb, GemmPackingTest.random(m * n, r),
                    epilogue ? GemmPackingTest.random(n, r) : null);
        }

        float[] run(MicroKernel kernel, int threads, int kSub) {
            float[] c = c0.clone();
            GemmProblem p = new GemmProblem().set(transA, transB, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, n,
                    bias != null, bias, 0, true, bias != null ? Eltwise.relu() : null, null, 0, 0, null, 0,
                    ScalarSupport.path().activations(), kernel.nr());
            new GemmDriver(kernel, threads, kSub).execute(p);
            return c;
        }

        /** The contract's chain for element (i, j), written out: k blocks of equal depth, fma from +0.0 in each. */
        float contract(int i, int j) {
            int depth = GemmBlocking.kBlock(k);
            float c = c0[i * n + j];
            for (int pc = 0; pc < k; pc += depth) {
                float acc = 0f;
                for (int q = pc; q < Math.min(k, pc + depth); q++) {
                    acc = Math.fma(transA ? a[q * lda + i] : a[i * lda + q], transB ? b[j * ldb + q] : b[q * ldb + j], acc);
                }
                c = pc > 0 ? Math.fma(alpha, acc, c) : beta == 0f ? alpha * acc : Math.fma(alpha, acc, beta * c);
            }
            return c;
        }
    }

    static void assertSameBits(float[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), what + " at " + i);
        }
    }

    @Test
    void subBlocksGiveTheContractsBitsOnEveryKernel() {
        SplittableRandom r = new SplittableRandom(23);
        for (MicroKernel kernel : KERNELS) {
            for (int trial = 0; trial < 40; trial++) {
                int m = 1 + r.nextInt(90), n = 1 + r.nextInt(90), k = 2 + r.nextInt(120);
                Case x = Case.random(r, m, n, k, false);
                int kSub = 1 + r.nextInt(k - 1), threads = 1 + r.nextInt(2);
                float[] got = x.run(kernel, threads, kSub);
                String what = kernel.name() + " " + m + "x" + k + "x" + n + " kSub " + kSub + " threads " + threads
                        + " transA " + x.transA + " transB " + x.transB + " alpha " + x.alpha + " beta " + x.beta;
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        assertEquals(Float.floatToRawIntBits(x.contract(i, j)), Float.floatToRawIntBits(got[i * n + j]),
                                what + " at (" + i + ", " + j + ")");
                    }
                }
            }
        }
    }

    @Test
    void subBlocksKeepTheBitsOfWholeBlocksWithAnEpilogueAndSeveralKBlocks() {
        SplittableRandom r = new SplittableRandom(29);
        for (MicroKernel kernel : KERNELS) {
            for (int trial = 0; trial < 12; trial++) {
                boolean deep = trial % 3 == 0;   // k > KC: two k blocks, each run in parts
                int m = 1 + r.nextInt(deep ? 30 : 130), n = 1 + r.nextInt(deep ? 70 : 130);
                int k = deep ? GemmBlocking.KC + 1 + r.nextInt(200) : 2 + r.nextInt(300);
                Case x = Case.random(r, m, n, k, r.nextBoolean());
                int kSub = 1 + r.nextInt(Math.min(k, GemmBlocking.KC) - 1);
                int threads = 1 + r.nextInt(2);
                assertSameBits(x.run(kernel, threads, 0), x.run(kernel, threads, kSub), kernel.name() + " " + m + "x" + k
                        + "x" + n + " kSub " + kSub + " threads " + threads + " epilogue " + (x.bias != null));
            }
        }
    }

    @Test
    void aNegativeDepthIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GemmDriver(ScalarSupport.path().microKernel(), 1, -1));
        assertEquals("kSub must be >= 0, was -1", e.getMessage());
    }
}
