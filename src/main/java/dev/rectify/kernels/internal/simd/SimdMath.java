package dev.rectify.kernels.internal.simd;

import static dev.rectify.kernels.internal.FloatMath.*;

import dev.rectify.kernels.internal.FloatMath;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Lane-wise twins of {@code FloatMath} and of the scalar per-element formulas: each method performs the
 * same IEEE-754 operations in the same order as its scalar counterpart, so results match bit for bit.
 * (Multiplication and fused multiply-add are commutative in their first two operands, so operand order
 * there may differ.)
 *
 * <p>Clamps use compare-and-blend, which keeps NaN like {@code Math.min}/{@code Math.max} and equals them
 * exactly whenever the bound is not zero; at a zero bound the helpers below reproduce Java's signed-zero
 * rule explicitly.
 */
final class SimdMath {
    private SimdMath() {}

    /** Math.max(v, c) for c != 0. */
    static FloatVector atLeast(FloatVector v, float c) {
        return v.blend(c, v.compare(VectorOperators.LT, c));
    }

    /** Math.min(v, c) for c != 0. */
    static FloatVector atMost(FloatVector v, float c) {
        return v.blend(c, v.compare(VectorOperators.GT, c));
    }

    /** Math.max(v, 0f): -0.0 becomes +0.0, NaN stays. */
    static FloatVector max0(FloatVector v) {
        return v.blend(0f, v.compare(VectorOperators.LE, 0f));
    }

    /** Math.min(v, 0f): +0.0 stays +0.0, -0.0 stays -0.0, NaN stays. */
    static FloatVector min0(FloatVector v) {
        return v.blend(0f, v.compare(VectorOperators.GT, 0f));
    }

    static FloatVector bc(FloatVector like, float c) {
        return like.broadcast(c);
    }

    /**
     * Lanes of the rare vectors that need exp's wide path, per thread: they leave the vector code through this
     * array. A call that took or returned a vector would make C2 box the vectors of every iteration of every loop
     * that inlines exp once any input had taken it (docs/design.md): sigmoid ran 14x slower and allocated 3 MB per
     * 256K floats. One vector of the widest species.
     */
    private static final ThreadLocal<float[]> WIDE_LANES = ThreadLocal.withInitial(() -> new float[16]);

    static FloatVector exp(FloatVector x) {
        FloatVector t = x.fma(LOG2E, ROUND_BIASED);
        FloatVector kf = t.sub(ROUND_BIASED);
        // A vector with a lane out of the fast range goes through FloatMath.exp lane by lane, whose fast and wide
        // paths are this method's bits. NaN compares false and stays here.
        if (kf.abs().compare(VectorOperators.GT, EXP_FAST_K).anyTrue()) {
            float[] s = WIDE_LANES.get();
            x.intoArray(s, 0);
            expLanes(s, x.length());
            return FloatVector.fromArray(x.species(), s, 0);
        }
        FloatVector r = kf.fma(bc(x, -LN2_HI), x);
        r = kf.fma(bc(x, -LN2_LO), r);
        return expPoly(r).mul(pow2(t));
    }

    private static void expLanes(float[] s, int lanes) {
        for (int i = 0; i < lanes; i++) s[i] = FloatMath.exp(s[i]);
    }

    /**
     * 2^k from t = k + ROUND_BIASED (rounded), for -127 &lt;= k &lt;= 127; 2^-127 becomes +0. Likewise 2^(k + 64)
     * from t = k + ROUND_BIASED_64.
     */
    private static FloatVector pow2(FloatVector t) {
        return (FloatVector) ((IntVector) t.reinterpretAsInts()).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    /** Largest argument of {@link #expBounded}: 2^(k + 64) must stay finite, k &lt;= 63. */
    static final float EXP_BOUNDED_HIGH = 43f;
    private static final float ROUND_BIASED_64 = ROUND_BIASED + 64f;
    private static final float TWO_POW_M64 = 0x1p-64f;

    /** exp of every input below EXP_LOW: expWide clamps them to EXP_LOW. */
    private static final float EXP_AT_LOW = FloatMath.exp(EXP_LOW);

    /**
     * {@link FloatMath#exp} for x &lt;= EXP_BOUNDED_HIGH (and NaN), without a branch; above that the lane's value is
     * unspecified (not an exception). Every caller's argument is bounded above (-|z|, x - max, min(x, 20)) or the
     * caller replaces the lanes above 0 (the ELU family's derivatives), so only the lower end can leave the fast
     * range, and that end is covered by scaling with 2^(k + 64) and then 2^-64. The first product is exact for
     * every k down to EXP_LOW's -150, the second rounds once, as expWide's two factors do; inside the fast range
     * both are exact, so the bits are exp's everywhere. Inputs below EXP_LOW get expWide's value there by a blend
     * at the end rather than a clamp at the start, which would lengthen the dependency chain (1.3-1.6x sigmoid's
     * time on JDK 17). No rare path means no call in the caller's loop (docs/design.md: a loop with one ran 2.4x
     * slower).
     */
    static FloatVector expBounded(FloatVector x) {
        FloatVector t = x.fma(LOG2E, ROUND_BIASED_64);
        FloatVector kf = t.sub(ROUND_BIASED_64);
        FloatVector r = kf.fma(bc(x, -LN2_HI), x);
        r = kf.fma(bc(x, -LN2_LO), r);
        return expPolyTimes2PowM64(r).mul(pow2(t)).blend(EXP_AT_LOW, x.compare(VectorOperators.LT, EXP_LOW));
    }

    /**
     * {@link FloatMath#expOfSum} for a + b &lt;= EXP_BOUNDED_HIGH (and NaN), without a branch, as
     * {@link #expBounded}; sums below EXP_LOW give +0 as expOfSumWide's do.
     */
    static FloatVector expOfSumBounded(FloatVector a, FloatVector b) {
        FloatVector s = a.add(b);
        FloatVector t = s.fma(LOG2E, ROUND_BIASED_64);
        FloatVector kf = t.sub(ROUND_BIASED_64);
        FloatVector r = kf.fma(bc(a, -LN2_HI), a).add(b);
        r = kf.fma(bc(a, -LN2_LO), r);
        return expPolyTimes2PowM64(r).mul(pow2(t)).blend(0f, s.compare(VectorOperators.LT, EXP_LOW));
    }

    /**
     * expPoly(r) * 2^-64, exactly: the last step's add of 1 becomes an fma that scales the unrounded sum (the fma
     * does not round the product), so the scaling costs no step of the dependency chain.
     */
    private static FloatVector expPolyTimes2PowM64(FloatVector r) {
        return expPolyMinusOne(r).fma(TWO_POW_M64, TWO_POW_M64);
    }

    static FloatVector expPoly(FloatVector r) {
        return expPolyMinusOne(r).add(1f);
    }

    /** The polynomial of {@link #expPoly} before its last step, the add of 1. */
    private static FloatVector expPolyMinusOne(FloatVector r) {
        FloatVector r2 = r.mul(r);
        FloatVector a = r.fma(P3, P2);
        FloatVector b = r.fma(P5, P4);
        FloatVector q = r2.fma(bc(r2, P6), b).fma(r2, a);
        return r2.fma(q, r);
    }

    static FloatVector expm1NonPositive(FloatVector x) {
        x = min0(atLeast(x, EXPM1_LOW));
        FloatVector t = x.fma(LOG2E, ROUND_BIASED);
        FloatVector kf = t.sub(ROUND_BIASED);
        FloatVector r = kf.fma(bc(x, -LN2_HI), x);
        r = kf.fma(bc(x, -LN2_LO), r);
        FloatVector q = r.fma(C7, C6);
        q = q.fma(r, bc(r, C5));
        q = q.fma(r, bc(r, C4));
        q = q.fma(r, bc(r, C3));
        q = q.fma(r, bc(r, C2));
        FloatVector em1 = r.mul(r).fma(q, r);
        FloatVector s = pow2(t);
        return s.fma(em1, s.sub(1f));
    }

    static FloatVector log1pUnit(FloatVector u) {
        FloatVector s = u.div(u.add(2f));
        FloatVector z = s.mul(s);
        FloatVector p = z.fma(1f / 13, 1f / 11);
        p = p.fma(z, bc(z, 1f / 9));
        p = p.fma(z, bc(z, 1f / 7));
        p = p.fma(z, bc(z, 1f / 5));
        p = p.fma(z, bc(z, 1f / 3));
        p = p.fma(z, bc(z, 1f));
        return s.mul(2f).mul(p);
    }

    /** Keeps exp's rare path: expBounded's extra steps cost 1.27x its time on JDK 17 (docs/design.md). */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        FloatVector num = e.blend(bc(e, 1f), x.compare(VectorOperators.GE, 0f));
        return num.div(e.add(1f));
    }

    static FloatVector tanh(FloatVector x) {
        FloatVector m = expm1NonPositive(x.abs().mul(-2f));
        return copySign(m.neg().div(m.add(2f)), x);
    }

    static FloatVector copySign(FloatVector magnitude, FloatVector sign) {
        IntVector mag = ((IntVector) magnitude.reinterpretAsInts()).and(0x7FFFFFFF);
        IntVector sgn = ((IntVector) sign.reinterpretAsInts()).and(0x80000000);
        return (FloatVector) mag.or(sgn).reinterpretAsFloats();
    }

    // Phi(x) = erfc(-x / sqrt 2) / 2 in two stages, normalCdfPrepare then normalCdfFinish, which the caller
    // runs as two loops over a chunk: together they exceed what C2 will inline into one loop body
    // (NodeCountInliningCutoff), and a helper left out-of-line boxes every vector. The operations are those
    // of FloatMath.normalCdf, in the same order.

    static FloatVector phiClamp(FloatVector x) {
        return atMost(atLeast(x, -PHI_LIMIT), PHI_LIMIT);
    }

    /** Stage 1: t = 1 / (1 + z/2), z = |x| / sqrt 2, for the erfc fit. */
    static FloatVector erfcT(FloatVector xc) {
        FloatVector z = xc.abs().mul(INV_SQRT2);
        return bc(xc, 1f).div(z.fma(0.5f, 1f));
    }

    /** Stage 1: the small part of erfc's exponent, Q(t) - lo/2, where x^2 = hi + lo exactly. */
    static FloatVector erfcExponentTail(FloatVector xc, FloatVector t) {
        FloatVector hi = xc.mul(xc);
        FloatVector lo = xc.fma(xc, hi.neg());
        FloatVector q = t.fma(E9, E8);
        q = q.fma(t, bc(t, E7));
        q = q.fma(t, bc(t, E6));
        q = q.fma(t, bc(t, E5));
        q = q.fma(t, bc(t, E4));
        q = q.fma(t, bc(t, E3));
        q = q.fma(t, bc(t, E2));
        q = q.fma(t, bc(t, E1));
        q = q.fma(t, bc(t, E0));
        return lo.fma(bc(lo, -0.5f), q);
    }

    /** Stage 2: Phi(x) from the clamped x and stage 1's t and exponent tail. */
    static FloatVector normalCdfFinish(FloatVector xc, FloatVector t, FloatVector tail) {
        FloatVector half = t.mul(expOfSumBounded(xc.mul(xc).mul(-0.5f), tail)).mul(0.5f);
        return half.blend(bc(xc, 1f).sub(half), xc.compare(VectorOperators.GE, 0f));
    }

    static FloatVector gaussian(FloatVector x) {
        x = atMost(atLeast(x, -PHI_LIMIT), PHI_LIMIT);
        FloatVector hi = x.mul(x);
        FloatVector lo = x.fma(x, hi.neg());
        return expBounded(hi.mul(-0.5f)).mul(lo.fma(-0.5f, 1f));
    }

    static VectorMask<Float> positive(FloatVector x) {
        return x.compare(VectorOperators.GT, 0f);
    }
}
