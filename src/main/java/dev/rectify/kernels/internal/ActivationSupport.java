package dev.rectify.kernels.internal;

import dev.rectify.kernels.Eltwise;

/**
 * Not API. What one kernel path implements behind the {@link dev.rectify.kernels.ActivationKernels} facade, in
 * Lucene's manner: the facade validates every argument once, then calls one of these with valid arguments and
 * {@code n > 0} (or {@code rows, cols > 0}). Implementations must give the bits the facade's contract states.
 */
public interface ActivationSupport {
    /** {@code scalar} or {@code simd-BITS}. */
    String name();

    void forward(Eltwise op, float[] src, int srcOff, float[] dst, int dstOff, int n);

    void derivative(Eltwise op, float[] src, int srcOff, float[] dst, int dstOff, int n);

    void backward(Eltwise op, float[] src, int srcOff, float[] diffDst, int diffDstOff,
                  float[] diffSrc, int diffSrcOff, int n);

    void backwardFromOutput(Eltwise op, float[] dst, int dstOff, float[] diffDst, int diffDstOff,
                            float[] diffSrc, int diffSrcOff, int n);

    void preluForward(float[] src, int srcOff, float[] slope, int slopeOff, int channels,
                      float[] dst, int dstOff, int n);

    void preluDerivative(float[] src, int srcOff, float[] slope, int slopeOff, int channels,
                         float[] dst, int dstOff, int n);

    /** {@code diffSlope} may be null: then only {@code diffSrc} is written. */
    void preluBackward(float[] src, int srcOff, float[] slope, int slopeOff, int channels,
                       float[] diffDst, int diffDstOff, float[] diffSrc, int diffSrcOff,
                       float[] diffSlope, int diffSlopeOff, int n);

    void softmax(boolean log, float[] src, int srcOff, float[] dst, int dstOff, int rows, int cols);

    void softmaxBackward(boolean log, float[] dst, int dstOff, float[] diffDst, int diffDstOff,
                         float[] diffSrc, int diffSrcOff, int rows, int cols);
}
