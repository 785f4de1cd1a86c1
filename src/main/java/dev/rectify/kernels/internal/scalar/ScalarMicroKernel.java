package dev.rectify.kernels.internal.scalar;

import dev.rectify.kernels.internal.GemmBlocking;
import dev.rectify.kernels.internal.GemmProblem;
import dev.rectify.kernels.internal.GemmSmallShapes;
import dev.rectify.kernels.internal.GemmWriteBack;
import dev.rectify.kernels.internal.MicroKernel;

/**
 * Not API. The scalar GEMM micro-kernel: a 4 x 4 register tile of scalar fused multiply-adds (16 accumulators,
 * which x86-64's 16 float registers just hold), run by the same driver as the SIMD path. Every C element sees the
 * same fma sequence as on the SIMD path, so the results are bit-identical (see {@code Gemm}).
 */
public final class ScalarMicroKernel implements MicroKernel {
    /** The single instance; the class is stateless. */
    public static final ScalarMicroKernel INSTANCE = new ScalarMicroKernel();
    static final int MR = 4, NR = 4;
    /** A fresh tile's starting sums: +0.0, as the contract's chains start. */
    private static final float[] FRESH = new float[MR * NR];

    private ScalarMicroKernel() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public int rowChunk() {
        return 64;
    }

    @Override
    public void rowBlock(float[] a, int aOff, int incA, float[] b, int bOff, int ldb, int kc, int nr, float[] acc) {
        GemmSmallShapes.rowBlockTail(a, aOff, incA, b, bOff, ldb, kc, 0, nr, acc);
    }

    @Override
    public float dot(float[] a, int aOff, float[] x, int xOff, int k, float[] lanes) {
        java.util.Arrays.fill(lanes, 0, GemmBlocking.DOT_LANES, 0f);
        return GemmSmallShapes.dotTail(a, aOff, x, xOff, 0, k, lanes);
    }

    @Override
    public void tile(GemmProblem p, int kc, float[] pa, int ao, float[] pb, int bo, int i0, int j0, int mr, int nr,
                        boolean first, boolean last, float[] t) {
        partialTile(kc, pa, ao, pb, bo, FRESH, 0, t, 0);
        GemmWriteBack.writeBack(p, t, NR, i0, j0, mr, nr, first, last);
    }

    @Override
    public void partialTile(int kc, float[] pa, int ao, float[] pb, int bo, float[] f, int fo, float[] t, int to) {
        float c00 = f[fo], c01 = f[fo + 1], c02 = f[fo + 2], c03 = f[fo + 3];
        float c10 = f[fo + 4], c11 = f[fo + 5], c12 = f[fo + 6], c13 = f[fo + 7];
        float c20 = f[fo + 8], c21 = f[fo + 9], c22 = f[fo + 10], c23 = f[fo + 11];
        float c30 = f[fo + 12], c31 = f[fo + 13], c32 = f[fo + 14], c33 = f[fo + 15];
        for (int q = 0; q < kc; q++, ao += MR, bo += NR) {
            float b0 = pb[bo], b1 = pb[bo + 1], b2 = pb[bo + 2], b3 = pb[bo + 3];
            float a = pa[ao];
            c00 = Math.fma(a, b0, c00); c01 = Math.fma(a, b1, c01); c02 = Math.fma(a, b2, c02); c03 = Math.fma(a, b3, c03);
            a = pa[ao + 1];
            c10 = Math.fma(a, b0, c10); c11 = Math.fma(a, b1, c11); c12 = Math.fma(a, b2, c12); c13 = Math.fma(a, b3, c13);
            a = pa[ao + 2];
            c20 = Math.fma(a, b0, c20); c21 = Math.fma(a, b1, c21); c22 = Math.fma(a, b2, c22); c23 = Math.fma(a, b3, c23);
            a = pa[ao + 3];
            c30 = Math.fma(a, b0, c30); c31 = Math.fma(a, b1, c31); c32 = Math.fma(a, b2, c32); c33 = Math.fma(a, b3, c33);
        }
        t[to] = c00; t[to + 1] = c01; t[to + 2] = c02; t[to + 3] = c03;
        t[to + 4] = c10; t[to + 5] = c11; t[to + 6] = c12; t[to + 7] = c13;
        t[to + 8] = c20; t[to + 9] = c21; t[to + 10] = c22; t[to + 11] = c23;
        t[to + 12] = c30; t[to + 13] = c31; t[to + 14] = c32; t[to + 15] = c33;
    }
}
