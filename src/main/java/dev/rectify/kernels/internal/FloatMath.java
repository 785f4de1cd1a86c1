package dev.rectify.kernels.internal;

/**
 * Single-precision elementary functions shared by the scalar path and by the SIMD path's loop tails.
 *
 * <p>Every function here is written as a fixed sequence of IEEE-754 operations (add, multiply, divide,
 * fused multiply-add, compare-and-select, exponent bit manipulation). {@code SimdMath} performs the very
 * same sequence lane-wise, which is why the two kernel paths agree bit for bit, transcendental functions
 * included. Changing an operation here without changing it there breaks the cross-path property tests.
 *
 * <p>Accuracy against the exact functions is stated on each method and measured by the tests; NaN inputs
 * give NaN results (payload unspecified).
 */
public final class FloatMath {
    private FloatMath() {}

    // The constants are public so that the SIMD path uses these very values, not copies.

    public static final float LOG2E = 1.44269504f;
    // ln 2 split so that k * LN2_HI is exact for |k| < 2^9 (LN2_HI has 9 trailing zero bits).
    public static final float LN2_HI = 0.693145751953125f;
    public static final float LN2_LO = 1.42860677e-06f;
    // Adding 1.5 * 2^23 rounds to an integer held in the low mantissa bits.
    public static final float ROUND_MAGIC = 0x1.8p23f;
    public static final int ROUND_MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);
    // The same rounding constant plus the exponent bias: the low mantissa bits of t = x log2e + ROUND_BIASED
    // then hold k + 127, so (bits(t) << 23) is 2^k for -126 <= k <= 127 without further integer arithmetic.
    public static final float ROUND_BIASED = 0x1.8p23f + 127f;
    /** Beyond this |k| the single-factor scaling 2^k would leave the normal range. */
    public static final float EXP_FAST_K = 126f;
    /** exp(x) is +Infinity above this and rounds to +0 below EXP_LOW; clamping keeps k in range. */
    public static final float EXP_HIGH = 89f;
    public static final float EXP_LOW = -104f;
    /** expm1(x) is -1 in float below this. */
    public static final float EXPM1_LOW = -88f;

    // Taylor coefficients 1/n! of e^r; with |r| <= ln2/2 the degree-7 remainder is below 0.13 ULP.
    public static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    /**
     * e^x, within 1 ULP of the exact value (measured), including subnormal results; +Infinity above
     * about 88.72, +0 below about -103.97, NaN for NaN.
     */
    public static float exp(float x) {
        float t = Math.fma(x, LOG2E, ROUND_BIASED);
        float kf = t - ROUND_BIASED;
        // Inputs whose result may be subnormal, infinite or zero (or that are infinite themselves) take the
        // clamped, two-factor path; both paths give the same bits wherever the fast one applies.
        // The test is written so that NaN stays on the fast path, as it does in the SIMD twin.
        if (Math.abs(kf) > EXP_FAST_K) {
            return expWide(x);
        }
        float r = Math.fma(kf, -LN2_HI, x);
        r = Math.fma(kf, -LN2_LO, r);
        return expPoly(r) * Float.intBitsToFloat(Float.floatToRawIntBits(t) << 23);
    }

    /** exp for any input: clamped so that k stays in range, 2^k applied as two normal factors. */
    public static float expWide(float x) {
        x = Math.min(Math.max(x, EXP_LOW), EXP_HIGH);
        float t = Math.fma(x, LOG2E, ROUND_MAGIC);
        int k = Float.floatToRawIntBits(t) - ROUND_MAGIC_BITS;
        float kf = t - ROUND_MAGIC;
        float r = Math.fma(kf, -LN2_HI, x);
        r = Math.fma(kf, -LN2_LO, r);
        float p = expPoly(r);
        // 2^k as two normal factors, so results down to the smallest subnormal are rounded once.
        int k1 = k >> 1;
        int k2 = k - k1;
        return p * Float.intBitsToFloat((k1 + 127) << 23) * Float.intBitsToFloat((k2 + 127) << 23);
    }

    /**
     * e^(a + b) with the sum never rounded: a may be large and exactly formed (-x^2/2), b moderate. k is
     * chosen from the rounded sum, but r = (a - k ln2) + b, where the first difference is exact, so the
     * result is as accurate as {@link #exp} of an exact argument. +0 when a + b is below EXP_LOW.
     */
    public static float expOfSum(float a, float b) {
        float t = Math.fma(a + b, LOG2E, ROUND_BIASED);
        float kf = t - ROUND_BIASED;
        if (Math.abs(kf) > EXP_FAST_K) {
            return expOfSumWide(a, b);
        }
        float r = Math.fma(kf, -LN2_HI, a) + b;
        r = Math.fma(kf, -LN2_LO, r);
        return expPoly(r) * Float.intBitsToFloat(Float.floatToRawIntBits(t) << 23);
    }

    /** expOfSum for any input; the same bits as the fast path wherever that applies. */
    public static float expOfSumWide(float a, float b) {
        float s = a + b;
        float t = Math.fma(Math.min(Math.max(s, EXP_LOW), EXP_HIGH), LOG2E, ROUND_MAGIC);
        int k = Float.floatToRawIntBits(t) - ROUND_MAGIC_BITS;
        float kf = t - ROUND_MAGIC;
        float r = Math.fma(kf, -LN2_HI, a) + b;
        r = Math.fma(kf, -LN2_LO, r);
        float p = expPoly(r);
        int k1 = k >> 1;
        int k2 = k - k1;
        float e = p * Float.intBitsToFloat((k1 + 127) << 23) * Float.intBitsToFloat((k2 + 127) << 23);
        // Where the sum was clamped, r is out of the polynomial's range: the limits are exact instead.
        return s < EXP_LOW ? 0f : s > EXP_HIGH ? Float.POSITIVE_INFINITY : e;
    }

    // Minimax fit of (e^r - 1 - r) / r^2 on |r| <= ln2/2 (relative error of e^r 3.1e-9 before rounding),
    // evaluated in Estrin's scheme: three dependent steps instead of six keep the latency-bound
    // vector loops short. 0.82 ULP worst case for e^r in float (measured on 200,000 points).
    public static final float P2 = 0x1.fffffcp-2f, P3 = 0x1.555492p-3f, P4 = 0x1.5558f2p-5f, P5 = 0x1.123a04p-7f,
            P6 = 0x1.6a235cp-10f;

    static float expPoly(float r) {
        float r2 = r * r;
        float a = Math.fma(P3, r, P2);
        float b = Math.fma(P5, r, P4);
        float q = Math.fma(Math.fma(P6, r2, b), r2, a);
        return Math.fma(r2, q, r) + 1f;
    }

    /**
     * e^x - 1 for x &lt;= 0 (positive arguments are treated as 0), within 2 ULP of the exact value;
     * keeps -0.0; NaN for NaN. Used by the ELU family and tanh, whose callers only need the
     * non-positive branch and where exp(x) - 1 would cancel catastrophically near 0.
     */
    public static float expm1NonPositive(float x) {
        x = Math.min(Math.max(x, EXPM1_LOW), 0f);
        float t = Math.fma(x, LOG2E, ROUND_BIASED);
        float kf = t - ROUND_BIASED;
        float r = Math.fma(kf, -LN2_HI, x);
        r = Math.fma(kf, -LN2_LO, r);
        // e^r - 1 = r + r^2 (1/2 + r/6 + ...): no constant term, so no cancellation for small r.
        float q = Math.fma(C7, r, C6);
        q = Math.fma(q, r, C5);
        q = Math.fma(q, r, C4);
        q = Math.fma(q, r, C3);
        q = Math.fma(q, r, C2);
        float em1 = Math.fma(r * r, q, r);
        float s = Float.intBitsToFloat(Float.floatToRawIntBits(t) << 23); // k >= -127: 2^-127 becomes +0, harmless
        return Math.fma(s, em1, s - 1f);
    }

    /**
     * log(1 + u) for 0 &lt;= u &lt;= 1, within 2 ULP, as 2 atanh(u / (2 + u)) with an odd series;
     * exact for u = 0 and accurate for tiny u (no 1 + u rounding).
     */
    public static float log1pUnit(float u) {
        float s = u / (2f + u);
        float z = s * s;
        float p = Math.fma(1f / 13, z, 1f / 11);
        p = Math.fma(p, z, 1f / 9);
        p = Math.fma(p, z, 1f / 7);
        p = Math.fma(p, z, 1f / 5);
        p = Math.fma(p, z, 1f / 3);
        p = Math.fma(p, z, 1f);
        return 2f * s * p;
    }

    /** Logistic sigmoid 1 / (1 + e^-x), accurate in both tails (the negative tail as e^x / (1 + e^x)). */
    public static float sigmoid(float x) {
        float e = exp(-Math.abs(x));
        float num = x >= 0f ? 1f : e;
        return num / (1f + e);
    }

    /** tanh x = -m / (m + 2) with m = expm1(-2|x|), sign restored; keeps -0.0, saturates to +-1. */
    public static float tanh(float x) {
        float m = expm1NonPositive(-2f * Math.abs(x));
        return Math.copySign(-m / (m + 2f), x);
    }

    // erfc(z) = t exp(-z^2 + Q(t)), t = 1 / (1 + z/2), Q a degree-9 polynomial: the Chebyshev fit
    // published in Numerical Recipes (relative error < 1.2e-7 for all z >= 0; 1.04e-7 re-measured).
    public static final float E0 = -1.26551223f, E1 = 1.00002368f, E2 = 0.37409196f, E3 = 0.09678418f,
            E4 = -0.18628806f, E5 = 0.27886807f, E6 = -1.13520398f, E7 = 1.48851587f, E8 = -0.82215223f,
            E9 = 0.17087277f;
    public static final float INV_SQRT2 = 0.70710678f;
    /** Phi(x) is 0 or 1 in float beyond this magnitude. */
    public static final float PHI_LIMIT = 20f;

    /**
     * The standard normal CDF Phi(x) = erfc(-x / sqrt 2) / 2, with relative accuracy kept in the
     * lower tail: x^2 / 2 is formed exactly (hi + lo) so the Gaussian factor does not lose digits.
     */
    public static float normalCdf(float x) {
        x = Math.min(Math.max(x, -PHI_LIMIT), PHI_LIMIT);
        float half = 0.5f * erfcHalfSquareScaled(x);
        return x >= 0f ? 1f - half : half;
    }

    /** erfc(|x| / sqrt 2), the shared core of Phi. */
    static float erfcHalfSquareScaled(float x) {
        float z = Math.abs(x) * INV_SQRT2;
        float t = 1f / Math.fma(0.5f, z, 1f);
        float hi = x * x;
        float lo = Math.fma(x, x, -hi);
        float q = Math.fma(E9, t, E8);
        q = Math.fma(q, t, E7);
        q = Math.fma(q, t, E6);
        q = Math.fma(q, t, E5);
        q = Math.fma(q, t, E4);
        q = Math.fma(q, t, E3);
        q = Math.fma(q, t, E2);
        q = Math.fma(q, t, E1);
        q = Math.fma(q, t, E0);
        return t * expOfSum(-0.5f * hi, Math.fma(-0.5f, lo, q));
    }

    /** exp(-x^2 / 2) with x^2 formed exactly, for the Gaussian density in GELU's derivative. */
    public static float gaussian(float x) {
        x = Math.min(Math.max(x, -PHI_LIMIT), PHI_LIMIT);
        float hi = x * x;
        float lo = Math.fma(x, x, -hi);
        return exp(-0.5f * hi) * Math.fma(-0.5f, lo, 1f);
    }

    /**
     * Natural log of a finite v &gt;= 1 (a softmax row sum): v = m 2^e with m in [1, 2), so
     * log v = e ln 2 + log1p(m - 1), where m - 1 is exact.
     */
    public static float logAtLeastOne(float v) {
        int bits = Float.floatToRawIntBits(v);
        int e = (bits >>> 23) - 127;
        float m = Float.intBitsToFloat((bits & 0x007FFFFF) | 0x3F800000);
        float ef = e;
        return Math.fma(ef, LN2_HI, Math.fma(ef, LN2_LO, log1pUnit(m - 1f)));
    }
}
