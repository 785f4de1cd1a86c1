package dev.rectify.kernels.internal;

/**
 * Not API. What one kernel path implements behind the {@link dev.rectify.kernels.Reductions} facade; arguments are
 * valid and {@code n > 0} when these are called.
 */
public interface ReductionSupport {
    /** Partial sums of {@code sumOfSquares}: element i of a block goes to partial {@code i % 32}. */
    int SQUARE_PARTIALS = 32;
    /** Elements per block of {@code sumOfSquares}: 32 fma steps per partial before it is added in double. */
    int SQUARE_BLOCK = 1024;

    /** In the order {@link dev.rectify.kernels.Reductions#sumOfSquares} states. */
    double sumOfSquares(float[] src, int srcOff, int n);

    /**
     * The {@link #SQUARE_PARTIALS} float partial sums of one block {@code [from, stop)} of {@code sumOfSquares}
     * (its length a multiple of 32, at most {@link #SQUARE_BLOCK}) into {@code partials[po ..+32)}: the same
     * floats {@code sumOfSquares} adds for that block.
     */
    void squarePartials(float[] src, int from, int stop, float[] partials, int po);

    /** As {@link dev.rectify.kernels.Reductions#allFinite} states. */
    boolean allFinite(float[] src, int srcOff, int n);

    /** As {@link dev.rectify.kernels.Reductions#sgdStep} states. */
    boolean sgdStep(float[] w, int wOff, float[] g, int gOff, float lr, float wd, int n);

    /** As {@link dev.rectify.kernels.Reductions#summarize} states; the summary already holds an empty range's figures. */
    void summarize(float[] src, int srcOff, int n, double[] summary, int summaryOff);
}
