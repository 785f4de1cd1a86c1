package dev.rectify.kernels.internal.scalar;

import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.internal.ActivationSupport;
import dev.rectify.kernels.internal.FloatMath;

import static dev.rectify.kernels.internal.Formulas.*;

/**
 * Not API. The plain-Java activation kernels: the fallback when the Vector API is unavailable, the reference the SIMD
 * path is tested against, and — through its {@code *Range} methods — the code that finishes the SIMD loops'
 * remainders. One switch per pass dispatches to a loop per algorithm over the formulas of {@code Formulas}; PReLU is
 * {@link ScalarPrelu}, the row-wise kernels {@link ScalarRowwise}.
 */
public final class ScalarActivations implements ActivationSupport {
    /** The single instance; the class is stateless. */
    public static final ScalarActivations INSTANCE = new ScalarActivations();

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

    @Override
    public void preluForward(float[] x, int xo, float[] slope, int so, int channels, float[] y, int yo, int n) {
        ScalarPrelu.preluForwardRange(x, xo, slope, so, channels, y, yo, 0, n);
    }

    @Override
    public void preluDerivative(float[] x, int xo, float[] slope, int so, int channels, float[] d, int dOff, int n) {
        ScalarPrelu.preluDerivativeRange(x, xo, slope, so, channels, d, dOff, 0, n);
    }

    @Override
    public void preluBackward(float[] x, int xo, float[] slope, int so, int channels, float[] dy, int dyo,
                                     float[] dx, int dxo, float[] dSlope, int dso, int n) {
        ScalarPrelu.preluBackwardRange(x, xo, slope, so, channels, dy, dyo, dx, dxo, dSlope, dso, 0, n);
    }

    @Override
    public void softmax(boolean log, float[] x, int xo, float[] y, int yo, int rows, int cols) {
        ScalarRowwise.softmax(log, x, xo, y, yo, rows, cols);
    }

    @Override
    public void softmaxBackward(boolean log, float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo,
                                int rows, int cols) {
        ScalarRowwise.softmaxBackward(log, y, yo, dy, dyo, dx, dxo, rows, cols);
    }

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
                for (int i = 0; i < n; i++) y[yo + i] = FloatMath.sigmoid(x[xo + i]);
                break;
            case TANH:
                for (int i = 0; i < n; i++) y[yo + i] = FloatMath.tanh(x[xo + i]);
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
}
