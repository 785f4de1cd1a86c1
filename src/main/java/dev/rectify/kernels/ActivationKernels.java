package dev.rectify.kernels;

import dev.rectify.kernels.internal.ActivationSupport;
import dev.rectify.kernels.internal.Checks;
import dev.rectify.kernels.internal.CounterNoise;
import dev.rectify.kernels.internal.ReductionSupport;

import java.util.Objects;

/**
 * Element-wise activation kernels over {@code float[]} ranges given BLAS-style as (array, offset, length).
 * Obtain the fastest implementation for this JVM from {@link Kernels#activations()}, or a specific one from
 * {@link Kernels#scalar()} and {@link Kernels#simd(int)}. Immutable and thread-safe; every call validates its
 * arguments, then runs the path's implementation.
 *
 * <h2>Names</h2>
 * As in oneDNN: {@code src} is the input x, {@code dst} the output y = f(x), {@code diffDst} the incoming
 * gradient dL/dy and {@code diffSrc} the gradient dL/dx = dL/dy f'(x) that the backward pass writes.
 *
 * <h2>Numerical contract</h2>
 * <ul>
 * <li><b>Both paths give the same bits.</b> The scalar and SIMD implementations perform the same IEEE-754
 * operations in the same order for every element-wise function (forward, derivative, backward), so
 * their results are bit-identical for every input, NaN payloads aside. Softmax and log-softmax sum a row
 * in a width-dependent order and agree to the bound stated on {@link #softmax}. That order is fixed for a
 * given width: L lane-wise partial sums over the first {@code floor(cols/L)*L} values, added from lane 0
 * to lane L-1, then the remaining values one by one (the scalar path is the case L = 1). It never depends
 * on whether the JIT has compiled the loop, so a seeded training run repeats bit for bit.</li>
 * <li><b>Accuracy.</b> Piecewise-linear functions are exact (hardSigmoid: within 1 ULP, it multiplies by
 * the float 1/6). Others are within the ULP bounds listed in the README of the double-precision function,
 * measured and enforced by the tests.</li>
 * <li><b>NaN</b> in gives NaN out in every forward pass (relu(NaN) is NaN, as in PyTorch). In derivatives
 * and backward passes a NaN input takes the non-positive branch: the kernels test {@code x > 0}.</li>
 * <li><b>Dead means dead.</b> Where ReLU's input is {@code <= 0} (or NaN), its backward pass writes
 * exactly {@code +0.0f} whatever {@code diffDst} holds, even NaN or an infinity; the gradient is chosen
 * by selection, never by multiplying with a 0/1 mask. The same holds for every leaky variant whose slope
 * is exactly 0. ReLU'(0) = 0, leakyRelu'(0) = alpha.</li>
 * <li><b>Signed zeros.</b> relu(-0.0) = +0.0; functions that are odd near 0 (leakyRelu, elu, tanh,
 * hardTanh, ...) keep -0.0.</li>
 * <li><b>Infinities</b> give the function's limits: sigmoid(-inf) = 0, tanh(+inf) = 1, gelu(-inf) =
 * silu(-inf) = mish(-inf) = hardSwish(-inf) = -0.0, elu(-inf) = -alpha.</li>
 * <li><b>Subnormals</b> are ordinary inputs and outputs; exp-based functions round subnormal results
 * once.</li>
 * </ul>
 *
 * <h2>Arguments</h2>
 * Every method validates all its arguments before writing anything: null arrays and non-positive or
 * out-of-range offsets and lengths throw {@link NullPointerException} or {@link IndexOutOfBoundsException},
 * unsupported combinations {@link IllegalArgumentException}, each naming the argument. An output may be
 * the very same range as an input (in place); a partial overlap is rejected.
 */
public final class ActivationKernels {
    private final ActivationSupport impl;
    private final ReductionSupport reductions;

    ActivationKernels(ActivationSupport impl, ReductionSupport reductions) {
        this.impl = Objects.requireNonNull(impl, "impl");
        this.reductions = Objects.requireNonNull(reductions, "reductions");
    }

    /** A short name of the implementation, such as {@code scalar} or {@code simd-512}. */
    public String name() {
        return impl.name();
    }

    /** The same path's reductions implementation, for {@link Reductions#of}. */
    ReductionSupport reductionSupport() {
        return reductions;
    }

    /** The same path's implementation, for the GEMM write-back. */
    ActivationSupport support() {
        return impl;
    }

    /** {@code dst[i] = f(src[i])} for {@code i < n}. */
    public void forward(Eltwise op, float[] src, int srcOff, float[] dst, int dstOff, int n) {
        Objects.requireNonNull(op, "op");
        Checks.unary(src, srcOff, dst, dstOff, n);
        if (n > 0) {
            impl.forward(op, src, srcOff, dst, dstOff, n);
        }
    }

    /** {@code dst[i] = f'(src[i])} for {@code i < n}; at a kink the value of the non-positive branch. */
    public void derivative(Eltwise op, float[] src, int srcOff, float[] dst, int dstOff, int n) {
        Objects.requireNonNull(op, "op");
        Checks.unary(src, srcOff, dst, dstOff, n);
        if (n > 0) {
            impl.derivative(op, src, srcOff, dst, dstOff, n);
        }
    }

    /** {@code diffSrc[i] = diffDst[i] * f'(src[i])}; exactly +0 where a zero-slope branch is taken. */
    public void backward(Eltwise op, float[] src, int srcOff, float[] diffDst, int diffDstOff,
                               float[] diffSrc, int diffSrcOff, int n) {
        Objects.requireNonNull(op, "op");
        Checks.binary("src", src, srcOff, diffDst, diffDstOff, diffSrc, diffSrcOff, n);
        if (n > 0) {
            impl.backward(op, src, srcOff, diffDst, diffDstOff, diffSrc, diffSrcOff, n);
        }
    }

    /**
     * The backward pass computed from the forward output y = f(x) instead of x, for the algorithms with
     * {@link Algorithm#hasBackwardFromOutput()}: relu and leaky variants (y &gt; 0 selects the identity
     * branch; this needs a slope &gt;= 0), elu ({@code y > 0 ? dy : dy (y + alpha)}, alpha &gt;= 0),
     * sigmoid ({@code dy y (1 - y)}) and tanh ({@code dy (1 - y^2)}).
     *
     * @throws IllegalArgumentException naming {@code op} when the function cannot be inverted from its output
     */
    public void backwardFromOutput(Eltwise op, float[] dst, int dstOff, float[] diffDst, int diffDstOff,
                                         float[] diffSrc, int diffSrcOff, int n) {
        Objects.requireNonNull(op, "op");
        if (!op.algorithm().hasBackwardFromOutput()) {
            throw new IllegalArgumentException("op: " + op + " has no backward pass from its output; use backward");
        }
        if ((op.algorithm() == Algorithm.LEAKY_RELU || op.algorithm() == Algorithm.ELU) && op.alpha() < 0f) {
            throw new IllegalArgumentException("op: " + op + " with a negative alpha cannot be back-propagated from "
                    + "its output (the sign of y no longer tells the branch); use backward");
        }
        Checks.binary("dst", dst, dstOff, diffDst, diffDstOff, diffSrc, diffSrcOff, n);
        if (n > 0) {
            impl.backwardFromOutput(op, dst, dstOff, diffDst, diffDstOff, diffSrc, diffSrcOff, n);
        }
    }

    /**
     * PReLU forward: {@code dst[i] = src[i] > 0 ? src[i] : slope[c] * src[i]} with channel
     * {@code c = i % channels}, i.e. {@code src} holds rows of {@code channels} values.
     */
    public void preluForward(float[] src, int srcOff, float[] slope, int slopeOff, int channels,
                                   float[] dst, int dstOff, int n) {
        Checks.prelu(slope, slopeOff, channels, n);
        Checks.unary(src, srcOff, dst, dstOff, n);
        if (n > 0) {
            impl.preluForward(src, srcOff, slope, slopeOff, channels, dst, dstOff, n);
        }
    }

    /** PReLU derivative: 1 where {@code src > 0}, else the channel's slope. */
    public void preluDerivative(float[] src, int srcOff, float[] slope, int slopeOff, int channels,
                                      float[] dst, int dstOff, int n) {
        Checks.prelu(slope, slopeOff, channels, n);
        Checks.unary(src, srcOff, dst, dstOff, n);
        if (n > 0) {
            impl.preluDerivative(src, srcOff, slope, slopeOff, channels, dst, dstOff, n);
        }
    }

    /**
     * PReLU backward: writes {@code diffSrc = diffDst * f'(src)} (exactly +0 where the slope is 0 and
     * {@code src <= 0}) and <em>adds</em> each channel's slope gradient, the sum over rows of
     * {@code diffDst * src} where {@code src <= 0}, to {@code diffSlope[diffSlopeOff + c]}. Rows are
     * accumulated in order, so the slope gradient is bit-identical on both paths.
     */
    public void preluBackward(float[] src, int srcOff, float[] slope, int slopeOff, int channels,
                                    float[] diffDst, int diffDstOff, float[] diffSrc, int diffSrcOff,
                                    float[] diffSlope, int diffSlopeOff, int n) {
        Checks.prelu(slope, slopeOff, channels, n);
        Checks.binary("src", src, srcOff, diffDst, diffDstOff, diffSrc, diffSrcOff, n);
        Checks.range("diffSlope", diffSlope, diffSlopeOff, channels);
        Checks.disjoint("diffSlope", diffSlope, diffSlopeOff, channels, "src", src, srcOff, n);
        Checks.disjoint("diffSlope", diffSlope, diffSlopeOff, channels, "slope", slope, slopeOff, channels);
        Checks.disjoint("diffSlope", diffSlope, diffSlopeOff, channels, "diffDst", diffDst, diffDstOff, n);
        Checks.disjoint("diffSlope", diffSlope, diffSlopeOff, channels, "diffSrc", diffSrc, diffSrcOff, n);
        if (n > 0) {
            impl.preluBackward(src, srcOff, slope, slopeOff, channels, diffDst, diffDstOff, diffSrc, diffSrcOff,
                    diffSlope, diffSlopeOff, n);
        }
    }

    /**
     * RReLU forward in training mode: draws a slope per element, uniform in [lower, upper) of the given
     * {@code op} (an {@link Algorithm#RRELU} descriptor), into {@code noise}, and writes
     * {@code dst = src > 0 ? src : noise * src}. The draw depends only on {@code seed} and the element's
     * index in the call, so a seed gives the same slopes on both paths and for any data; keep {@code noise}
     * for {@link #rreluTrainingBackward}. Use a fresh seed per step.
     */
    public void rreluTrainingForward(Eltwise op, long seed, float[] src, int srcOff, float[] noise,
                                           int noiseOff, float[] dst, int dstOff, int n) {
        Objects.requireNonNull(op, "op");
        if (op.algorithm() != Algorithm.RRELU) {
            throw new IllegalArgumentException("op: must be an rrelu descriptor, was " + op);
        }
        Checks.unary(src, srcOff, dst, dstOff, n);
        Checks.range("noise", noise, noiseOff, n);
        Checks.disjoint("noise", noise, noiseOff, n, "src", src, srcOff, n);
        Checks.disjoint("noise", noise, noiseOff, n, "dst", dst, dstOff, n);
        if (n > 0) {
            CounterNoise.uniform(seed, op.alpha(), op.beta(), noise, noiseOff, n);
            impl.preluForward(src, srcOff, noise, noiseOff, n, dst, dstOff, n);
        }
    }

    /** RReLU training-mode backward with the slopes drawn by {@link #rreluTrainingForward}. */
    public void rreluTrainingBackward(float[] src, int srcOff, float[] noise, int noiseOff,
                                            float[] diffDst, int diffDstOff, float[] diffSrc, int diffSrcOff, int n) {
        Checks.binary("src", src, srcOff, diffDst, diffDstOff, diffSrc, diffSrcOff, n);
        Checks.range("noise", noise, noiseOff, n);
        Checks.sameOrDisjoint("diffSrc", diffSrc, diffSrcOff, "noise", noise, noiseOff, n);
        if (n > 0) {
            impl.preluBackward(src, srcOff, noise, noiseOff, n, diffDst, diffDstOff, diffSrc, diffSrcOff, null, 0, n);
        }
    }

    /**
     * Row-wise softmax over {@code rows} rows of {@code cols} contiguous values, max-subtracted so that no
     * finite input overflows. A row holding NaN or +Infinity, or only -Infinity, becomes NaN.
     * Each result is within {@code (cols + 8)} ULP of the exact value (a sound bound for the summation;
     * typical errors are a few ULP), and the two paths agree to twice that bound.
     */
    public void softmax(float[] src, int srcOff, float[] dst, int dstOff, int rows, int cols) {
        long n = Checks.matrix("rows", rows, "cols", cols);
        Checks.unary(src, srcOff, dst, dstOff, n);
        if (n > 0) {
            impl.softmax(false, src, srcOff, dst, dstOff, rows, cols);
        }
    }

    /**
     * Row-wise log-softmax, {@code x - max - log(sum(exp(x - max)))}; the absolute error of each result
     * is at most {@code (cols + 8)} ULP of the row's log-sum plus 1 ULP of the result.
     */
    public void logSoftmax(float[] src, int srcOff, float[] dst, int dstOff, int rows, int cols) {
        long n = Checks.matrix("rows", rows, "cols", cols);
        Checks.unary(src, srcOff, dst, dstOff, n);
        if (n > 0) {
            impl.softmax(true, src, srcOff, dst, dstOff, rows, cols);
        }
    }

    /** Softmax backward from its output y: {@code dx = y (dy - sum(dy y))} per row. */
    public void softmaxBackward(float[] dst, int dstOff, float[] diffDst, int diffDstOff,
                                      float[] diffSrc, int diffSrcOff, int rows, int cols) {
        long n = Checks.matrix("rows", rows, "cols", cols);
        Checks.binary("dst", dst, dstOff, diffDst, diffDstOff, diffSrc, diffSrcOff, n);
        if (n > 0) {
            impl.softmaxBackward(false, dst, dstOff, diffDst, diffDstOff, diffSrc, diffSrcOff, rows, cols);
        }
    }

    /** Log-softmax backward from its output y: {@code dx = dy - exp(y) sum(dy)} per row. */
    public void logSoftmaxBackward(float[] dst, int dstOff, float[] diffDst, int diffDstOff,
                                         float[] diffSrc, int diffSrcOff, int rows, int cols) {
        long n = Checks.matrix("rows", rows, "cols", cols);
        Checks.binary("dst", dst, dstOff, diffDst, diffDstOff, diffSrc, diffSrcOff, n);
        if (n > 0) {
            impl.softmaxBackward(true, dst, dstOff, diffDst, diffDstOff, diffSrc, diffSrcOff, rows, cols);
        }
    }
}
