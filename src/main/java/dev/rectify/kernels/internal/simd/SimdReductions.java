package dev.rectify.kernels.internal.simd;

import dev.rectify.kernels.internal.scalar.ScalarReductions;
import dev.rectify.kernels.internal.scalar.ScalarActivations;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import dev.rectify.kernels.internal.ReductionSupport;

import static dev.rectify.kernels.internal.simd.SimdMath.positive;

/**
 * Not API. The reductions on vectors, in the summation order {@code Reductions} states: the sum of squares in 32
 * interleaved float partials per 1,024-element block, added in double; the activity summary (min, max, sum, zeros,
 * non-positive count).
 */
abstract class SimdReductions extends SimdLoops implements ReductionSupport {
    /** The reductions for vectors of the given species (128, 256 or 512 bits). */
    static SimdReductions of(VectorSpecies<Float> species) {
        switch (species.vectorBitSize()) {
            case 128: return new W128();
            case 256: return new W256();
            case 512: return new W512();
            default: throw new IllegalArgumentException("species: no reductions for " + species);
        }
    }

    private static final class W128 extends SimdReductions {
        private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_128;
        @Override VectorSpecies<Float> species() { return SPECIES; }
    }

    private static final class W256 extends SimdReductions {
        private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;
        @Override VectorSpecies<Float> species() { return SPECIES; }
    }

    private static final class W512 extends SimdReductions {
        private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_512;
        @Override VectorSpecies<Float> species() { return SPECIES; }
    }

    @Override
    public double sumOfSquares(float[] x, int xo, int n) {
        final float[] partials = new float[SQUARE_PARTIALS]; // once per call, outside the loops
        double total = 0;
        int i = xo;
        final int end = xo + n;
        while (end - i >= SQUARE_PARTIALS) {
            final int stop = i + Math.min(SQUARE_BLOCK, (end - i) & -SQUARE_PARTIALS);
            squarePartials(x, i, stop, partials, 0);
            for (float p : partials) {
                total += p;
            }
            i = stop;
        }
        for (; i < end; i++) {
            total += (double) x[i] * x[i];
        }
        return total;
    }

    // x * 0 is +-0 for finite x and NaN for infinities and NaN, so each accumulator stays +-0 until it turns NaN
    // for good; four of them keep the fma latency off the path of the loads.
    @Override
    public boolean allFinite(float[] x, int xo, int n) {
        final int lanes = species().length(), end = xo + n;
        final FloatVector zero = zeros();
        FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero;
        int i = xo;
        for (; end - i >= 4 * lanes; i += 4 * lanes) {
            a0 = load(x, i).fma(zero, a0);
            a1 = load(x, i + lanes).fma(zero, a1);
            a2 = load(x, i + 2 * lanes).fma(zero, a2);
            a3 = load(x, i + 3 * lanes).fma(zero, a3);
        }
        for (; end - i >= lanes; i += lanes) {
            a0 = load(x, i).fma(zero, a0);
        }
        float s = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
        for (; i < end; i++) {
            s += x[i] * 0f;
        }
        return s == 0f;
    }

    // The step's operations one by one as Java evaluates w - lr * (g + wd * w) (no fma), so the scalar bits; the
    // check accumulates v * 0 as allFinite does, while v is still in a register.
    @Override
    public boolean sgdStep(float[] w, int wo, float[] g, int go, float lr, float wd, int n) {
        final VectorSpecies<Float> sp = species();
        final int lanes = sp.length();
        final FloatVector zero = zeros(), rate = zero.broadcast(lr), decay = zero.broadcast(wd);
        FloatVector a0 = zero, a1 = zero;
        int i = 0;
        for (; n - i >= 2 * lanes; i += 2 * lanes) {
            FloatVector w0 = load(w, wo + i), w1 = load(w, wo + i + lanes);
            FloatVector v0 = w0.sub(rate.mul(load(g, go + i).add(decay.mul(w0))));
            FloatVector v1 = w1.sub(rate.mul(load(g, go + i + lanes).add(decay.mul(w1))));
            v0.intoArray(w, wo + i);
            v1.intoArray(w, wo + i + lanes);
            a0 = v0.fma(zero, a0);
            a1 = v1.fma(zero, a1);
        }
        for (; n - i >= lanes; i += lanes) {
            FloatVector w0 = load(w, wo + i);
            FloatVector v0 = w0.sub(rate.mul(load(g, go + i).add(decay.mul(w0))));
            v0.intoArray(w, wo + i);
            a0 = v0.fma(zero, a0);
        }
        float s = a0.add(a1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float v = w[wo + i] - lr * (g[go + i] + wd * w[wo + i]);
            w[wo + i] = v;
            s += v * 0f;
        }
        return s == 0f;
    }

    // The 32 partials are 32 / lanes accumulators in registers; one loop per width keeps them locals.
    @Override
    public void squarePartials(float[] x, int from, int stop, float[] partials, int po) {
        final int lanes = species().length();
        if (lanes == 4) {
            squares4(x, from, stop, partials, po);
        } else if (lanes == 8) {
            squares8(x, from, stop, partials, po);
        } else {
            squares16(x, from, stop, partials, po);
        }
    }

    private void squares4(float[] x, int from, int stop, float[] partials, int po) {
        FloatVector s0 = zeros(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        for (int j = from; j < stop; j += SQUARE_PARTIALS) {
            FloatVector v0 = load(x, j), v1 = load(x, j + 4), v2 = load(x, j + 8), v3 = load(x, j + 12);
            FloatVector v4 = load(x, j + 16), v5 = load(x, j + 20), v6 = load(x, j + 24), v7 = load(x, j + 28);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
            s2 = v2.fma(v2, s2);
            s3 = v3.fma(v3, s3);
            s4 = v4.fma(v4, s4);
            s5 = v5.fma(v5, s5);
            s6 = v6.fma(v6, s6);
            s7 = v7.fma(v7, s7);
        }
        s0.intoArray(partials, po + 0);
        s1.intoArray(partials, po + 4);
        s2.intoArray(partials, po + 8);
        s3.intoArray(partials, po + 12);
        s4.intoArray(partials, po + 16);
        s5.intoArray(partials, po + 20);
        s6.intoArray(partials, po + 24);
        s7.intoArray(partials, po + 28);
    }

    private void squares8(float[] x, int from, int stop, float[] partials, int po) {
        FloatVector s0 = zeros(), s1 = s0, s2 = s0, s3 = s0;
        for (int j = from; j < stop; j += SQUARE_PARTIALS) {
            FloatVector v0 = load(x, j), v1 = load(x, j + 8), v2 = load(x, j + 16), v3 = load(x, j + 24);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
            s2 = v2.fma(v2, s2);
            s3 = v3.fma(v3, s3);
        }
        s0.intoArray(partials, po + 0);
        s1.intoArray(partials, po + 8);
        s2.intoArray(partials, po + 16);
        s3.intoArray(partials, po + 24);
    }

    private void squares16(float[] x, int from, int stop, float[] partials, int po) {
        FloatVector s0 = zeros(), s1 = s0;
        for (int j = from; j < stop; j += SQUARE_PARTIALS) {
            FloatVector v0 = load(x, j), v1 = load(x, j + 16);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
        }
        s0.intoArray(partials, po + 0);
        s1.intoArray(partials, po + 16);
    }

    @Override
    public void summarize(float[] x, int xo, int n, double[] summary, int so) {
        final int p = SQUARE_PARTIALS;
        // acc: the 32 partial sums, then two vectors each of minima, maxima, zero and non-positive counts
        // (16 lanes at most).
        final float[] acc = new float[p + 8 * 16];
        float mn = Float.POSITIVE_INFINITY, mx = Float.NEGATIVE_INFINITY;
        double total = 0;
        long zeros = 0, nonPositive = 0;
        int i = xo;
        final int end = xo + n;
        while (end - i >= p) {
            final int stop = i + Math.min(SQUARE_BLOCK, (end - i) & -p);
            summarizeBlock(x, i, stop, acc);
            for (int q = 0; q < p; q++) {
                total += acc[q];
            }
            for (int q = 0, lanes = species().length(); q < 2 * lanes; q++) {
                float lo = acc[p + q], hi = acc[p + 32 + q];
                mn = lo < mn ? lo : mn;
                mx = hi > mx ? hi : mx;
                zeros += (long) acc[p + 64 + q]; // at most 1,024 per block: exact in float
                nonPositive += (long) acc[p + 96 + q];
            }
            i = stop;
        }
        for (; i < end; i++) {
            float e = x[i];
            total += e;
            mn = e < mn ? e : mn;
            mx = e > mx ? e : mx;
            zeros += e == 0f ? 1 : 0;
            nonPositive += e <= 0f ? 1 : 0;
        }
        ScalarReductions.finishSummary(x, xo, n, mn, mx, total, zeros, nonPositive, summary, so);
    }

    /**
     * One block: partial sums through memory (slot {@code (j - from) % 32}, so every width keeps the same 32
     * partials), minima, maxima, zero and non-positive counts in two register chains each (one chain was bound by the
     * compare-blend and add latencies), all stored to acc at the end. Vectors carried across the caller's
     * block loop were boxed by C2; here none outlives the call.
     */
    private void summarizeBlock(float[] x, int from, int stop, float[] acc) {
        final int p = SQUARE_PARTIALS, lanes = species().length();
        java.util.Arrays.fill(acc, 0, p, 0f);
        final FloatVector zero = zeros(), one = zero.broadcast(1f);
        FloatVector mn0 = zero.broadcast(Float.POSITIVE_INFINITY), mn1 = mn0;
        FloatVector mx0 = zero.broadcast(Float.NEGATIVE_INFINITY), mx1 = mx0;
        FloatVector c0 = zero, c1 = zero, d0 = zero, d1 = zero;
        for (int j = from; j < stop; j += 2 * lanes) {
            FloatVector e = load(x, j), f = load(x, j + lanes);
            int slot = (j - from) & (p - 1);
            load(acc, slot).add(e).intoArray(acc, slot);
            load(acc, slot + lanes).add(f).intoArray(acc, slot + lanes);
            mn0 = mn0.blend(e, e.compare(VectorOperators.LT, mn0));
            mn1 = mn1.blend(f, f.compare(VectorOperators.LT, mn1));
            mx0 = mx0.blend(e, e.compare(VectorOperators.GT, mx0));
            mx1 = mx1.blend(f, f.compare(VectorOperators.GT, mx1));
            c0 = c0.add(zero.blend(one, e.compare(VectorOperators.EQ, 0f)));
            c1 = c1.add(zero.blend(one, f.compare(VectorOperators.EQ, 0f)));
            d0 = d0.add(zero.blend(one, e.compare(VectorOperators.LE, 0f)));
            d1 = d1.add(zero.blend(one, f.compare(VectorOperators.LE, 0f)));
        }
        mn0.intoArray(acc, p);
        mn1.intoArray(acc, p + lanes);
        mx0.intoArray(acc, p + 32);
        mx1.intoArray(acc, p + 32 + lanes);
        c0.intoArray(acc, p + 64);
        c1.intoArray(acc, p + 64 + lanes);
        d0.intoArray(acc, p + 96);
        d1.intoArray(acc, p + 96 + lanes);
    }
}
