package dev.rectify.kernels.internal.simd;

import dev.rectify.kernels.internal.GemmBlocking;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Not API. The micro-kernel's k loops over packed panels: the 5 x (2 vectors) tile ({@link #accumulatePacked}), two
 * such tiles against one B load ({@link #accumulatePair}), two tiles from rows of A copied at a constant stride
 * ({@link #accumulateCopiedRowsPair}) and the 8-lane dense-layer tile ({@link #accumulate8Layer}).
 * A superclass of {@link SimdMicroKernel}, so these are final methods of the one per-width class (see
 * {@link SimdLoops}); the loops reading A or B in place are in {@link SimdInPlaceLoops}.
 */
abstract class SimdPackedLoops extends SimdInPlaceLoops {
    SimdPackedLoops(int lanes, SimdActivations activations) {
        super(lanes, activations);
    }

    // B's k steps are two vectors apart, counted from the species' lane count, which C2 folds to a constant: a
    // stride passed in or read from a field keeps C2 from treating the k loop as a counted loop (8 lanes:
    // docs/design.md; 16 lanes, 1024^3: 0.86x the time with the constant).
    // The accumulators start from from[fo + r fld + j] (ZEROS with fld 0 for a fresh tile).
    final void accumulatePacked(int kc, float[] pa, int ao, float[] pb, int bo, float[] from, int fo, int fld,
                                float[] out, int off, int ld, boolean add) {
        final VectorSpecies<Float> sp = species();
        final int l = sp.length(), step = 2 * l;
        // Static factories (zero, broadcast) of a species held in a field are not intrinsified by C2, and
        // one boxed vector makes every accumulator a heap object: start from loads, broadcast from a vector.
        FloatVector c00 = FloatVector.fromArray(sp, from, fo), c01 = FloatVector.fromArray(sp, from, fo + l);
        FloatVector c10 = FloatVector.fromArray(sp, from, fo + fld), c11 = FloatVector.fromArray(sp, from, fo + fld + l);
        FloatVector c20 = FloatVector.fromArray(sp, from, fo + 2 * fld);
        FloatVector c21 = FloatVector.fromArray(sp, from, fo + 2 * fld + l);
        FloatVector c30 = FloatVector.fromArray(sp, from, fo + 3 * fld);
        FloatVector c31 = FloatVector.fromArray(sp, from, fo + 3 * fld + l);
        FloatVector c40 = FloatVector.fromArray(sp, from, fo + 4 * fld);
        FloatVector c41 = FloatVector.fromArray(sp, from, fo + 4 * fld + l);
        // A's index is the loop variable. Written as ao + q * MR, C2 strength-reduces q * 5 to (q << 2) + q,
        // no longer sees an index linear in the loop variable, keeps two bounds checks on pa inside the loop and
        // recomputes both indices every step (PrintAssembly and the A/B: docs/design.md). The B loads keep their checks (B's
        // index is a second induction variable). The order of the FMAs is unchanged, so are the bits.
        for (int ai = ao, bi = bo, aEnd = ao + kc * MR; ai < aEnd; ai += MR, bi += step) {
            FloatVector b0 = FloatVector.fromArray(sp, pb, bi), b1 = FloatVector.fromArray(sp, pb, bi + l);
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

    // Two panels' ten rows against one B load per k step: twenty accumulators, which fit AVX-512's 32 registers
    // (Intel's k sub-blocks and Zen 5's tile pairs, both at 16 lanes); row r of the ten goes to out[outOff + r outLd].
    // Per fma, half the B loads of accumulatePacked: at two FMAs per cycle the loads, not the FMAs, set the pace
    // (docs/design.md).
    final void accumulatePair(int kc, float[] pa, int paOff, int paOff2, float[] pb, int pbOff, float[] from,
                              int fromOff, float[] out, int outOff, int outLd) {
        final VectorSpecies<Float> sp = species();
        final int l = sp.length(), step = 2 * l, ld = 2 * l, f = fromOff, o = outOff, ol = outLd, d = paOff2 - paOff;
        FloatVector c00 = FloatVector.fromArray(sp, from, f), c01 = FloatVector.fromArray(sp, from, f + l);
        FloatVector c10 = FloatVector.fromArray(sp, from, f + ld), c11 = FloatVector.fromArray(sp, from, f + ld + l);
        FloatVector c20 = FloatVector.fromArray(sp, from, f + 2 * ld), c21 = FloatVector.fromArray(sp, from, f + 2 * ld + l);
        FloatVector c30 = FloatVector.fromArray(sp, from, f + 3 * ld), c31 = FloatVector.fromArray(sp, from, f + 3 * ld + l);
        FloatVector c40 = FloatVector.fromArray(sp, from, f + 4 * ld), c41 = FloatVector.fromArray(sp, from, f + 4 * ld + l);
        FloatVector c50 = FloatVector.fromArray(sp, from, f + 5 * ld), c51 = FloatVector.fromArray(sp, from, f + 5 * ld + l);
        FloatVector c60 = FloatVector.fromArray(sp, from, f + 6 * ld), c61 = FloatVector.fromArray(sp, from, f + 6 * ld + l);
        FloatVector c70 = FloatVector.fromArray(sp, from, f + 7 * ld), c71 = FloatVector.fromArray(sp, from, f + 7 * ld + l);
        FloatVector c80 = FloatVector.fromArray(sp, from, f + 8 * ld), c81 = FloatVector.fromArray(sp, from, f + 8 * ld + l);
        FloatVector c90 = FloatVector.fromArray(sp, from, f + 9 * ld), c91 = FloatVector.fromArray(sp, from, f + 9 * ld + l);
        // The second panel's index is the loop variable plus an invariant, so its bounds checks hoist too.
        for (int ai = paOff, bi = pbOff, aEnd = paOff + kc * MR; ai < aEnd; ai += MR, bi += step) {
            FloatVector b0 = FloatVector.fromArray(sp, pb, bi), b1 = FloatVector.fromArray(sp, pb, bi + l);
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
            a = b0.broadcast(pa[ai + d]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = b0.broadcast(pa[ai + d + 1]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = b0.broadcast(pa[ai + d + 2]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
            a = b0.broadcast(pa[ai + d + 3]);
            c80 = a.fma(b0, c80);
            c81 = a.fma(b1, c81);
            a = b0.broadcast(pa[ai + d + 4]);
            c90 = a.fma(b0, c90);
            c91 = a.fma(b1, c91);
        }
        c00.intoArray(out, o);
        c01.intoArray(out, o + l);
        c10.intoArray(out, o + ol);
        c11.intoArray(out, o + ol + l);
        c20.intoArray(out, o + 2 * ol);
        c21.intoArray(out, o + 2 * ol + l);
        c30.intoArray(out, o + 3 * ol);
        c31.intoArray(out, o + 3 * ol + l);
        c40.intoArray(out, o + 4 * ol);
        c41.intoArray(out, o + 4 * ol + l);
        c50.intoArray(out, o + 5 * ol);
        c51.intoArray(out, o + 5 * ol + l);
        c60.intoArray(out, o + 6 * ol);
        c61.intoArray(out, o + 6 * ol + l);
        c70.intoArray(out, o + 7 * ol);
        c71.intoArray(out, o + 7 * ol + l);
        c80.intoArray(out, o + 8 * ol);
        c81.intoArray(out, o + 8 * ol + l);
        c90.intoArray(out, o + 9 * ol);
        c91.intoArray(out, o + 9 * ol + l);
    }

    // The ten rows of A the driver copied GemmBlocking.A_ROW_STRIDE floats apart, against one B load per k step, stored
    // to out[off + r ld + j]: the fma chains of accumulateRowsPacked's tiles (the same bits), with a constant row
    // stride. C2 folds each row's constant offset into its broadcast's address, one index for all ten; with the
    // caller's lda each row's index is an add of its own, and the loop issued 63 instructions per k step instead of
    // 47 (docs/design.md).
    final void accumulateCopiedRowsPair(int kc, float[] a, int aOff, float[] pb, int bo, float[] out, int off, int ld) {
        final VectorSpecies<Float> sp = species();
        final int l = sp.length(), step = 2 * l, stride = GemmBlocking.A_ROW_STRIDE;
        FloatVector c00 = FloatVector.fromArray(sp, ZEROS, 0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00;
        FloatVector c70 = c00, c71 = c00, c80 = c00, c81 = c00, c90 = c00, c91 = c00;
        // Both indices linear in q, so C2 hoists the bounds checks of A and B out of the loop.
        for (int q = 0; q < kc; q++) {
            final int ai = aOff + q, bi = bo + q * step;
            FloatVector b0 = FloatVector.fromArray(sp, pb, bi), b1 = FloatVector.fromArray(sp, pb, bi + l);
            FloatVector v;
            v = b0.broadcast(a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = b0.broadcast(a[ai + 1 * stride]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = b0.broadcast(a[ai + 2 * stride]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = b0.broadcast(a[ai + 3 * stride]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = b0.broadcast(a[ai + 4 * stride]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = b0.broadcast(a[ai + 5 * stride]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
            v = b0.broadcast(a[ai + 6 * stride]);
            c60 = v.fma(b0, c60);
            c61 = v.fma(b1, c61);
            v = b0.broadcast(a[ai + 7 * stride]);
            c70 = v.fma(b0, c70);
            c71 = v.fma(b1, c71);
            v = b0.broadcast(a[ai + 8 * stride]);
            c80 = v.fma(b0, c80);
            c81 = v.fma(b1, c81);
            v = b0.broadcast(a[ai + 9 * stride]);
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
     * accumulatePacked's loop at 8 lanes for a dense layer in one k block: out = max(sums + bias, floor), where bias[biasAt ..
     * biasAt + 16) is the columns' bias (ZEROS for none) and floor is ZEROS for ReLU or NO_FLOOR for none.
     * Both are bit-exact: the sums start at +0.0 and so are never -0.0, which makes adding +0.0 an identity, and
     * max(v, +0.0) is max0 (NaN stays, -0.0 becomes +0.0), max(v, -Infinity) is v. The epilogue is straight
     * vector code on purpose: written as branches after accumulatePacked's loop (add C, add a bias, apply ReLU), the
     * accumulators merged through three branches and C2 on JDK 17 kept them boxed (docs/design.md); and the
     * accumulators cannot be handed from one method to another without boxing either, hence this copy
     * of the k loop rather than a shared one.
     */
    final void accumulate8Layer(int kc, float[] pa, int ao, float[] pb, int bo, float[] out, int off, int ld,
                                float[] bias, int biasAt, float[] floor) {
        final VectorSpecies<Float> sp = species();
        final int l = 8, step = 16;
        FloatVector c00 = FloatVector.fromArray(sp, ZEROS, 0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00;
        for (int ai = ao, bi = bo, aEnd = ao + kc * MR; ai < aEnd; ai += MR, bi += step) {
            FloatVector b0 = FloatVector.fromArray(sp, pb, bi), b1 = FloatVector.fromArray(sp, pb, bi + l);
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
        final FloatVector d0 = FloatVector.fromArray(sp, bias, biasAt), d1 = FloatVector.fromArray(sp, bias, biasAt + l);
        final FloatVector f = FloatVector.fromArray(sp, floor, 0);
        c00.add(d0).max(f).intoArray(out, off);
        c01.add(d1).max(f).intoArray(out, off + l);
        c10.add(d0).max(f).intoArray(out, off + ld);
        c11.add(d1).max(f).intoArray(out, off + ld + l);
        c20.add(d0).max(f).intoArray(out, off + 2 * ld);
        c21.add(d1).max(f).intoArray(out, off + 2 * ld + l);
        c30.add(d0).max(f).intoArray(out, off + 3 * ld);
        c31.add(d1).max(f).intoArray(out, off + 3 * ld + l);
        c40.add(d0).max(f).intoArray(out, off + 4 * ld);
        c41.add(d1).max(f).intoArray(out, off + 4 * ld + l);
    }
}
