package dev.rectify.kernels.internal.simd;

import dev.rectify.kernels.internal.GemmBlocking;
import dev.rectify.kernels.internal.GemmSmallShapes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Not API. The SIMD micro-kernel's vector products for GEMM's small shapes: a row vector times a block of B
 * ({@code rowBlock}, each column an in-order fma chain) and the 16-way interleaved dot product of the
 * matrix-vector path. Both compute the bits of their scalar reference in {@code GemmSmallShapes}.
 */
abstract class SimdVectorProducts {
    private static final float[] ZEROS = new float[16];

    private final int lanes;

    /** The species, from one final subclass per width (see {@link SimdActivations#species()}). */
    abstract VectorSpecies<Float> species();

    static SimdVectorProducts of(VectorSpecies<Float> species) {
        switch (species.vectorBitSize()) {
            case 128: return new W128();
            case 256: return new W256();
            case 512: return new W512();
            default: throw new IllegalArgumentException("species: no products for " + species);
        }
    }

    private SimdVectorProducts(int lanes) {
        this.lanes = lanes;
    }

    private static final class W128 extends SimdVectorProducts {
        private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_128;
        W128() { super(SPECIES.length()); }
        @Override VectorSpecies<Float> species() { return SPECIES; }
    }

    private static final class W256 extends SimdVectorProducts {
        private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;
        W256() { super(SPECIES.length()); }
        @Override VectorSpecies<Float> species() { return SPECIES; }
    }

    private static final class W512 extends SimdVectorProducts {
        private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_512;
        W512() { super(SPECIES.length()); }
        @Override VectorSpecies<Float> species() { return SPECIES; }
    }

    /** Columns per chunk of the row-vector path: four vectors. */
    int rowChunk() {
        return 4 * lanes;
    }

    /** {@code MicroKernel.rowBlock}: full vectors here, the remaining columns in the reference order. */
    void rowBlock(float[] a, int aOff, int incA, float[] b, int bOff, int ldb, int kc, int nr, float[] acc) {
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
            GemmSmallShapes.rowBlockTail(a, aOff, incA, b, bOff, ldb, kc, j, nr, acc);
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

    /** {@code MicroKernel.dot}: the first multiple of 16 products lane-wise, the rest in the reference order. */
    float dot(float[] a, int aOff, float[] x, int xOff, int k, float[] partial) {
        final int k16 = k - k % GemmBlocking.DOT_LANES;
        // One loop per width, each with its accumulators in locals (an array of vectors would box them).
        if (lanes == 4) {
            dot4(a, aOff, x, xOff, k16, partial);
        } else if (lanes == 8) {
            dot8(a, aOff, x, xOff, k16, partial);
        } else {
            dot16(a, aOff, x, xOff, k16, partial);
        }
        return GemmSmallShapes.dotTail(a, aOff, x, xOff, k16, k, partial);
    }

    private void dot4(float[] a, int aOff, float[] x, int xOff, int k16, float[] partial) {
        final VectorSpecies<Float> sp = species();
        FloatVector s0 = FloatVector.fromArray(sp, ZEROS, 0), s1 = s0, s2 = s0, s3 = s0;
        for (int q = 0; q < k16; q += GemmBlocking.DOT_LANES) {
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
        for (int q = 0; q < k16; q += GemmBlocking.DOT_LANES) {
            s0 = FloatVector.fromArray(sp, a, aOff + q).fma(FloatVector.fromArray(sp, x, xOff + q), s0);
            s1 = FloatVector.fromArray(sp, a, aOff + q + 8).fma(FloatVector.fromArray(sp, x, xOff + q + 8), s1);
        }
        s0.intoArray(partial, 0);
        s1.intoArray(partial, 8);
    }

    private void dot16(float[] a, int aOff, float[] x, int xOff, int k16, float[] partial) {
        final VectorSpecies<Float> sp = species();
        FloatVector s0 = FloatVector.fromArray(sp, ZEROS, 0);
        for (int q = 0; q < k16; q += GemmBlocking.DOT_LANES) {
            s0 = FloatVector.fromArray(sp, a, aOff + q).fma(FloatVector.fromArray(sp, x, xOff + q), s0);
        }
        s0.intoArray(partial, 0);
    }
}
