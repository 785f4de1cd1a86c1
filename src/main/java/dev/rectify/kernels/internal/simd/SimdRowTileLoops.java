package dev.rectify.kernels.internal.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Not API. The register tiles that read several rows of A where the caller keeps them against one pass over B:
 * ten rows (two five-row tiles) or eight rows of A stored row by row with B in place, and ten rows of an A stored
 * transposed against a packed B panel. Each element's fma chain is the one of its five-row tile, so the same bits.
 * A superclass of the micro-kernel, so these are final methods of the one per-width class (see {@link SimdLoops}).
 */
abstract class SimdRowTileLoops extends SimdTileWriteBack {
    /** +0.0 for two vectors of 16 lanes: the fresh accumulators (and a zero bias). */
    static final float[] ZEROS = new float[32];

    SimdRowTileLoops(int lanes, SimdActivations activations) {
        super(lanes, activations);
    }

    /**
     * {@link SimdInPlaceLoops#accumulateRows} for ten rows of A (two row tiles) per pass over B: each B load feeds 20 fmas instead
     * of 10, and each element's fma chain is the one of its own tile, so the same bits. 20 accumulators, two B
     * vectors and a broadcast fit the 32 registers of AVX-512.
     */
    final void accumulateRowsPair(int kc, float[] a, int aOff, int lda, float[] b, int bo, int step, float[] out, int off,
                                  int ld) {
        final VectorSpecies<Float> sp = species();
        final int l = sp.length();
        final int a0 = aOff, a1 = aOff + lda, a2 = aOff + 2 * lda, a3 = aOff + 3 * lda, a4 = aOff + 4 * lda;
        final int a5 = aOff + 5 * lda, a6 = aOff + 6 * lda, a7 = aOff + 7 * lda, a8 = aOff + 8 * lda, a9 = aOff + 9 * lda;
        FloatVector c00 = FloatVector.fromArray(sp, ZEROS, 0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00;
        FloatVector c70 = c00, c71 = c00, c80 = c00, c81 = c00, c90 = c00, c91 = c00;
        for (int q = 0; q < kc; q++) {
            final int bi = bo + q * step;
            FloatVector b0 = FloatVector.fromArray(sp, b, bi), b1 = FloatVector.fromArray(sp, b, bi + l);
            FloatVector v;
            v = b0.broadcast(a[a0 + q]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = b0.broadcast(a[a1 + q]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = b0.broadcast(a[a2 + q]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = b0.broadcast(a[a3 + q]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = b0.broadcast(a[a4 + q]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = b0.broadcast(a[a5 + q]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
            v = b0.broadcast(a[a6 + q]);
            c60 = v.fma(b0, c60);
            c61 = v.fma(b1, c61);
            v = b0.broadcast(a[a7 + q]);
            c70 = v.fma(b0, c70);
            c71 = v.fma(b1, c71);
            v = b0.broadcast(a[a8 + q]);
            c80 = v.fma(b0, c80);
            c81 = v.fma(b1, c81);
            v = b0.broadcast(a[a9 + q]);
            c90 = v.fma(b0, c90);
            c91 = v.fma(b1, c91);
        }
        c00.intoArray(out, off + 0 * ld);
        c01.intoArray(out, off + 0 * ld + l);
        c10.intoArray(out, off + 1 * ld);
        c11.intoArray(out, off + 1 * ld + l);
        c20.intoArray(out, off + 2 * ld);
        c21.intoArray(out, off + 2 * ld + l);
        c30.intoArray(out, off + 3 * ld);
        c31.intoArray(out, off + 3 * ld + l);
        c40.intoArray(out, off + 4 * ld);
        c41.intoArray(out, off + 4 * ld + l);
        c50.intoArray(out, off + 5 * ld);
        c51.intoArray(out, off + 5 * ld + l);
        c60.intoArray(out, off + 6 * ld);
        c61.intoArray(out, off + 6 * ld + l);
        c70.intoArray(out, off + 7 * ld);
        c71.intoArray(out, off + 7 * ld + l);
        c80.intoArray(out, off + 8 * ld);
        c81.intoArray(out, off + 8 * ld + l);
        c90.intoArray(out, off + 9 * ld);
        c91.intoArray(out, off + 9 * ld + l);
    }

    /**
     * {@link SimdInPlaceLoops#accumulateRows} for eight rows of A per pass over B (16 accumulators): each element's fma chain is the
     * one of its own row, so the same bits as five-row tiles.
     */
    final void accumulateEightRows(int kc, float[] a, int aOff, int lda, float[] b, int bo, int step, float[] out,
                                   int off, int ld) {
        final VectorSpecies<Float> sp = species();
        final int l = sp.length();
        final int a0 = aOff, a1 = aOff + lda, a2 = aOff + 2 * lda, a3 = aOff + 3 * lda, a4 = aOff + 4 * lda;
        final int a5 = aOff + 5 * lda, a6 = aOff + 6 * lda, a7 = aOff + 7 * lda;
        FloatVector c00 = FloatVector.fromArray(sp, ZEROS, 0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00;
        FloatVector c70 = c00, c71 = c00;
        for (int q = 0; q < kc; q++) {
            final int bi = bo + q * step;
            FloatVector b0 = FloatVector.fromArray(sp, b, bi), b1 = FloatVector.fromArray(sp, b, bi + l);
            FloatVector v;
            v = b0.broadcast(a[a0 + q]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = b0.broadcast(a[a1 + q]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = b0.broadcast(a[a2 + q]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = b0.broadcast(a[a3 + q]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = b0.broadcast(a[a4 + q]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = b0.broadcast(a[a5 + q]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
            v = b0.broadcast(a[a6 + q]);
            c60 = v.fma(b0, c60);
            c61 = v.fma(b1, c61);
            v = b0.broadcast(a[a7 + q]);
            c70 = v.fma(b0, c70);
            c71 = v.fma(b1, c71);
        }
        c00.intoArray(out, off + 0 * ld);
        c01.intoArray(out, off + 0 * ld + l);
        c10.intoArray(out, off + 1 * ld);
        c11.intoArray(out, off + 1 * ld + l);
        c20.intoArray(out, off + 2 * ld);
        c21.intoArray(out, off + 2 * ld + l);
        c30.intoArray(out, off + 3 * ld);
        c31.intoArray(out, off + 3 * ld + l);
        c40.intoArray(out, off + 4 * ld);
        c41.intoArray(out, off + 4 * ld + l);
        c50.intoArray(out, off + 5 * ld);
        c51.intoArray(out, off + 5 * ld + l);
        c60.intoArray(out, off + 6 * ld);
        c61.intoArray(out, off + 6 * ld + l);
        c70.intoArray(out, off + 7 * ld);
        c71.intoArray(out, off + 7 * ld + l);
    }

    /**
     * Ten rows of an A stored transposed, read in place (row i of the tile at k step q is {@code a[aOff + q lda + i]},
     * ten consecutive floats), against a packed B panel: the fma chains of two five-row tiles over packed A, so the
     * same bits, without packing A first (a dW = x^T dZ product's x^T).
     */
    final void accumulateTransposedAPair(int kc, float[] a, int aOff, int lda, float[] pb, int bo, float[] out, int off,
                                         int ld) {
        final VectorSpecies<Float> sp = species();
        final int l = sp.length(), step = 2 * l;
        FloatVector c00 = FloatVector.fromArray(sp, ZEROS, 0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00;
        FloatVector c70 = c00, c71 = c00, c80 = c00, c81 = c00, c90 = c00, c91 = c00;
        for (int q = 0; q < kc; q++) {
            final int bi = bo + q * step, ai = aOff + q * lda;
            FloatVector b0 = FloatVector.fromArray(sp, pb, bi), b1 = FloatVector.fromArray(sp, pb, bi + l);
            FloatVector v;
            v = b0.broadcast(a[ai + 0]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = b0.broadcast(a[ai + 1]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = b0.broadcast(a[ai + 2]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = b0.broadcast(a[ai + 3]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = b0.broadcast(a[ai + 4]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = b0.broadcast(a[ai + 5]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
            v = b0.broadcast(a[ai + 6]);
            c60 = v.fma(b0, c60);
            c61 = v.fma(b1, c61);
            v = b0.broadcast(a[ai + 7]);
            c70 = v.fma(b0, c70);
            c71 = v.fma(b1, c71);
            v = b0.broadcast(a[ai + 8]);
            c80 = v.fma(b0, c80);
            c81 = v.fma(b1, c81);
            v = b0.broadcast(a[ai + 9]);
            c90 = v.fma(b0, c90);
            c91 = v.fma(b1, c91);
        }
        c00.intoArray(out, off + 0 * ld);
        c01.intoArray(out, off + 0 * ld + l);
        c10.intoArray(out, off + 1 * ld);
        c11.intoArray(out, off + 1 * ld + l);
        c20.intoArray(out, off + 2 * ld);
        c21.intoArray(out, off + 2 * ld + l);
        c30.intoArray(out, off + 3 * ld);
        c31.intoArray(out, off + 3 * ld + l);
        c40.intoArray(out, off + 4 * ld);
        c41.intoArray(out, off + 4 * ld + l);
        c50.intoArray(out, off + 5 * ld);
        c51.intoArray(out, off + 5 * ld + l);
        c60.intoArray(out, off + 6 * ld);
        c61.intoArray(out, off + 6 * ld + l);
        c70.intoArray(out, off + 7 * ld);
        c71.intoArray(out, off + 7 * ld + l);
        c80.intoArray(out, off + 8 * ld);
        c81.intoArray(out, off + 8 * ld + l);
        c90.intoArray(out, off + 9 * ld);
        c91.intoArray(out, off + 9 * ld + l);
    }
}
