package dev.rectify.kernels.simd;

import dev.rectify.kernels.Algorithm;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.Gemm;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API GEMM micro-kernel: a 5 x (2 vectors) register tile, 10 FloatVector accumulators, fed by one
 * broadcast of A and two loads of B per step. The classic 6 x 2 tile uses 15 of AVX2's 16 registers, and
 * JDK 25's C2 then spills two accumulators to the stack inside the k loop; 5 x 2 leaves room on both JDKs
 * (docs/design.md). The driver
 * (packing, blocking, threads) is {@link Gemm}'s.
 *
 * <p>The accumulators go through a small scratch tile on their way to C, so no vector crosses a method
 * boundary (which would box it) and the k loop's compilation unit stays small; that costs 10 stores and
 * loads per k block (up to KC = 1024 steps of 10 FMAs). Full tiles are written back lane-wise, edge tiles
 * element-wise; both compute the bits {@link Gemm}'s contract fixes.
 */
abstract class SimdGemm extends Gemm {
    static final int MR = 5;
    private static final float[] ZEROS = new float[16];
    /** Eight -Infinity lanes: max(v, -Infinity) is v for every v, NaN and -0.0 included. */
    private static final float[] NO_FLOOR = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};

    private final int lanes;
    private final SimdActivations activations;

    /**
     * The species, from one final subclass per width returning a {@code static final} constant, as in
     * {@link SimdActivations#species()}. With the species in an instance field, whether C2 intrinsified the
     * micro-kernel's loads depended on a JVM-wide type profile, and a training could run in the Vector API's
     * Java fallback (docs/design.md).
     */
    abstract VectorSpecies<Float> species();

    /** The GEMM for vectors of the given species (128, 256 or 512 bits). */
    static SimdGemm of(VectorSpecies<Float> species, int parallelism) {
        switch (species.vectorBitSize()) {
            case 128: return new W128(parallelism);
            case 256: return new W256(parallelism);
            case 512: return new W512(parallelism);
            default: throw new IllegalArgumentException("species: no GEMM for " + species);
        }
    }

    private SimdGemm(VectorSpecies<Float> species, int parallelism) {
        super(MR, 2 * species.length(), checkParallelism(parallelism));
        this.lanes = species.length();
        this.activations = SimdActivations.of(species);
    }

    private static final class W128 extends SimdGemm {
        private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_128;
        W128(int parallelism) { super(SPECIES, parallelism); }
        @Override VectorSpecies<Float> species() { return SPECIES; }
    }

    private static final class W256 extends SimdGemm {
        private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;
        W256(int parallelism) { super(SPECIES, parallelism); }
        @Override VectorSpecies<Float> species() { return SPECIES; }
    }

    private static final class W512 extends SimdGemm {
        private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_512;
        W512(int parallelism) { super(SPECIES, parallelism); }
        @Override VectorSpecies<Float> species() { return SPECIES; }
    }

    @Override
    public String name() {
        return "simd-" + species().vectorBitSize();
    }

    @Override
    public Gemm withParallelism(int threads) {
        return of(species(), threads);
    }

    @Override
    protected void tile(Problem p, int kc, float[] pa, int ao, float[] pb, int bo, int i0, int j0, int mr, int nr,
                        boolean first, boolean last, float[] t) {
        if (mr == MR && nr == this.nr && p.csC == 1 && p.alpha == 1f) {
            final int at = p.cOff + i0 * p.rsC + j0;
            if (!(last && p.epilogue) && (!first || p.beta == 0f)) {
                // With alpha 1 the contract's write-back is C = sums (first block, beta 0; times 1 is exact) or
                // C = fma(1, sums, C) = sums + C (later blocks): done from the accumulators, without the trip
                // through the tile buffer, whose cost shows on short k (a backward dW GEMM, k = batch) and on
                // many k blocks (one pass over C each); figures in docs/design.md.
                accumulate(kc, pa, ao, pb, bo, p.c, at, p.rsC, !first);
                return;
            }
            if (lanes == 8 && first && last && p.beta == 0f && denseLayerEpilogue(p)) {
                // A dense layer in one k block: C = act(sums + bias) from the accumulators (alpha 1 and beta 0
                // make writeBackFull's value the plain sums). Against the buffered write-back (GemmBuildAB
                // -Dfused=true, 100 alternating window pairs), bias + ReLU took 0.976 / 0.982 of its time at
                // 256x784x256 (JDK 17 / 25) and 0.935 / 0.928 at 256^3.
                accumulate8Layer(kc, pa, ao, pb, bo, p.c, at, p.rsC, p.bias == null ? ZEROS : p.bias,
                        p.bias == null ? 0 : p.biasOff + j0, p.activation == null ? NO_FLOOR : ZEROS);
                return;
            }
        }
        accumulate(kc, pa, ao, pb, bo, t, 0, this.nr, false);
        finishTile(p, t, i0, j0, mr, nr, first, last);
    }

    private void finishTile(Problem p, float[] t, int i0, int j0, int mr, int nr, boolean first, boolean last) {
        if (mr == MR && nr == this.nr && p.csC == 1) {
            writeBackFull(p, t, i0, j0, first, last);
        } else {
            writeBack(p, t, this.nr, i0, j0, mr, nr, first, last);
        }
    }

    /**
     * Two vectors per row instead of a System.arraycopy call of 16 floats, whose call and length checks
     * cost more than the copy (docs/design.md).
     */
    @Override
    protected void packRowsOfB(float[] b, int src, int rsB, int kc, float[] pb, int base) {
        final VectorSpecies<Float> sp = species();
        final int l = lanes;
        for (int q = 0, s = src, d = base; q < kc; q++, s += rsB, d += 2 * l) {
            FloatVector.fromArray(sp, b, s).intoArray(pb, d);
            FloatVector.fromArray(sp, b, s + l).intoArray(pb, d + l);
        }
    }

    @Override
    protected boolean readsUnpackedA() {
        return true;
    }

    @Override
    protected void tileUnpackedA(Problem p, int kc, int aOff, int lda, float[] pb, int bo, int i0, int j0, int nr,
                                 boolean first, boolean last, float[] t) {
        accumulateRows(kc, p.a, aOff, lda, pb, bo, t);
        finishTile(p, t, i0, j0, MR, nr, first, last);
    }

    /**
     * {@link #accumulateAnyWidth}'s loop with A read from five rows of the caller's matrix: the same fma chains,
     * so the same bits. Each row index is a loop-invariant base plus q, which keeps the bounds checks hoisted.
     */
    private void accumulateRows(int kc, float[] a, int aOff, int lda, float[] pb, int bo, float[] out) {
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
        final int ld = step;
        c00.intoArray(out, 0);
        c01.intoArray(out, l);
        c10.intoArray(out, ld);
        c11.intoArray(out, ld + l);
        c20.intoArray(out, 2 * ld);
        c21.intoArray(out, 2 * ld + l);
        c30.intoArray(out, 3 * ld);
        c31.intoArray(out, 3 * ld + l);
        c40.intoArray(out, 4 * ld);
        c41.intoArray(out, 4 * ld + l);
    }

    @Override
    protected int rowChunk() {
        return 4 * lanes;
    }

    @Override
    protected void rowBlock(float[] a, int aOff, int incA, float[] b, int bOff, int ldb, int kc, int nr, float[] acc) {
        int j = 0;
        if (nr == 4 * lanes) {
            rowBlock4(a, aOff, incA, b, bOff, ldb, kc, acc);
            j = nr;
        } else {
            for (; j + lanes <= nr; j += lanes) {
                rowBlock1(a, aOff, incA, b, bOff + j, ldb, kc, acc, j);
            }
        }
        if (j < nr) {
            rowBlockTail(a, aOff, incA, b, bOff, ldb, kc, j, nr, acc);
        }
    }

    private void rowBlock4(float[] a, int aOff, int incA, float[] b, int bOff, int ldb, int kc, float[] acc) {
        final VectorSpecies<Float> sp = species();
        final int l = lanes;
        FloatVector s0 = FloatVector.fromArray(sp, ZEROS, 0), s1 = s0, s2 = s0, s3 = s0;
        for (int q = 0; q < kc; q++) {
            final int row = bOff + q * ldb;
            FloatVector b0 = FloatVector.fromArray(sp, b, row);
            FloatVector av = b0.broadcast(a[aOff + q * incA]);
            s0 = av.fma(b0, s0);
            s1 = av.fma(FloatVector.fromArray(sp, b, row + l), s1);
            s2 = av.fma(FloatVector.fromArray(sp, b, row + 2 * l), s2);
            s3 = av.fma(FloatVector.fromArray(sp, b, row + 3 * l), s3);
        }
        s0.intoArray(acc, 0);
        s1.intoArray(acc, l);
        s2.intoArray(acc, 2 * l);
        s3.intoArray(acc, 3 * l);
    }

    private void rowBlock1(float[] a, int aOff, int incA, float[] b, int bOff, int ldb, int kc, float[] acc, int at) {
        final VectorSpecies<Float> sp = species();
        FloatVector s0 = FloatVector.fromArray(sp, ZEROS, 0);
        for (int q = 0; q < kc; q++) {
            FloatVector b0 = FloatVector.fromArray(sp, b, bOff + q * ldb);
            s0 = b0.broadcast(a[aOff + q * incA]).fma(b0, s0);
        }
        s0.intoArray(acc, at);
    }

    @Override
    protected float dot(float[] a, int aOff, float[] x, int xOff, int k, float[] partial) {
        final int k16 = k - k % DOT_LANES;
        // One loop per width, each with its accumulators in locals (an array of vectors would box them).
        if (lanes == 4) {
            dot4(a, aOff, x, xOff, k16, partial);
        } else if (lanes == 8) {
            dot8(a, aOff, x, xOff, k16, partial);
        } else {
            dot16(a, aOff, x, xOff, k16, partial);
        }
        return dotTail(a, aOff, x, xOff, k16, k, partial);
    }

    private void dot4(float[] a, int aOff, float[] x, int xOff, int k16, float[] partial) {
        final VectorSpecies<Float> sp = species();
        FloatVector s0 = FloatVector.fromArray(sp, ZEROS, 0), s1 = s0, s2 = s0, s3 = s0;
        for (int q = 0; q < k16; q += DOT_LANES) {
            s0 = FloatVector.fromArray(sp, a, aOff + q).fma(FloatVector.fromArray(sp, x, xOff + q), s0);
            s1 = FloatVector.fromArray(sp, a, aOff + q + 4).fma(FloatVector.fromArray(sp, x, xOff + q + 4), s1);
            s2 = FloatVector.fromArray(sp, a, aOff + q + 8).fma(FloatVector.fromArray(sp, x, xOff + q + 8), s2);
            s3 = FloatVector.fromArray(sp, a, aOff + q + 12).fma(FloatVector.fromArray(sp, x, xOff + q + 12), s3);
        }
        s0.intoArray(partial, 0);
        s1.intoArray(partial, 4);
        s2.intoArray(partial, 8);
        s3.intoArray(partial, 12);
    }

    private void dot8(float[] a, int aOff, float[] x, int xOff, int k16, float[] partial) {
        final VectorSpecies<Float> sp = species();
        FloatVector s0 = FloatVector.fromArray(sp, ZEROS, 0), s1 = s0;
        for (int q = 0; q < k16; q += DOT_LANES) {
            s0 = FloatVector.fromArray(sp, a, aOff + q).fma(FloatVector.fromArray(sp, x, xOff + q), s0);
            s1 = FloatVector.fromArray(sp, a, aOff + q + 8).fma(FloatVector.fromArray(sp, x, xOff + q + 8), s1);
        }
        s0.intoArray(partial, 0);
        s1.intoArray(partial, 8);
    }

    private void dot16(float[] a, int aOff, float[] x, int xOff, int k16, float[] partial) {
        final VectorSpecies<Float> sp = species();
        FloatVector s0 = FloatVector.fromArray(sp, ZEROS, 0);
        for (int q = 0; q < k16; q += DOT_LANES) {
            s0 = FloatVector.fromArray(sp, a, aOff + q).fma(FloatVector.fromArray(sp, x, xOff + q), s0);
        }
        s0.intoArray(partial, 0);
    }

    /**
     * Whether accumulate8Layer can finish the epilogue: a bias per column (or none) and ReLU (or no activation),
     * with no pre-activation or ever-active output, which need the tile's lanes in memory.
     */
    private static boolean denseLayerEpilogue(Problem p) {
        return p.z == null && p.everActive == null && (p.bias == null || (p.biasRs == 0 && p.biasCs == 1))
                && (p.activation == null || p.activation.algorithm() == Algorithm.RELU);
    }

    /** The MR x NR sums into out[off + r ld + j]: stored, or added to what is there when {@code add}. */
    private void accumulate(int kc, float[] pa, int ao, float[] pb, int bo, float[] out, int off, int ld,
                            boolean add) {
        if (lanes == 8) {
            accumulate8(kc, pa, ao, pb, bo, out, off, ld, add);
        } else {
            accumulateAnyWidth(kc, pa, ao, pb, bo, out, off, ld, add);
        }
    }

    // The same loop with the 8 lanes of 256-bit vectors as compile-time constants: a stride read from a field
    // keeps C2 from treating the k loop as a counted loop, and on JDK 25 the generic loop below still multiplies
    // the step by the lane count and checks both B loads in every iteration. The A/B against the generic loop
    // is in docs/design.md.
    private void accumulate8(int kc, float[] pa, int ao, float[] pb, int bo, float[] out, int off, int ld,
                            boolean add) {
        final VectorSpecies<Float> sp = species();
        final int l = 8, step = 16;
        // Static factories (zero, broadcast) of a species held in a field are not intrinsified by C2, and
        // one boxed vector makes every accumulator a heap object: start from a load, broadcast from a vector.
        FloatVector c00 = FloatVector.fromArray(sp, ZEROS, 0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00;
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

    /**
     * accumulate8's loop for a dense layer in one k block: out = max(sums + bias, floor), where bias[biasAt ..
     * biasAt + 16) is the columns' bias (ZEROS for none) and floor is ZEROS for ReLU or NO_FLOOR for none.
     * Both are bit-exact: the sums start at +0.0 and so are never -0.0, which makes adding +0.0 an identity, and
     * max(v, +0.0) is max0 (NaN stays, -0.0 becomes +0.0), max(v, -Infinity) is v. The epilogue is straight
     * vector code on purpose: written as branches after accumulate8's loop (add C, add a bias, apply ReLU), the
     * accumulators merged through three branches and C2 on JDK 17 kept them boxed (docs/design.md); and the
     * accumulators cannot be handed from one method to another without boxing either, hence this copy
     * of the k loop rather than a shared one.
     */
    private void accumulate8Layer(int kc, float[] pa, int ao, float[] pb, int bo, float[] out, int off, int ld,
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

    private void accumulateAnyWidth(int kc, float[] pa, int ao, float[] pb, int bo, float[] out, int off, int ld,
                            boolean add) {
        final VectorSpecies<Float> sp = species();
        final int l = lanes, step = 2 * l;
        // Static factories (zero, broadcast) of a species held in a field are not intrinsified by C2, and
        // one boxed vector makes every accumulator a heap object: start from a load, broadcast from a vector.
        FloatVector c00 = FloatVector.fromArray(sp, ZEROS, 0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00;
        // Indices are linear in q, so C2 hoists the bounds checks out of the loop.
        for (int q = 0; q < kc; q++) {
            final int ai = ao + q * MR, bi = bo + q * step;
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

    /** A full tile of a C whose rows are contiguous (csC == 1), lane-wise, with the epilogue. */
    private void writeBackFull(Problem p, float[] t, int i0, int j0, boolean first, boolean last) {
        final VectorSpecies<Float> sp = species();
        final float[] c = p.c;
        final int width = nr;
        final boolean epi = last && p.epilogue;
        final Eltwise act = epi ? p.activation : null;
        final boolean inRegisters = act == null || fusable(act.algorithm());
        final FloatVector alpha = FloatVector.fromArray(sp, t, 0).broadcast(p.alpha);
        for (int r = 0; r < MR; r++) {
            final int i = i0 + r, row = p.cOff + i * p.rsC + j0;
            for (int h = 0; h < width; h += lanes) {
                FloatVector s = FloatVector.fromArray(sp, t, r * width + h);
                FloatVector v;
                if (!first) {
                    v = s.fma(alpha, FloatVector.fromArray(sp, c, row + h));
                } else if (p.beta == 0f) {
                    v = s.mul(p.alpha);
                } else {
                    v = s.fma(alpha, FloatVector.fromArray(sp, c, row + h).mul(p.beta));
                }
                if (epi) {
                    v = epilogue(p, v, t, r * width + h, i, j0 + h, act, inRegisters);
                }
                v.intoArray(c, row + h);
            }
            if (epi && !inRegisters) {
                activations.forwardImpl(act, c, row, c, row, width);
            }
        }
    }

    /** {@code slot} is v's place in the tile buffer t, already consumed: scratch for the ever-active scan. */
    private FloatVector epilogue(Problem p, FloatVector v, float[] t, int slot, int i, int j, Eltwise act,
                                 boolean inRegisters) {
        if (p.bias != null) {
            v = v.add(p.biasRs == 0
                    ? FloatVector.fromArray(species(), p.bias, p.biasOff + j)
                    : v.broadcast(p.bias[p.biasOff + i]));
        }
        if (p.z != null) {
            v.intoArray(p.z, p.zOff + i * p.rsZ + j);
        }
        if (p.everActive != null && v.compare(VectorOperators.GT, 0f).anyTrue()) {
            // The mask only feeds anyTrue: VectorMask.toLong is not intrinsic on JDK 17, and handing the mask
            // to it boxed one mask per vector (5.6 MB per MNIST epoch). The lanes are scanned from memory.
            v.intoArray(t, slot);
            boolean[] ea = p.everActive;
            int at = p.eaOff + j;
            for (int lane = 0, n = species().length(); lane < n; lane++) {
                ea[at + lane] |= t[slot + lane] > 0f; // no branch: a sign test per lane mispredicts half the time
            }
        }
        if (act != null && inRegisters) {
            v = SimdActivations.piecewiseLinear(act, v);
        }
        return v;
    }

    /** Activations applied lane-wise inside the write-back; the others run over the stored row (in L1). */
    static boolean fusable(Algorithm a) {
        return a == Algorithm.RELU || a == Algorithm.LEAKY_RELU || a == Algorithm.RRELU
                || a == Algorithm.HARD_TANH || a == Algorithm.RELU6;
    }
}
