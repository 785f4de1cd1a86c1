package dev.rectify.kernels.internal.scalar;

import static dev.rectify.kernels.Reductions.SUMMARY_MAX;
import static dev.rectify.kernels.Reductions.SUMMARY_MIN;
import static dev.rectify.kernels.Reductions.SUMMARY_NONPOSITIVE;
import static dev.rectify.kernels.Reductions.SUMMARY_SUM;
import static dev.rectify.kernels.Reductions.SUMMARY_ZEROS;
import dev.rectify.kernels.internal.ActivationSupport;
import dev.rectify.kernels.internal.ReductionSupport;
import dev.rectify.kernels.Eltwise;

/**
 * The plain-Java reference implementation. It is the fallback when the Vector API is unavailable, the
 * reference the SIMD path is tested against, and — through its public {@code *Range} methods — the code
 * that finishes the SIMD loops' remainders, which is one reason the two paths agree bit for bit.
 *
 * <p>Per-element formulas live in the {@code f*}, {@code d*} and {@code b*} helpers; the SIMD class
 * mirrors each one operation for operation.
 */
public final class ScalarActivations implements ActivationSupport, ReductionSupport {
    /** The single instance; the class is stateless. */
    public static final ScalarActivations INSTANCE = new ScalarActivations();

    // Limits past which a function's float value no longer changes (see ActivationKernels: infinities).
    // Public so that the SIMD path uses these very values, not copies.
    public static final float GELU_LOW = -20f, SILU_LIMIT = 120f, MISH_HIGH = 20f, HARD_SWISH_LOW = -4f;
    public static final float GELU_C1 = 1.5957691216057308f;            // 2 sqrt(2/pi)
    public static final float GELU_C2 = 0.0713548162726009f;            // 2 sqrt(2/pi) 0.044715
    public static final float GELU_C2x3 = 0.2140644488178027f;          // 3 GELU_C2
    public static final float INV_SQRT_2PI = 0.3989422804014327f;
    public static final float SELU_LAMBDA_ALPHA = 1.7580993408473766f;  // lambda alpha, rounded once
    public static final float SIXTH = 1f / 6;

    private ScalarActivations() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void forward(Eltwise op, float[] src, int srcOff, float[] dst, int dstOff, int n) {
        forwardRange(op, src, srcOff, dst, dstOff, n);
    }

    @Override
    public void derivative(Eltwise op, float[] src, int srcOff, float[] dst, int dstOff, int n) {
        derivativeRange(op, src, srcOff, dst, dstOff, n);
    }

    @Override
    public void backward(Eltwise op, float[] src, int srcOff, float[] diffDst, int diffDstOff,
                                float[] diffSrc, int diffSrcOff, int n) {
        backwardRange(op, src, srcOff, diffDst, diffDstOff, diffSrc, diffSrcOff, n);
    }

    @Override
    public void backwardFromOutput(Eltwise op, float[] dst, int dstOff, float[] diffDst, int diffDstOff,
                                          float[] diffSrc, int diffSrcOff, int n) {
        backwardFromOutputRange(op, dst, dstOff, diffDst, diffDstOff, diffSrc, diffSrcOff, n);
    }

    // ---- forward ----------------------------------------------------------------------------------

    /** The forward pass without argument checks, for the SIMD path's remainders. */
    public static void forwardRange(Eltwise op, float[] x, int xo, float[] y, int yo, int n) {
        final float a = op.alpha(), b = op.beta();
        switch (op.algorithm()) {
            case RELU:
                for (int i = 0; i < n; i++) y[yo + i] = Math.max(x[xo + i], 0f);
                break;
            case LEAKY_RELU: case RRELU: {
                float s = op.negativeSlope();
                for (int i = 0; i < n; i++) y[yo + i] = fLeaky(x[xo + i], s);
                break;
            }
            case ELU:
                for (int i = 0; i < n; i++) y[yo + i] = fElu(x[xo + i], a);
                break;
            case SELU:
                for (int i = 0; i < n; i++) y[yo + i] = fSelu(x[xo + i]);
                break;
            case CELU:
                for (int i = 0; i < n; i++) y[yo + i] = fCelu(x[xo + i], a);
                break;
            case GELU_ERF:
                for (int i = 0; i < n; i++) y[yo + i] = fGeluErf(x[xo + i]);
                break;
            case GELU_TANH:
                for (int i = 0; i < n; i++) y[yo + i] = fGeluTanh(x[xo + i]);
                break;
            case SILU:
                for (int i = 0; i < n; i++) y[yo + i] = fSilu(x[xo + i]);
                break;
            case MISH:
                for (int i = 0; i < n; i++) y[yo + i] = fMish(x[xo + i]);
                break;
            case SOFTPLUS:
                for (int i = 0; i < n; i++) y[yo + i] = fSoftplus(x[xo + i], a, b);
                break;
            case SIGMOID:
                for (int i = 0; i < n; i++) y[yo + i] = ScalarMath.sigmoid(x[xo + i]);
                break;
            case TANH:
                for (int i = 0; i < n; i++) y[yo + i] = ScalarMath.tanh(x[xo + i]);
                break;
            case HARD_TANH:
                for (int i = 0; i < n; i++) y[yo + i] = Math.min(Math.max(x[xo + i], a), b);
                break;
            case RELU6:
                for (int i = 0; i < n; i++) y[yo + i] = Math.min(Math.max(x[xo + i], 0f), 6f);
                break;
            case HARD_SIGMOID:
                for (int i = 0; i < n; i++) y[yo + i] = fHardSigmoid(x[xo + i]);
                break;
            case HARD_SWISH:
                for (int i = 0; i < n; i++) y[yo + i] = fHardSwish(x[xo + i]);
                break;
            default:
                throw new AssertionError(op);
        }
    }

    public static float fLeaky(float x, float s) {
        return x > 0f ? x : x * s;
    }

    // x >= 0 (not > 0) keeps elu(-0.0) = -0.0: the expm1 branch would round it to +0.
    public static float fElu(float x, float alpha) {
        return x >= 0f ? x : alpha * ScalarMath.expm1NonPositive(x);
    }

    public static float fSelu(float x) {
        return x >= 0f ? Eltwise.SELU_LAMBDA * x : SELU_LAMBDA_ALPHA * ScalarMath.expm1NonPositive(x);
    }

    public static float fCelu(float x, float alpha) {
        return x >= 0f ? x : alpha * ScalarMath.expm1NonPositive(x / alpha);
    }

    public static float fGeluErf(float x) {
        return Math.max(x, GELU_LOW) * ScalarMath.normalCdf(x);
    }

    // x sigmoid(2u) = x / (1 + e^(-2u)): no 1 + tanh cancellation, and the lower tail kept as x e^z / (1 + e^z).
    public static float fGeluTanh(float x) {
        float xl = Math.max(x, GELU_LOW);
        float z = xl * Math.fma(GELU_C2, xl * xl, GELU_C1);
        float e = ScalarMath.exp(-Math.abs(z));
        float num = z >= 0f ? xl : xl * e;
        return num / (1f + e);
    }

    public static float fSilu(float x) {
        float xl = Math.max(x, -SILU_LIMIT);
        float e = ScalarMath.exp(-Math.abs(xl));
        float num = xl >= 0f ? xl : xl * e;
        return num / (1f + e);
    }

    // tanh(softplus(x)) = n / (n + 2) with n = e^x (e^x + 2): one exp, no cancellation for negative x.
    public static float fMish(float x) {
        float xl = Math.max(x, -SILU_LIMIT);
        float e = ScalarMath.exp(Math.min(xl, MISH_HIGH));
        float nn = e * (e + 2f);
        float t = nn / (nn + 2f);
        return x > MISH_HIGH ? x : xl * t;
    }

    // softplus(z) = max(z, 0) + log1p(e^-|z|), stable for both signs.
    public static float fSoftplus(float x, float beta, float threshold) {
        float z = beta * x;
        float sp = Math.max(z, 0f) + ScalarMath.log1pUnit(ScalarMath.exp(-Math.abs(z)));
        return z > threshold ? x : sp / beta;
    }

    // relu6(x + 3) / 6 as in PyTorch: x + 3 is exact near -3, where x/6 + 1/2 would cancel.
    public static float fHardSigmoid(float x) {
        return Math.min(Math.max(x + 3f, 0f), 6f) / 6f;
    }

    public static float fHardSwish(float x) {
        return Math.max(x, HARD_SWISH_LOW) * fHardSigmoid(x);
    }

    // ---- derivative -------------------------------------------------------------------------------

    /** The derivative without argument checks, for the SIMD path's remainders. */
    public static void derivativeRange(Eltwise op, float[] x, int xo, float[] d, int dOff, int n) {
        final float a = op.alpha(), b = op.beta();
        switch (op.algorithm()) {
            case RELU:
                for (int i = 0; i < n; i++) d[dOff + i] = x[xo + i] > 0f ? 1f : 0f;
                break;
            case LEAKY_RELU: case RRELU: {
                float s = op.negativeSlope();
                for (int i = 0; i < n; i++) d[dOff + i] = x[xo + i] > 0f ? 1f : s;
                break;
            }
            case ELU:
                for (int i = 0; i < n; i++) d[dOff + i] = dElu(x[xo + i], a);
                break;
            case SELU:
                for (int i = 0; i < n; i++) d[dOff + i] = dSelu(x[xo + i]);
                break;
            case CELU:
                for (int i = 0; i < n; i++) d[dOff + i] = dCelu(x[xo + i], a);
                break;
            case GELU_ERF:
                for (int i = 0; i < n; i++) d[dOff + i] = dGeluErf(x[xo + i]);
                break;
            case GELU_TANH:
                for (int i = 0; i < n; i++) d[dOff + i] = dGeluTanh(x[xo + i]);
                break;
            case SILU:
                for (int i = 0; i < n; i++) d[dOff + i] = dSilu(x[xo + i]);
                break;
            case MISH:
                for (int i = 0; i < n; i++) d[dOff + i] = dMish(x[xo + i]);
                break;
            case SOFTPLUS:
                for (int i = 0; i < n; i++) d[dOff + i] = dSoftplus(x[xo + i], a, b);
                break;
            case SIGMOID:
                for (int i = 0; i < n; i++) d[dOff + i] = dSigmoid(x[xo + i]);
                break;
            case TANH:
                for (int i = 0; i < n; i++) d[dOff + i] = dTanh(x[xo + i]);
                break;
            case HARD_TANH:
                for (int i = 0; i < n; i++) d[dOff + i] = dClip(x[xo + i], a, b);
                break;
            case RELU6:
                for (int i = 0; i < n; i++) d[dOff + i] = dClip(x[xo + i], 0f, 6f);
                break;
            case HARD_SIGMOID:
                for (int i = 0; i < n; i++) d[dOff + i] = dHardSigmoid(x[xo + i]);
                break;
            case HARD_SWISH:
                for (int i = 0; i < n; i++) d[dOff + i] = dHardSwish(x[xo + i]);
                break;
            default:
                throw new AssertionError(op);
        }
    }

    public static float dElu(float x, float alpha) {
        return x > 0f ? 1f : alpha * ScalarMath.exp(x);
    }

    public static float dSelu(float x) {
        return x > 0f ? Eltwise.SELU_LAMBDA : SELU_LAMBDA_ALPHA * ScalarMath.exp(x);
    }

    public static float dCelu(float x, float alpha) {
        return x > 0f ? 1f : ScalarMath.exp(x / alpha);
    }

    public static float dGeluErf(float x) {
        float xc = Math.min(Math.max(x, GELU_LOW), -GELU_LOW);
        return Math.fma(xc, ScalarMath.gaussian(xc) * INV_SQRT_2PI, ScalarMath.normalCdf(xc));
    }

    // s + x s (1 - s) dz/dx with s = sigmoid(z), both s and 1 - s formed without cancellation.
    public static float dGeluTanh(float x) {
        float xc = Math.min(Math.max(x, GELU_LOW), -GELU_LOW);
        float x2 = xc * xc;
        float z = xc * Math.fma(GELU_C2, x2, GELU_C1);
        float e = ScalarMath.exp(-Math.abs(z));
        float den = 1f + e;
        boolean pos = z >= 0f;
        float s = (pos ? 1f : e) / den;
        float sc = (pos ? e : 1f) / den;
        return Math.fma(xc * s * sc, Math.fma(GELU_C2x3, x2, GELU_C1), s);
    }

    public static float dSilu(float x) {
        float xc = Math.min(Math.max(x, -SILU_LIMIT), SILU_LIMIT);
        float e = ScalarMath.exp(-Math.abs(xc));
        float den = 1f + e;
        boolean pos = xc >= 0f;
        float s = (pos ? 1f : e) / den;
        float sc = (pos ? e : 1f) / den;
        return Math.fma(xc * s, sc, s);
    }

    // tanh(sp) + x sech^2(sp) sigmoid(x) = t + x 4 (n + 1) e / ((n + 2)^2 (1 + e)).
    public static float dMish(float x) {
        float xc = Math.max(x, -SILU_LIMIT);
        float e = ScalarMath.exp(Math.min(xc, MISH_HIGH));
        float nn = e * (e + 2f);
        float w = nn + 2f;
        float t = nn / w;
        float g = 4f * (nn + 1f) * e / (w * w * (1f + e));
        return x > MISH_HIGH ? 1f : Math.fma(xc, g, t);
    }

    public static float dSoftplus(float x, float beta, float threshold) {
        float z = beta * x;
        return z > threshold ? 1f : ScalarMath.sigmoid(z);
    }

    public static float dSigmoid(float x) {
        float e = ScalarMath.exp(-Math.abs(x));
        float den = 1f + e;
        return e / (den * den);
    }

    // 1 / cosh^2 x = 4 e / (1 + e)^2 with e = e^(-2|x|): no 1 - tanh^2 cancellation in the tails.
    public static float dTanh(float x) {
        float e = ScalarMath.exp(-2f * Math.abs(x));
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

    // ---- backward ---------------------------------------------------------------------------------

    /** The backward pass without argument checks, for the SIMD path's remainders. */
    public static void backwardRange(Eltwise op, float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        final float a = op.alpha(), b = op.beta();
        switch (op.algorithm()) {
            case RELU:
                reluBackward(x, xo, dy, dyo, dx, dxo, n);
                break;
            case LEAKY_RELU: case RRELU: {
                float s = op.negativeSlope();
                if (s == 0f) {
                    reluBackward(x, xo, dy, dyo, dx, dxo, n);
                } else {
                    for (int i = 0; i < n; i++) dx[dxo + i] = x[xo + i] > 0f ? dy[dyo + i] : dy[dyo + i] * s;
                }
                break;
            }
            case HARD_TANH:
                for (int i = 0; i < n; i++) dx[dxo + i] = bClip(x[xo + i], dy[dyo + i], a, b);
                break;
            case RELU6:
                for (int i = 0; i < n; i++) dx[dxo + i] = bClip(x[xo + i], dy[dyo + i], 0f, 6f);
                break;
            case HARD_SIGMOID:
                for (int i = 0; i < n; i++) dx[dxo + i] = bHardSigmoid(x[xo + i], dy[dyo + i]);
                break;
            case HARD_SWISH:
                for (int i = 0; i < n; i++) dx[dxo + i] = bHardSwish(x[xo + i], dy[dyo + i]);
                break;
            case ELU:
                for (int i = 0; i < n; i++) dx[dxo + i] = dy[dyo + i] * dElu(x[xo + i], a);
                break;
            case SELU:
                for (int i = 0; i < n; i++) dx[dxo + i] = dy[dyo + i] * dSelu(x[xo + i]);
                break;
            case CELU:
                for (int i = 0; i < n; i++) dx[dxo + i] = dy[dyo + i] * dCelu(x[xo + i], a);
                break;
            case GELU_ERF:
                for (int i = 0; i < n; i++) dx[dxo + i] = dy[dyo + i] * dGeluErf(x[xo + i]);
                break;
            case GELU_TANH:
                for (int i = 0; i < n; i++) dx[dxo + i] = dy[dyo + i] * dGeluTanh(x[xo + i]);
                break;
            case SILU:
                for (int i = 0; i < n; i++) dx[dxo + i] = dy[dyo + i] * dSilu(x[xo + i]);
                break;
            case MISH:
                for (int i = 0; i < n; i++) dx[dxo + i] = dy[dyo + i] * dMish(x[xo + i]);
                break;
            case SOFTPLUS:
                for (int i = 0; i < n; i++) dx[dxo + i] = dy[dyo + i] * dSoftplus(x[xo + i], a, b);
                break;
            case SIGMOID:
                for (int i = 0; i < n; i++) dx[dxo + i] = dy[dyo + i] * dSigmoid(x[xo + i]);
                break;
            case TANH:
                for (int i = 0; i < n; i++) dx[dxo + i] = dy[dyo + i] * dTanh(x[xo + i]);
                break;
            default:
                throw new AssertionError(op);
        }
    }

    // Selection, not dy * (x > 0): a dead unit passes exactly +0 even for infinite or NaN dy.
    static void reluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        for (int i = 0; i < n; i++) dx[dxo + i] = x[xo + i] > 0f ? dy[dyo + i] : 0f;
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

    /** The backward pass from the output without argument checks, for the SIMD path's remainders. */
    public static void backwardFromOutputRange(Eltwise op, float[] y, int yo, float[] dy, int dyo,
                                               float[] dx, int dxo, int n) {
        switch (op.algorithm()) {
            case RELU:
                reluBackward(y, yo, dy, dyo, dx, dxo, n);
                break;
            case LEAKY_RELU: case RRELU: {
                float s = op.negativeSlope();
                if (s == 0f) {
                    reluBackward(y, yo, dy, dyo, dx, dxo, n);
                } else {
                    for (int i = 0; i < n; i++) dx[dxo + i] = y[yo + i] > 0f ? dy[dyo + i] : dy[dyo + i] * s;
                }
                break;
            }
            case ELU: {
                float a = op.alpha();
                for (int i = 0; i < n; i++) {
                    float v = y[yo + i];
                    dx[dxo + i] = v > 0f ? dy[dyo + i] : dy[dyo + i] * (v + a);
                }
                break;
            }
            case SIGMOID:
                for (int i = 0; i < n; i++) {
                    float v = y[yo + i];
                    dx[dxo + i] = dy[dyo + i] * (v * (1f - v));
                }
                break;
            case TANH:
                for (int i = 0; i < n; i++) {
                    float v = y[yo + i];
                    dx[dxo + i] = dy[dyo + i] * Math.fma(-v, v, 1f);
                }
                break;
            default:
                throw new AssertionError(op);
        }
    }

    // ---- PReLU (per-channel slopes; also RReLU training with one slope per element) ---------------

    @Override
    public void preluForward(float[] x, int xo, float[] slope, int so, int channels, float[] y, int yo, int n) {
        preluForwardRange(x, xo, slope, so, channels, y, yo, 0, n);
    }

    /** PReLU forward over elements {@code [from, to)} of the call, for the SIMD path's remainders. */
    public static void preluForwardRange(float[] x, int xo, float[] slope, int so, int channels,
                                         float[] y, int yo, int from, int to) {
        // one division per call, not per element: the SIMD path calls this for a few elements per row
        for (int i = from, c = from % channels; i < to; i++) {
            y[yo + i] = fLeaky(x[xo + i], slope[so + c]);
            if (++c == channels) {
                c = 0;
            }
        }
    }

    @Override
    public void preluDerivative(float[] x, int xo, float[] slope, int so, int channels, float[] d, int dOff, int n) {
        preluDerivativeRange(x, xo, slope, so, channels, d, dOff, 0, n);
    }

    /** PReLU derivative over elements {@code [from, to)} of the call. */
    public static void preluDerivativeRange(float[] x, int xo, float[] slope, int so, int channels,
                                            float[] d, int dOff, int from, int to) {
        for (int i = from; i < to; i++) {
            d[dOff + i] = x[xo + i] > 0f ? 1f : slope[so + i % channels];
        }
    }

    @Override
    public void preluBackward(float[] x, int xo, float[] slope, int so, int channels, float[] dy, int dyo,
                                     float[] dx, int dxo, float[] dSlope, int dso, int n) {
        preluBackwardRange(x, xo, slope, so, channels, dy, dyo, dx, dxo, dSlope, dso, 0, n);
    }

    /**
     * PReLU backward over elements {@code [from, to)} of the call; the slope gradient of each channel is
     * accumulated in element order, the order the SIMD path keeps too.
     */
    public static void preluBackwardRange(float[] x, int xo, float[] slope, int so, int channels, float[] dy, int dyo,
                                          float[] dx, int dxo, float[] dSlope, int dso, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = i % channels;
            float v = x[xo + i];
            float g = dy[dyo + i];
            float s = slope[so + c];
            // The slope gradient is read before dx is written: dx may be x or dy (in place).
            if (dSlope != null && !(v > 0f)) {
                dSlope[dso + c] += g * v;
            }
            dx[dxo + i] = bPrelu(v, g, s);
        }
    }

    public static float bPrelu(float x, float dy, float slope) {
        return x > 0f ? dy : (slope == 0f ? 0f : dy * slope);
    }

    // ---- softmax ----------------------------------------------------------------------------------

    @Override
    public void softmax(boolean log, float[] x, int xo, float[] y, int yo, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int xr = xo + r * cols, yr = yo + r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, x[xr + j]);
            float sum = 0f;
            if (log) {
                for (int j = 0; j < cols; j++) sum += ScalarMath.exp(x[xr + j] - max);
                float shift = max + logSum(sum);
                for (int j = 0; j < cols; j++) y[yr + j] = x[xr + j] - shift;
            } else {
                for (int j = 0; j < cols; j++) {
                    float e = ScalarMath.exp(x[xr + j] - max);
                    y[yr + j] = e;
                    sum += e;
                }
                for (int j = 0; j < cols; j++) y[yr + j] = y[yr + j] / sum;
            }
        }
    }

    /** log of a row's sum of exp(x - max), which is >= 1 for a finite row and NaN otherwise. */
    public static float logSum(float sum) {
        return sum >= 1f && sum < Float.POSITIVE_INFINITY ? ScalarMath.logAtLeastOne(sum) : Float.NaN;
    }

    @Override
    public void softmaxBackward(boolean log, float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo,
                                       int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int yr = yo + r * cols, dyr = dyo + r * cols, dxr = dxo + r * cols;
            float s = 0f;
            if (log) {
                for (int j = 0; j < cols; j++) s += dy[dyr + j];
                for (int j = 0; j < cols; j++) dx[dxr + j] = dy[dyr + j] - ScalarMath.exp(y[yr + j]) * s;
            } else {
                for (int j = 0; j < cols; j++) s += dy[dyr + j] * y[yr + j];
                for (int j = 0; j < cols; j++) dx[dxr + j] = y[yr + j] * (dy[dyr + j] - s);
            }
        }
    }

    @Override
    public double sumOfSquares(float[] x, int xo, int n) {
        return blockedSum(x, xo, n, true);
    }

    /**
     * The sum (or sum of squares, as fma chains) of x[xo ..+n) in the order the contract of
     * {@code sumOfSquares} fixes: 32 float partials per block of 1,024, added to a double in partial order,
     * then the remainder in double. The flag is loop-invariant, so C2 unswitches the loop on it.
     */
    private static double blockedSum(float[] x, int xo, int n, boolean squares) {
        double total = 0;
        int i = xo;
        final int end = xo + n;
        while (end - i >= SQUARE_PARTIALS) {
            final int stop = i + Math.min(SQUARE_BLOCK, (end - i) & -SQUARE_PARTIALS);
            // Eight partials per sweep keep eight chains in flight; the block is in L1 for all four sweeps.
            for (int g = 0; g < SQUARE_PARTIALS; g += 8) {
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
                for (int j = i + g; j < stop; j += SQUARE_PARTIALS) {
                    s0 = squares ? Math.fma(x[j], x[j], s0) : s0 + x[j];
                    s1 = squares ? Math.fma(x[j + 1], x[j + 1], s1) : s1 + x[j + 1];
                    s2 = squares ? Math.fma(x[j + 2], x[j + 2], s2) : s2 + x[j + 2];
                    s3 = squares ? Math.fma(x[j + 3], x[j + 3], s3) : s3 + x[j + 3];
                    s4 = squares ? Math.fma(x[j + 4], x[j + 4], s4) : s4 + x[j + 4];
                    s5 = squares ? Math.fma(x[j + 5], x[j + 5], s5) : s5 + x[j + 5];
                    s6 = squares ? Math.fma(x[j + 6], x[j + 6], s6) : s6 + x[j + 6];
                    s7 = squares ? Math.fma(x[j + 7], x[j + 7], s7) : s7 + x[j + 7];
                }
                total += s0;
                total += s1;
                total += s2;
                total += s3;
                total += s4;
                total += s5;
                total += s6;
                total += s7;
            }
            i = stop;
        }
        for (; i < end; i++) {
            total += squares ? (double) x[i] * x[i] : x[i];
        }
        return total;
    }

    @Override
    public void summarize(float[] x, int xo, int n, double[] summary, int so) {
        float mn = Float.POSITIVE_INFINITY, mx = Float.NEGATIVE_INFINITY;
        double total = blockedSum(x, xo, n, false);
        long zeros = 0, nonPositive = 0;
        final int end = xo + n;
        for (int j = xo; j < end; j++) {
            float e = x[j];
            mn = e < mn ? e : mn;
            mx = e > mx ? e : mx;
            zeros += e == 0f ? 1 : 0;
            nonPositive += e <= 0f ? 1 : 0;
        }
        finishSummary(x, xo, n, mn, mx, total, zeros, nonPositive, summary, so);
    }

    /**
     * The last step of {@code summarize} on both paths. Minimum and maximum were taken with {@code <} and
     * {@code >}, which skip NaN and do not order -0.0 and +0.0 (a blend on those compares costs a third of
     * the lane-wise MIN/MAX, whose Math.min rules need a longer sequence): a zero becomes +0.0, and when the
     * sum is NaN (a NaN element, or both infinities) a scan decides whether both become NaN.
     */
    public static void finishSummary(float[] x, int xo, int n, float mn, float mx, double total, long zeros,
                                     long nonPositive, double[] summary, int so) {
        if (Double.isNaN(total)) {
            for (int i = xo, end = xo + n; i < end; i++) {
                if (Float.isNaN(x[i])) {
                    mn = Float.NaN;
                    mx = Float.NaN;
                    break;
                }
            }
        }
        summary[so + SUMMARY_MIN] = mn + 0f;
        summary[so + SUMMARY_MAX] = mx + 0f;
        summary[so + SUMMARY_SUM] = total;
        summary[so + SUMMARY_ZEROS] = zeros;
        summary[so + SUMMARY_NONPOSITIVE] = nonPositive;
    }
}
