package dev.rectify.kernels.internal.simd;

import dev.rectify.kernels.Algorithm;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.internal.GemmPacking;
import dev.rectify.kernels.internal.GemmProblem;
import dev.rectify.kernels.internal.GemmWriteBack;
import dev.rectify.kernels.internal.Host;
import dev.rectify.kernels.internal.MicroKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Not API. The Vector API GEMM micro-kernel: a 5 x (2 vectors) register tile, 10 FloatVector accumulators, fed by one
 * broadcast of A and two loads of B per step. The classic 6 x 2 tile uses 15 of AVX2's 16 registers, and
 * JDK 25's C2 then spills two accumulators to the stack inside the k loop; 5 x 2 leaves room on both JDKs
 * (docs/design.md). The driver (packing, blocking, threads) is {@code GemmDriver}; the k loops are in
 * {@link SimdPackedLoops} and {@link SimdInPlaceLoops}; the row-vector and dot products are {@link SimdVectorProducts}.
 *
 * <p>The accumulators go through a small scratch tile on their way to C, so no vector crosses a method
 * boundary (which would box it) and the k loop's compilation unit stays small; that costs 10 stores and
 * loads per k block (up to KC = 1024 steps of 10 FMAs). Full tiles are written back lane-wise, edge tiles
 * element-wise; both compute the bits {@code Gemm}'s contract fixes.
 */
abstract class SimdMicroKernel extends SimdPackedLoops {
    /** Eight -Infinity lanes: max(v, -Infinity) is v for every v, NaN and -0.0 included. */
    private static final float[] NO_FLOOR = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};

    /** Fresh sums for two tiles of up to 32 columns (16 lanes): accumulatePair starts from them. */
    private static final float[] PAIR_ZEROS = new float[2 * MR * 32];

    private final SimdVectorProducts products;
    private final int unpackedBMaxRows, kSubBlock;
    private final boolean prefersUnpackedA, pairsRowTiles, pairsPackedTiles, copiesARows, pairsNarrowTiles, eightRowTiles, readsTransposedA;

    /** The micro-kernel for vectors of the given species (128, 256 or 512 bits). */
    static SimdMicroKernel of(VectorSpecies<Float> species, SimdActivations activations) {
        return of(species, activations, Host.cpuFamilyNumber());
    }

    /** As tuned for CPU family {@code cpuFamily} rather than this host's (tests run every family's paths). */
    static SimdMicroKernel of(VectorSpecies<Float> species, SimdActivations activations, int cpuFamily) {
        switch (species.vectorBitSize()) {
            case 128: return new W128(activations, cpuFamily);
            case 256: return new W256(activations, cpuFamily);
            case 512: return new W512(activations, cpuFamily);
            default: throw new IllegalArgumentException("species: no GEMM for " + species);
        }
    }

    private SimdMicroKernel(VectorSpecies<Float> species, SimdActivations activations, int cpuFamily) {
        super(species.length(), activations);
        this.products = SimdVectorProducts.of(species);
        this.unpackedBMaxRows = SimdHostTiling.unpackedBMaxRows(species.length(), cpuFamily);
        this.kSubBlock = SimdHostTiling.kSubBlock(species.length(), cpuFamily);
        this.prefersUnpackedA = SimdHostTiling.prefersUnpackedA(species.length(), cpuFamily);
        this.pairsRowTiles = SimdHostTiling.pairsRowTiles(species.length(), cpuFamily);
        this.pairsPackedTiles = SimdHostTiling.pairsPackedTiles(species.length(), cpuFamily);
        this.copiesARows = SimdHostTiling.copiesARows(species.length(), cpuFamily);
        this.pairsNarrowTiles = SimdHostTiling.pairsNarrowTiles(species.length(), cpuFamily);
        this.eightRowTiles = SimdHostTiling.eightRowTiles(species.length(), cpuFamily);
        this.readsTransposedA = SimdHostTiling.readsTransposedA(species.length(), cpuFamily);
    }


    private static final class W128 extends SimdMicroKernel {
        private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_128;
        W128(SimdActivations activations, int cpuFamily) { super(SPECIES, activations, cpuFamily); }
        @Override VectorSpecies<Float> species() { return SPECIES; }
    }

    private static final class W256 extends SimdMicroKernel {
        private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;
        W256(SimdActivations activations, int cpuFamily) { super(SPECIES, activations, cpuFamily); }
        @Override VectorSpecies<Float> species() { return SPECIES; }
    }

    private static final class W512 extends SimdMicroKernel {
        private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_512;
        W512(SimdActivations activations, int cpuFamily) { super(SPECIES, activations, cpuFamily); }
        @Override VectorSpecies<Float> species() { return SPECIES; }
    }

    @Override
    public String name() {
        return "simd-" + species().vectorBitSize();
    }

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return nr;
    }

    @Override
    public void tile(GemmProblem p, int kc, float[] pa, int ao, float[] pb, int bo, int i0, int j0, int mr, int nr,
                        boolean first, boolean last, float[] t) {
        if (mr == MR && nr == this.nr && p.csC == 1 && p.alpha == 1f) {
            final int at = p.cOff + i0 * p.rsC + j0;
            if (sumsGoStraightToC(p, first, last)) {
                accumulate(kc, pa, ao, pb, bo, p.c, at, p.rsC, !first);
                return;
            }
            if (lanes == 8 && first && last && p.beta == 0f && denseLayerEpilogue(p)) {
                // A dense layer in one k block: C = act(sums + bias) from the accumulators (alpha 1 and beta 0
                // make writeBackFull's value the plain sums), which saves the trip through the tile buffer
                // (docs/design.md, "fused dense layer from the accumulators").
                accumulate8Layer(kc, pa, ao, pb, bo, p.c, at, p.rsC, p.bias == null ? ZEROS : p.bias,
                        p.bias == null ? 0 : p.biasOff + j0, p.activation == null ? NO_FLOOR : ZEROS);
                return;
            }
        }
        accumulate(kc, pa, ao, pb, bo, t, 0, this.nr, false);
        finishTile(p, t, i0, j0, mr, nr, first, last);
    }

    /**
     * Whether a full tile with alpha 1 and unit column stride can be written from the accumulators: the contract's
     * write-back is then C = sums (first block, beta 0; times 1 is exact) or C = fma(1, sums, C) = sums + C (later
     * blocks, no epilogue yet). That skips the trip through the tile buffer, whose cost shows on short k (a
     * backward dW GEMM, k = batch) and on many k blocks (one pass over C each); figures in docs/design.md.
     */
    private static boolean sumsGoStraightToC(GemmProblem p, boolean first, boolean last) {
        return !(last && p.epilogue) && (!first || p.beta == 0f);
    }

    private void finishTile(GemmProblem p, float[] t, int i0, int j0, int mr, int nr, boolean first, boolean last) {
        if (nr == this.nr && p.csC == 1) {
            writeBackFull(p, t, mr, nr, i0, j0, first, last);
        } else {
            GemmWriteBack.writeBack(p, t, this.nr, i0, j0, mr, nr, first, last);
        }
    }

    /**
     * Two vectors per row instead of a System.arraycopy call of 16 floats, whose call and length checks
     * cost more than the copy (docs/design.md).
     */
    @Override
    public void packRowsOfB(float[] b, int src, int rsB, int kc, float[] pb, int base) {
        final VectorSpecies<Float> sp = species();
        final int l = lanes;
        for (int q = 0, s = src, d = base; q < kc; q++, s += rsB, d += 2 * l) {
            FloatVector.fromArray(sp, b, s).intoArray(pb, d);
            FloatVector.fromArray(sp, b, s + l).intoArray(pb, d + l);
        }
    }

    @Override
    public void packColumnsOfB(float[] b, int src, int csB, int kc, float[] pb, int base) {
        if (lanes == 16) {
            SimdTransposedPacking.Lanes16.packColumns(b, src, csB, kc, pb, base);
        } else if (lanes == 8) {
            SimdTransposedPacking.Lanes8.packColumns(b, src, csB, kc, pb, base);
        } else {
            GemmPacking.copyColumns(b, src, csB, kc, pb, base, nr, nr);
        }
    }

    @Override
    public void packPanelsOfTransposedA(float[] a, int src, int csA, int kc, int panels, float[] pa, int base) {
        if (lanes == 16 && csA >= 16) {
            SimdTransposedPacking.Lanes16.packTransposedA(a, src, csA, kc, panels, pa, base);
        } else if (lanes == 8 && csA >= 8) {
            SimdTransposedPacking.Lanes8.packTransposedA(a, src, csA, kc, panels, pa, base);
        } else {
            GemmPacking.copyTransposedPanels(a, src, csA, kc, 0, panels, MR, pa, base);
        }
    }

    @Override
    public int unpackedBMaxRows() {
        return unpackedBMaxRows;
    }

    @Override
    public void tileUnpackedB(GemmProblem p, int kc, float[] pa, int ao, int bAt, int i0, int j0, int mr,
                              boolean first, boolean last, float[] t) {
        if (mr == MR && p.csC == 1 && p.alpha == 1f && sumsGoStraightToC(p, first, last)) {
            accumulateStrided(kc, pa, ao, p.b, bAt, p.rsB, p.c, p.cOff + i0 * p.rsC + j0, p.rsC, !first);
            return;
        }
        accumulateStrided(kc, pa, ao, p.b, bAt, p.rsB, t, 0, nr, false);
        finishTile(p, t, i0, j0, mr, nr, first, last);
    }

    @Override
    public boolean readsUnpackedA() {
        return true;
    }

    // Not at 8 lanes: reading A in place for a 256^3 product took 1.12x the time there, against 0.95x at 16
    // lanes on AMD; nor on Intel, where the in-place loop's five row addresses cost issue slots (docs/design.md).
    @Override
    public boolean prefersUnpackedA() {
        return prefersUnpackedA;
    }

    @Override
    public int kSubBlock() {
        return kSubBlock;
    }

    @Override
    public void tileUnpackedA(GemmProblem p, int kc, int aOff, int lda, float[] pb, int bo, int i0, int j0, int nr,
                                 boolean first, boolean last, float[] t) {
        // Only a first k block stores straight to C: later ones (products deeper than KC) add through the tile
        // buffer, which keeps one copy of the add-to-C tail (accumulateStrided's) for the rarer case.
        if (first && nr == this.nr && p.csC == 1 && p.alpha == 1f && sumsGoStraightToC(p, true, last)) {
            accumulateRowsPacked(kc, p.a, aOff, lda, pb, bo, p.c, p.cOff + i0 * p.rsC + j0, p.rsC);
            return;
        }
        if (nr <= lanes) { // a narrow last panel (a 10-class output layer): half the tile is padding
            accumulateRowsPackedNarrow(kc, p.a, aOff, lda, pb, bo, t, 0, this.nr);
        } else {
            accumulateRowsPacked(kc, p.a, aOff, lda, pb, bo, t, 0, this.nr);
        }
        finishTile(p, t, i0, j0, MR, nr, first, last);
    }

    // Three or four rows as two- and one-row passes took 1.03-1.13x a padded tile (docs/design.md); the four-row
    // loop they take instead needs the 32 registers of AVX-512.
    @Override
    public int fewRowsWidth(int rows) {
        return rows <= 2 || lanes == 16 ? 4 * lanes : 0;
    }

    @Override
    public void tileFewRowsAB(GemmProblem p, int kc, int aOff, int lda, int bAt, int i0, int j0, int rows,
                              boolean first, boolean last, float[] t) {
        final int w = 4 * lanes;
        if (rows == 1) {
            accumulateOneRowWide(kc, p.a, aOff, p.b, bAt, p.rsB, t, 0);
        } else if (rows == 2) {
            accumulateTwoRowsWide(kc, p.a, aOff, aOff + lda, p.b, bAt, p.rsB, t, 0, w);
        } else {
            // Three rows run the four-row loop with the third row twice (its copy's sums are not written back).
            accumulateFourRowsWide(kc, p.a, aOff, lda, rows == 4 ? lda : 0, p.b, bAt, p.rsB, t, 0, w);
        }
        if (p.csC == 1) {
            writeBackFull(p, t, rows, w, i0, j0, first, last);
        } else {
            GemmWriteBack.writeBack(p, t, w, i0, j0, rows, w, first, last);
        }
    }

    @Override
    public boolean readsTransposedA() {
        return readsTransposedA;
    }

    @Override
    public void tileTransposedAPair(GemmProblem p, int kc, int aOff, int lda, float[] pb, int bo, int i0, int j0,
                                    boolean first, boolean last, float[] t) {
        if (first && p.csC == 1 && p.alpha == 1f && sumsGoStraightToC(p, true, last)) {
            accumulateTransposedAPair(kc, p.a, aOff, lda, pb, bo, p.c, p.cOff + i0 * p.rsC + j0, p.rsC);
            return;
        }
        accumulateTransposedAPair(kc, p.a, aOff, lda, pb, bo, t, 0, nr);
        finishTile(p, t, i0, j0, 2 * MR, nr, first, last);
    }

    @Override
    public boolean eightRowTiles() {
        return eightRowTiles;
    }

    @Override
    public void tileUnpackedABEight(GemmProblem p, int kc, int aOff, int lda, int bAt, int i0, int j0, boolean first,
                                    boolean last, float[] t) {
        if (first && p.csC == 1 && p.alpha == 1f && sumsGoStraightToC(p, true, last)) {
            accumulateEightRows(kc, p.a, aOff, lda, p.b, bAt, p.rsB, p.c, p.cOff + i0 * p.rsC + j0, p.rsC);
            return;
        }
        accumulateEightRows(kc, p.a, aOff, lda, p.b, bAt, p.rsB, t, 0, nr);
        finishTile(p, t, i0, j0, EIGHT_ROWS, nr, first, last);
    }

    @Override
    public void tileUnpackedAB(GemmProblem p, int kc, int aOff, int lda, int bAt, int i0, int j0, boolean first,
                               boolean last, float[] t) {
        if (first && p.csC == 1 && p.alpha == 1f && sumsGoStraightToC(p, true, last)) {
            accumulateRows(kc, p.a, aOff, lda, p.b, bAt, p.rsB, p.c, p.cOff + i0 * p.rsC + j0, p.rsC);
            return;
        }
        accumulateRows(kc, p.a, aOff, lda, p.b, bAt, p.rsB, t, 0, nr);
        finishTile(p, t, i0, j0, MR, nr, first, last);
    }

    @Override
    public void tileUnpackedABPair(GemmProblem p, int kc, int aOff, int lda, int bAt, int i0, int j0, boolean first,
                                   boolean last, float[] t) {
        if (!pairsRowTiles) {
            tileUnpackedAB(p, kc, aOff, lda, bAt, i0, j0, first, last, t);
            tileUnpackedAB(p, kc, aOff + MR * lda, lda, bAt, i0 + MR, j0, first, last, t);
            return;
        }
        if (first && p.csC == 1 && p.alpha == 1f && sumsGoStraightToC(p, true, last)) {
            accumulateRowsPair(kc, p.a, aOff, lda, p.b, bAt, p.rsB, p.c, p.cOff + i0 * p.rsC + j0, p.rsC);
            return;
        }
        accumulateRowsPair(kc, p.a, aOff, lda, p.b, bAt, p.rsB, t, 0, nr);
        finishTile(p, t, i0, j0, MR, nr, first, last);
        System.arraycopy(t, MR * nr, t, 0, MR * nr);
        finishTile(p, t, i0 + MR, j0, MR, nr, first, last);
    }

    @Override
    public void tileUnpackedAPair(GemmProblem p, int kc, int aOff, int lda, float[] pb, int bo, int i0, int j0, int nr,
                                  boolean first, boolean last, float[] t) {
        if (!pairsNarrowTiles || nr > lanes) {
            super.tileUnpackedAPair(p, kc, aOff, lda, pb, bo, i0, j0, nr, first, last, t);
            return;
        }
        accumulateRowsPackedNarrowPair(kc, p.a, aOff, lda, pb, bo, t, 0, this.nr);
        finishTile(p, t, i0, j0, MR, nr, first, last);
        System.arraycopy(t, MR * this.nr, t, 0, MR * this.nr);
        finishTile(p, t, i0 + MR, j0, MR, nr, first, last);
    }

    @Override
    public boolean copiesARows() {
        return copiesARows;
    }

    @Override
    public void tileCopiedAPair(GemmProblem p, int kc, float[] pa, int ao, float[] pb, int bo, int i0, int j0,
                                boolean first, boolean last, float[] t) {
        if (first && p.csC == 1 && p.alpha == 1f && sumsGoStraightToC(p, true, last)) {
            accumulateCopiedRowsPair(kc, pa, ao, pb, bo, p.c, p.cOff + i0 * p.rsC + j0, p.rsC);
            return;
        }
        accumulateCopiedRowsPair(kc, pa, ao, pb, bo, t, 0, nr);
        finishTile(p, t, i0, j0, MR, nr, first, last);
        System.arraycopy(t, MR * nr, t, 0, MR * nr);
        finishTile(p, t, i0 + MR, j0, MR, nr, first, last);
    }

    @Override
    public void tilePair(GemmProblem p, int kc, float[] pa, int ao, int ao2, float[] pb, int bo, int i0, int j0,
                         boolean first, boolean last, float[] t) {
        if (!pairsPackedTiles) {
            tile(p, kc, pa, ao, pb, bo, i0, j0, MR, nr, first, last, t);
            tile(p, kc, pa, ao2, pb, bo, i0 + MR, j0, MR, nr, first, last, t);
            return;
        }
        if (first && p.csC == 1 && p.alpha == 1f && sumsGoStraightToC(p, true, last)) {
            accumulatePair(kc, pa, ao, ao2, pb, bo, PAIR_ZEROS, 0, p.c, p.cOff + i0 * p.rsC + j0, p.rsC);
            return;
        }
        accumulatePair(kc, pa, ao, ao2, pb, bo, PAIR_ZEROS, 0, t, 0, nr);
        finishTile(p, t, i0, j0, MR, nr, first, last);
        System.arraycopy(t, MR * nr, t, 0, MR * nr);
        finishTile(p, t, i0 + MR, j0, MR, nr, first, last);
    }

    boolean pairsPackedTiles() {
        return pairsPackedTiles;
    }

    boolean pairsRowTiles() {
        return pairsRowTiles;
    }

    @Override
    public int rowChunk() {
        return products.rowChunk();
    }

    @Override
    public void rowBlock(float[] a, int aOff, int incA, float[] b, int bOff, int ldb, int kc, int nr, float[] acc) {
        products.rowBlock(a, aOff, incA, b, bOff, ldb, kc, nr, acc);
    }

    @Override
    public float dot(float[] a, int aOff, float[] x, int xOff, int k, float[] lanes) {
        return products.dot(a, aOff, x, xOff, k, lanes);
    }

    /**
     * Whether accumulate8Layer can finish the epilogue: a bias per column (or none) and ReLU (or no activation),
     * with no pre-activation or ever-active output, which need the tile's lanes in memory.
     */
    private static boolean denseLayerEpilogue(GemmProblem p) {
        return p.z == null && p.everActive == null && (p.bias == null || (p.biasRs == 0 && p.biasCs == 1))
                && (p.activation == null || p.activation.algorithm() == Algorithm.RELU);
    }

    /** The MR x NR sums into out[off + r ld + j]: stored, or added to what is there when {@code add}. */
    private void accumulate(int kc, float[] pa, int ao, float[] pb, int bo, float[] out, int off, int ld,
                            boolean add) {
        accumulatePacked(kc, pa, ao, pb, bo, ZEROS, 0, 0, out, off, ld, add);
    }

    @Override
    public void partialTile(int kc, float[] pa, int paOff, float[] pb, int pbOff, float[] from, int fromOff, float[] out,
                            int outOff) {
        accumulatePacked(kc, pa, paOff, pb, pbOff, from, fromOff, nr, out, outOff, nr, false);
    }


    @Override
    public void partialTilePair(int kc, float[] pa, int paOff, int paOff2, float[] pb, int pbOff, float[] from,
                                int fromOff, float[] out, int outOff) {
        accumulatePair(kc, pa, paOff, paOff2, pb, pbOff, from, fromOff, out, outOff, nr);
    }

    @Override
    public void writeBackTile(GemmProblem p, float[] sums, int i0, int j0, boolean first, boolean last) {
        finishTile(p, sums, i0, j0, MR, nr, first, last);
    }
}
