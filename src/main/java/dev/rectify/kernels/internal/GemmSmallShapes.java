package dev.rectify.kernels.internal;

import static dev.rectify.kernels.internal.GemmBlocking.DOT_LANES;
import static dev.rectify.kernels.internal.GemmBlocking.kBlock;

/**
 * Not API. The shapes for which the packed loop nest of {@link GemmDriver} does not pay, each with the same bits
 * as the contract states for it (EJML's pattern: the facade dispatches by size, each variant says when it wins).
 */
public final class GemmSmallShapes {
    private GemmSmallShapes() {}

    /**
     * Wins up to {@link GemmBlocking#TINY_WORK} multiply-adds with k within one block: packing and edge tiles would
     * cost more than the arithmetic (the born-dead estimate's 101 x 2 x 2 layers). The whole product, unpacked,
     * goes into a scratch tile, then one write-back: each element the same in-order fma chain over k as the
     * packed path, so the same bits.
     */
    public static void tiny(GemmProblem p) {
        final int m = p.m, n = p.n, k = p.k, rsA = p.rsA, csA = p.csA, rsB = p.rsB, csB = p.csB;
        final float[] a = p.a, b = p.b;
        GemmBuffers buf = GemmBuffers.get();
        buf.ensure(0, 0, m * n, 0);
        final float[] acc = buf.tile;
        java.util.Arrays.fill(acc, 0, m * n, 0f);
        for (int i = 0; i < m; i++) {
            final int row = i * n, ai = p.aOff + i * rsA;
            for (int q = 0; q < k; q++) {
                final float aq = a[ai + q * csA];
                final int bq = p.bOff + q * rsB;
                for (int j = 0; j < n; j++) {
                    acc[row + j] = Math.fma(aq, b[bq + j * csB], acc[row + j]);
                }
            }
        }
        GemmWriteBack.writeBack(p, acc, n, 0, 0, m, n, true, true);
    }

    /**
     * Wins for a matrix-vector product with A's rows contiguous (n == 1, A not transposed): A is streamed once
     * instead of packed, each row summed as a {@link GemmBlocking#DOT_LANES}-way interleaved dot product (the
     * contract's one exception to the k order, the same on every path and width).
     */
    public static void matrixVector(GemmProblem p, MicroKernel kernel, float[] a, int aOff, int lda, float[] x,
                                    int xOff, int incx, int m, int k) {
        GemmBuffers buf = GemmBuffers.get();
        buf.ensure(m, incx == 1 ? 0 : k, DOT_LANES, 0);
        float[] xv = x;
        int xo = xOff;
        if (incx != 1) {
            for (int q = 0; q < k; q++) {
                buf.pb[q] = x[xOff + q * incx];
            }
            xv = buf.pb;
            xo = 0;
        }
        for (int i = 0; i < m; i++) {
            buf.pa[i] = kernel.dot(a, aOff + i * lda, xv, xo, k, buf.tile);
        }
        // In executed coordinates the m results are one row (m > 1 runs transposed) or one element.
        GemmWriteBack.writeBack(p, buf.pa, p.n, 0, 0, p.m, p.n, true, true);
    }

    /** The interleaved dot product from product {@code from} on, onto partial sums already in {@code lanes}. */
    public static float dotTail(float[] a, int aOff, float[] x, int xOff, int from, int k, float[] lanes) {
        for (int q = from; q < k; q++) {
            int l = (q - from) & (DOT_LANES - 1);
            lanes[l] = Math.fma(a[aOff + q], x[xOff + q], lanes[l]);
        }
        for (int half = DOT_LANES / 2; half > 0; half /= 2) {
            for (int l = 0; l < half; l++) {
                lanes[l] += lanes[l + half];
            }
        }
        return lanes[0];
    }

    /**
     * Wins for m == 1 with B's rows contiguous (a row vector times a matrix): B is streamed row by row, without
     * packing, in column chunks of the micro-kernel's {@code rowChunk()}; each element's sum keeps the k-block
     * order of the packed path.
     */
    public static void rowVector(GemmProblem p, MicroKernel kernel, float[] a, int aOff, int incA, float[] b,
                                 int bOff, int ldb, int n, int k) {
        GemmBuffers buf = GemmBuffers.get();
        int w = kernel.rowChunk();
        buf.ensure(0, 0, w, 0);
        final int kb = kBlock(k);
        for (int j0 = 0; j0 < n; j0 += w) {
            int nrr = Math.min(w, n - j0);
            int pc = 0;
            do {
                int kc = Math.min(kb, k - pc);
                kernel.rowBlock(a, aOff + pc * incA, incA, b, bOff + pc * ldb + j0, ldb, kc, nrr, buf.tile);
                GemmWriteBack.writeBack(p, buf.tile, nrr, 0, j0, 1, nrr, pc == 0, pc + kc >= k);
                pc += kc;
            } while (pc < k);
        }
    }

    /** Scalar rowBlock over columns [from, nr): the reference order, also the SIMD path's remainder. */
    public static void rowBlockTail(float[] a, int aOff, int incA, float[] b, int bOff, int ldb, int kc,
                                    int from, int nr, float[] acc) {
        java.util.Arrays.fill(acc, from, nr, 0f);
        for (int q = 0; q < kc; q++) {
            float aq = a[aOff + q * incA];
            int row = bOff + q * ldb;
            for (int j = from; j < nr; j++) {
                acc[j] = Math.fma(aq, b[row + j], acc[j]);
            }
        }
    }
}
