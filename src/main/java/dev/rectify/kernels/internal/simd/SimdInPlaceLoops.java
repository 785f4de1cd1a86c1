package dev.rectify.kernels.internal.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Not API. The micro-kernel's k loops that read A or B where the caller keeps them (rows of A with stride lda, rows
 * of B with stride rsB) rather than from packed panels; the 5 x (2 vectors) register tile and the fma order of the
 * packed loops in {@link SimdMicroKernel}, so the same bits. A superclass of it, so these are final methods of the
 * one per-width class (see {@link SimdLoops}).
 */
abstract class SimdInPlaceLoops extends SimdRowTileLoops {
    SimdInPlaceLoops(int lanes, SimdActivations activations) {
        super(lanes, activations);
    }

    /**
     * {@link #accumulateStrided}'s loop with A read from five rows of the caller's matrix and B in place (its k
     * steps {@code step} floats apart), stored to out[off + r ld + j]: the same fma chains, so the same bits. Each
     * row index is a loop-invariant base plus q, which keeps the bounds checks on A hoisted.
     */
    final void accumulateRows(int kc, float[] a, int aOff, int lda, float[] b, int bo, int step, float[] out, int off,
                              int ld) {
        final VectorSpecies<Float> sp = species();
        final int l = sp.length();
        final int a0 = aOff, a1 = aOff + lda, a2 = aOff + 2 * lda, a3 = aOff + 3 * lda, a4 = aOff + 4 * lda;
        FloatVector c00 = FloatVector.fromArray(sp, ZEROS, 0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00;
        for (int q = 0; q < kc; q++) {
            final int bi = bo + q * step;
            FloatVector b0 = FloatVector.fromArray(sp, b, bi), b1 = FloatVector.fromArray(sp, b, bi + l);
            FloatVector v = b0.broadcast(a[a0 + q]);
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
        }
        c00.intoArray(out, off);
        c01.intoArray(out, off + l);
        c10.intoArray(out, off + ld);
        c11.intoArray(out, off + ld + l);
        c20.intoArray(out, off + 2 * ld);
        c21.intoArray(out, off + 2 * ld + l);
        c30.intoArray(out, off + 3 * ld);
        c31.intoArray(out, off + 3 * ld + l);
        c40.intoArray(out, off + 4 * ld);
        c41.intoArray(out, off + 4 * ld + l);
    }

    /**
     * {@link #accumulateRows} against a packed B panel: the same loop with B's step counted from the lane count,
     * a constant to C2, which then compiles the k loop as a counted loop (see SimdMicroKernel.accumulatePacked).
     */
    final void accumulateRowsPacked(int kc, float[] a, int aOff, int lda, float[] pb, int bo, float[] out, int off,
                                    int ld) {
        final VectorSpecies<Float> sp = species();
        final int l = sp.length(), step = 2 * l;
        final int a0 = aOff, a1 = aOff + lda, a2 = aOff + 2 * lda, a3 = aOff + 3 * lda, a4 = aOff + 4 * lda;
        FloatVector c00 = FloatVector.fromArray(sp, ZEROS, 0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00;
        for (int q = 0; q < kc; q++) {
            final int bi = bo + q * step;
            FloatVector b0 = FloatVector.fromArray(sp, pb, bi), b1 = FloatVector.fromArray(sp, pb, bi + l);
            FloatVector v = b0.broadcast(a[a0 + q]);
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
        }
        c00.intoArray(out, off);
        c01.intoArray(out, off + l);
        c10.intoArray(out, off + ld);
        c11.intoArray(out, off + ld + l);
        c20.intoArray(out, off + 2 * ld);
        c21.intoArray(out, off + 2 * ld + l);
        c30.intoArray(out, off + 3 * ld);
        c31.intoArray(out, off + 3 * ld + l);
        c40.intoArray(out, off + 4 * ld);
        c41.intoArray(out, off + 4 * ld + l);
    }

    /**
     * {@link #accumulateRowsPacked} for a panel of at most one vector's columns (the rest is padding): only the first
     * vector of each k step is loaded and multiplied, into out[off + r ld + j] for j below the lane count. The same
     * fma chains for those columns, so the same bits, at half the arithmetic of the full tile.
     */
    final void accumulateRowsPackedNarrow(int kc, float[] a, int aOff, int lda, float[] pb, int bo, float[] out, int off,
                                          int ld) {
        final VectorSpecies<Float> sp = species();
        final int step = 2 * sp.length();
        final int a0 = aOff, a1 = aOff + lda, a2 = aOff + 2 * lda, a3 = aOff + 3 * lda, a4 = aOff + 4 * lda;
        FloatVector c0 = FloatVector.fromArray(sp, ZEROS, 0), c1 = c0, c2 = c0, c3 = c0, c4 = c0;
        for (int q = 0; q < kc; q++) {
            FloatVector b0 = FloatVector.fromArray(sp, pb, bo + q * step);
            c0 = b0.broadcast(a[a0 + q]).fma(b0, c0);
            c1 = b0.broadcast(a[a1 + q]).fma(b0, c1);
            c2 = b0.broadcast(a[a2 + q]).fma(b0, c2);
            c3 = b0.broadcast(a[a3 + q]).fma(b0, c3);
            c4 = b0.broadcast(a[a4 + q]).fma(b0, c4);
        }
        c0.intoArray(out, off);
        c1.intoArray(out, off + ld);
        c2.intoArray(out, off + 2 * ld);
        c3.intoArray(out, off + 3 * ld);
        c4.intoArray(out, off + 4 * ld);
    }

    /**
     * {@link #accumulateRowsPackedNarrow} for two row tiles, rows r of out[off + r ld] for r below 2 MR: ten
     * independent fma chains per k step where five leave the two FMA pipes waiting on the chains' latency half the
     * time (the 10-class output layer at 16 lanes, docs/design.md). The same chains, so the same bits.
     */
    final void accumulateRowsPackedNarrowPair(int kc, float[] a, int aOff, int lda, float[] pb, int bo, float[] out,
                                              int off, int ld) {
        final VectorSpecies<Float> sp = species();
        final int step = 2 * sp.length();
        final int a0 = aOff, a1 = aOff + lda, a2 = aOff + 2 * lda, a3 = aOff + 3 * lda, a4 = aOff + 4 * lda;
        final int a5 = aOff + 5 * lda, a6 = aOff + 6 * lda, a7 = aOff + 7 * lda, a8 = aOff + 8 * lda, a9 = aOff + 9 * lda;
        FloatVector c0 = FloatVector.fromArray(sp, ZEROS, 0), c1 = c0, c2 = c0, c3 = c0, c4 = c0;
        FloatVector c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0;
        for (int q = 0; q < kc; q++) {
            FloatVector b0 = FloatVector.fromArray(sp, pb, bo + q * step);
            c0 = b0.broadcast(a[a0 + q]).fma(b0, c0);
            c1 = b0.broadcast(a[a1 + q]).fma(b0, c1);
            c2 = b0.broadcast(a[a2 + q]).fma(b0, c2);
            c3 = b0.broadcast(a[a3 + q]).fma(b0, c3);
            c4 = b0.broadcast(a[a4 + q]).fma(b0, c4);
            c5 = b0.broadcast(a[a5 + q]).fma(b0, c5);
            c6 = b0.broadcast(a[a6 + q]).fma(b0, c6);
            c7 = b0.broadcast(a[a7 + q]).fma(b0, c7);
            c8 = b0.broadcast(a[a8 + q]).fma(b0, c8);
            c9 = b0.broadcast(a[a9 + q]).fma(b0, c9);
        }
        c0.intoArray(out, off);
        c1.intoArray(out, off + 1 * ld);
        c2.intoArray(out, off + 2 * ld);
        c3.intoArray(out, off + 3 * ld);
        c4.intoArray(out, off + 4 * ld);
        c5.intoArray(out, off + 5 * ld);
        c6.intoArray(out, off + 6 * ld);
        c7.intoArray(out, off + 7 * ld);
        c8.intoArray(out, off + 8 * ld);
        c9.intoArray(out, off + 9 * ld);
    }

    /**
     * Two rows of A in place (at a0 and a1) against four vectors of B in place, its k steps {@code step} floats
     * apart, into out[off + r ld + j]: the rows past the last full tile, which a tile padded to MR rows would run
     * at 2/5 of its fmas. Eight fma chains cover the fma latency at two per cycle. Each element's chain is the
     * tile's, so the same bits.
     */
    final void accumulateTwoRowsWide(int kc, float[] a, int a0, int a1, float[] b, int bo, int step, float[] out,
                                     int off, int ld) {
        final VectorSpecies<Float> sp = species();
        final int l = lanes;
        FloatVector c00 = FloatVector.fromArray(sp, ZEROS, 0), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        for (int q = 0; q < kc; q++) {
            final int bi = bo + q * step;
            FloatVector b0 = FloatVector.fromArray(sp, b, bi), b1 = FloatVector.fromArray(sp, b, bi + l);
            FloatVector b2 = FloatVector.fromArray(sp, b, bi + 2 * l), b3 = FloatVector.fromArray(sp, b, bi + 3 * l);
            FloatVector v = b0.broadcast(a[a0 + q]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            c02 = v.fma(b2, c02);
            c03 = v.fma(b3, c03);
            v = b0.broadcast(a[a1 + q]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            c12 = v.fma(b2, c12);
            c13 = v.fma(b3, c13);
        }
        c00.intoArray(out, off);
        c01.intoArray(out, off + l);
        c02.intoArray(out, off + 2 * l);
        c03.intoArray(out, off + 3 * l);
        c10.intoArray(out, off + ld);
        c11.intoArray(out, off + ld + l);
        c12.intoArray(out, off + ld + 2 * l);
        c13.intoArray(out, off + ld + 3 * l);
    }

    /**
     * {@link #accumulateTwoRowsWide} for four rows, the fourth {@code last} past the third (three rows pass 0):
     * 16 chains, four fmas per line of B, where two-row passes were L2-bound (two fmas per line). 16 accumulators,
     * four B vectors and a broadcast: 512-bit only, where there are 32 registers.
     */
    final void accumulateFourRowsWide(int kc, float[] a, int a0, int lda, int last, float[] b, int bo, int step,
                                      float[] out, int off, int ld) {
        final VectorSpecies<Float> sp = species();
        final int l = lanes, a1 = a0 + lda, a2 = a0 + 2 * lda, a3 = a2 + last;
        FloatVector c00 = FloatVector.fromArray(sp, ZEROS, 0), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00, c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (int q = 0; q < kc; q++) {
            final int bi = bo + q * step;
            FloatVector b0 = FloatVector.fromArray(sp, b, bi), b1 = FloatVector.fromArray(sp, b, bi + l);
            FloatVector b2 = FloatVector.fromArray(sp, b, bi + 2 * l), b3 = FloatVector.fromArray(sp, b, bi + 3 * l);
            FloatVector v = b0.broadcast(a[a0 + q]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            c02 = v.fma(b2, c02);
            c03 = v.fma(b3, c03);
            v = b0.broadcast(a[a1 + q]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            c12 = v.fma(b2, c12);
            c13 = v.fma(b3, c13);
            v = b0.broadcast(a[a2 + q]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            c22 = v.fma(b2, c22);
            c23 = v.fma(b3, c23);
            v = b0.broadcast(a[a3 + q]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            c32 = v.fma(b2, c32);
            c33 = v.fma(b3, c33);
        }
        c00.intoArray(out, off);
        c01.intoArray(out, off + l);
        c02.intoArray(out, off + 2 * l);
        c03.intoArray(out, off + 3 * l);
        c10.intoArray(out, off + ld);
        c11.intoArray(out, off + ld + l);
        c12.intoArray(out, off + ld + 2 * l);
        c13.intoArray(out, off + ld + 3 * l);
        c20.intoArray(out, off + 2 * ld);
        c21.intoArray(out, off + 2 * ld + l);
        c22.intoArray(out, off + 2 * ld + 2 * l);
        c23.intoArray(out, off + 2 * ld + 3 * l);
        c30.intoArray(out, off + 3 * ld);
        c31.intoArray(out, off + 3 * ld + l);
        c32.intoArray(out, off + 3 * ld + 2 * l);
        c33.intoArray(out, off + 3 * ld + 3 * l);
    }

    /** {@link #accumulateTwoRowsWide} for a single row: four chains, latency-bound, still 2.5x a padded tile. */
    final void accumulateOneRowWide(int kc, float[] a, int a0, float[] b, int bo, int step, float[] out, int off) {
        final VectorSpecies<Float> sp = species();
        final int l = lanes;
        FloatVector c0 = FloatVector.fromArray(sp, ZEROS, 0), c1 = c0, c2 = c0, c3 = c0;
        for (int q = 0; q < kc; q++) {
            final int bi = bo + q * step;
            FloatVector b0 = FloatVector.fromArray(sp, b, bi);
            FloatVector v = b0.broadcast(a[a0 + q]);
            c0 = v.fma(b0, c0);
            c1 = v.fma(FloatVector.fromArray(sp, b, bi + l), c1);
            c2 = v.fma(FloatVector.fromArray(sp, b, bi + 2 * l), c2);
            c3 = v.fma(FloatVector.fromArray(sp, b, bi + 3 * l), c3);
        }
        c0.intoArray(out, off);
        c1.intoArray(out, off + l);
        c2.intoArray(out, off + 2 * l);
        c3.intoArray(out, off + 3 * l);
    }

    /**
     * The MR x NR sums of a packed A panel and B read in place, its k steps {@code step} floats apart, into
     * out[off + r ld + j]: stored, or added to what is there when {@code add}.
     */
    final void accumulateStrided(int kc, float[] pa, int ao, float[] b, int bo, int step, float[] out, int off,
                                 int ld, boolean add) {
        final VectorSpecies<Float> sp = species();
        final int l = lanes;
        // Static factories (zero, broadcast) of a species held in a field are not intrinsified by C2, and
        // one boxed vector makes every accumulator a heap object: start from a load, broadcast from a vector.
        FloatVector c00 = FloatVector.fromArray(sp, ZEROS, 0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00;
        // Indices are linear in q, so C2 hoists the bounds checks out of the loop.
        for (int q = 0; q < kc; q++) {
            final int ai = ao + q * MR, bi = bo + q * step;
            FloatVector b0 = FloatVector.fromArray(sp, b, bi), b1 = FloatVector.fromArray(sp, b, bi + l);
            FloatVector a = b0.broadcast(pa[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = b0.broadcast(pa[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = b0.broadcast(pa[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = b0.broadcast(pa[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = b0.broadcast(pa[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(sp, out, off));
            c01 = c01.add(FloatVector.fromArray(sp, out, off + l));
            c10 = c10.add(FloatVector.fromArray(sp, out, off + ld));
            c11 = c11.add(FloatVector.fromArray(sp, out, off + ld + l));
            c20 = c20.add(FloatVector.fromArray(sp, out, off + 2 * ld));
            c21 = c21.add(FloatVector.fromArray(sp, out, off + 2 * ld + l));
            c30 = c30.add(FloatVector.fromArray(sp, out, off + 3 * ld));
            c31 = c31.add(FloatVector.fromArray(sp, out, off + 3 * ld + l));
            c40 = c40.add(FloatVector.fromArray(sp, out, off + 4 * ld));
            c41 = c41.add(FloatVector.fromArray(sp, out, off + 4 * ld + l));
        }
        c00.intoArray(out, off);
        c01.intoArray(out, off + l);
        c10.intoArray(out, off + ld);
        c11.intoArray(out, off + ld + l);
        c20.intoArray(out, off + 2 * ld);
        c21.intoArray(out, off + 2 * ld + l);
        c30.intoArray(out, off + 3 * ld);
        c31.intoArray(out, off + 3 * ld + l);
        c40.intoArray(out, off + 4 * ld);
        c41.intoArray(out, off + 4 * ld + l);
    }
}
