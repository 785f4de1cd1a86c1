package dev.rectify.kernels.internal;

import dev.rectify.kernels.Eltwise;

/**
 * Not API. The per-element activation formulas and their constants, the one neutral place both paths read: the
 * scalar path runs them element by element, the SIMD path mirrors each one operation for operation (in
 * {@code SimdReluFamily} and {@code SimdSmoothFamily}) and finishes its loops' remainders with them, which is one
 * reason the two paths agree bit for bit. {@code f*} are forward values, {@code d*} derivatives, {@code b*}
 * backward passes chosen by selection (a dead branch gives exactly +0 whatever dy holds).
 */
public final class Formulas {
    private Formulas() {}

    // Limits past which a function's float value no longer changes (see ActivationKernels: infinities).
    // Public so that the SIMD path uses these very values, not copies.
    public static final float GELU_LOW = -20f, SILU_LIMIT = 120f, MISH_HIGH = 20f, HARD_SWISH_LOW = -4f;
    public static final float GELU_C1 = 1.5957691216057308f;            // 2 sqrt(2/pi)
    public static final float GELU_C2 = 0.0713548162726009f;            // 2 sqrt(2/pi) 0.044715
    public static final float GELU_C2x3 = 0.2140644488178027f;          // 3 GELU_C2
    public static final float INV_SQRT_2PI = 0.3989422804014327f;
    public static final float SELU_LAMBDA_ALPHA = 1.7580993408473766f;  // lambda alpha, rounded once
    public static final float SIXTH = 1f / 6;

    public static float fLeaky(float x, float s) {
        return x > 0f ? x : x * s;
    }

    // x >= 0 (not > 0) keeps elu(-0.0) = -0.0: the expm1 branch would round it to +0.
    public static float fElu(float x, float alpha) {
        return x >= 0f ? x : alpha * FloatMath.expm1NonPositive(x);
    }

    public static float fSelu(float x) {
        return x >= 0f ? Eltwise.SELU_LAMBDA * x : SELU_LAMBDA_ALPHA * FloatMath.expm1NonPositive(x);
    }

    public static float fCelu(float x, float alpha) {
        return x >= 0f ? x : alpha * FloatMath.expm1NonPositive(x / alpha);
    }

    public static float fGeluErf(float x) {
        return Math.max(x, GELU_LOW) * FloatMath.normalCdf(x);
    }

    // x sigmoid(2u) = x / (1 + e^(-2u)): no 1 + tanh cancellation, and the lower tail kept as x e^z / (1 + e^z).
    public static float fGeluTanh(float x) {
        float xl = Math.max(x, GELU_LOW);
        float z = xl * Math.fma(GELU_C2, xl * xl, GELU_C1);
        float e = FloatMath.exp(-Math.abs(z));
        float num = z >= 0f ? xl : xl * e;
        return num / (1f + e);
    }

    public static float fSilu(float x) {
        float xl = Math.max(x, -SILU_LIMIT);
        float e = FloatMath.exp(-Math.abs(xl));
        float num = xl >= 0f ? xl : xl * e;
        return num / (1f + e);
    }

    // tanh(softplus(x)) = n / (n + 2) with n = e^x (e^x + 2): one exp, no cancellation for negative x.
    public static float fMish(float x) {
        float xl = Math.max(x, -SILU_LIMIT);
        float e = FloatMath.exp(Math.min(xl, MISH_HIGH));
        float nn = e * (e + 2f);
        float t = nn / (nn + 2f);
        return x > MISH_HIGH ? x : xl * t;
    }

    // softplus(z) = max(z, 0) + log1p(e^-|z|), stable for both signs.
    public static float fSoftplus(float x, float beta, float threshold) {
        float z = beta * x;
        float sp = Math.max(z, 0f) + FloatMath.log1pUnit(FloatMath.exp(-Math.abs(z)));
        return z > threshold ? x : sp / beta;
    }

    // relu6(x + 3) / 6 as in PyTorch: x + 3 is exact near -3, where x/6 + 1/2 would cancel.
    public static float fHardSigmoid(float x) {
        return Math.min(Math.max(x + 3f, 0f), 6f) / 6f;
    }

    public static float fHardSwish(float x) {
        return Math.max(x, HARD_SWISH_LOW) * fHardSigmoid(x);
    }

    public static float dElu(float x, float alpha) {
        return x > 0f ? 1f : alpha * FloatMath.exp(x);
    }

    public static float dSelu(float x) {
        return x > 0f ? Eltwise.SELU_LAMBDA : SELU_LAMBDA_ALPHA * FloatMath.exp(x);
    }

    public static float dCelu(float x, float alpha) {
        return x > 0f ? 1f : FloatMath.exp(x / alpha);
    }

    public static float dGeluErf(float x) {
        float xc = Math.min(Math.max(x, GELU_LOW), -GELU_LOW);
        return Math.fma(xc, FloatMath.gaussian(xc) * INV_SQRT_2PI, FloatMath.normalCdf(xc));
    }

    // s + x s (1 - s) dz/dx with s = sigmoid(z), both s and 1 - s formed without cancellation.
    public static float dGeluTanh(float x) {
        float xc = Math.min(Math.max(x, GELU_LOW), -GELU_LOW);
        float x2 = xc * xc;
        float z = xc * Math.fma(GELU_C2, x2, GELU_C1);
        float e = FloatMath.exp(-Math.abs(z));
        float den = 1f + e;
        boolean pos = z >= 0f;
        float s = (pos ? 1f : e) / den;
        float sc = (pos ? e : 1f) / den;
        return Math.fma(xc * s * sc, Math.fma(GELU_C2x3, x2, GELU_C1), s);
    }

    public static float dSilu(float x) {
        float xc = Math.min(Math.max(x, -SILU_LIMIT), SILU_LIMIT);
        float e = FloatMath.exp(-Math.abs(xc));
        float den = 1f + e;
        boolean pos = xc >= 0f;
        float s = (pos ? 1f : e) / den;
        float sc = (pos ? e : 1f) / den;
        return Math.fma(xc * s, sc, s);
    }

    // tanh(sp) + x sech^2(sp) sigmoid(x) = t + x 4 (n + 1) e / ((n + 2)^2 (1 + e)).
    public static float dMish(float x) {
        float xc = Math.max(x, -SILU_LIMIT);
        float e = FloatMath.exp(Math.min(xc, MISH_HIGH));
        float nn = e * (e + 2f);
        float w = nn + 2f;
        float t = nn / w;
        float g = 4f * (nn + 1f) * e / (w * w * (1f + e));
        return x > MISH_HIGH ? 1f : Math.fma(xc, g, t);
    }

    public static float dSoftplus(float x, float beta, float threshold) {
        float z = beta * x;
        return z > threshold ? 1f : FloatMath.sigmoid(z);
    }

    public static float dSigmoid(float x) {
        float e = FloatMath.exp(-Math.abs(x));
        float den = 1f + e;
        return e / (den * den);
    }

    // 1 / cosh^2 x = 4 e / (1 + e)^2 with e = e^(-2|x|): no 1 - tanh^2 cancellation in the tails.
    public static float dTanh(float x) {
        float e = FloatMath.exp(-2f * Math.abs(x));
        float den = 1f + e;
        return 4f * e / (den * den);
    }

    public static float dClip(float x, float min, float max) {
        return x > min && x < max ? 1f : 0f;
    }

    public static float dHardSigmoid(float x) {
        return x > -3f && x < 3f ? SIXTH : 0f;
    }

    // PyTorch's convention: 0 below -3, x/3 + 1/2 on [-3, 3], 1 above 3; (2x + 3)/6 has no
    // cancellation at the root x = -1.5.
    public static float dHardSwish(float x) {
        return x > 3f ? 1f : (x >= -3f ? hardSwishSlope(x) : 0f);
    }

    static float hardSwishSlope(float x) {
        return (2f * x + 3f) / 6f;
    }

    public static float bClip(float x, float dy, float min, float max) {
        return x > min && x < max ? dy : 0f;
    }

    public static float bHardSigmoid(float x, float dy) {
        return x > -3f && x < 3f ? dy * SIXTH : 0f;
    }

    public static float bHardSwish(float x, float dy) {
        return x > 3f ? dy : (x >= -3f ? dy * hardSwishSlope(x) : 0f);
    }

    public static float bPrelu(float x, float dy, float slope) {
        return x > 0f ? dy : (slope == 0f ? 0f : dy * slope);
    }

    /** log of a row's sum of exp(x - max), which is >= 1 for a finite row and NaN otherwise. */
    public static float logSum(float sum) {
        return sum >= 1f && sum < Float.POSITIVE_INFINITY ? FloatMath.logAtLeastOne(sum) : Float.NaN;
    }
}
