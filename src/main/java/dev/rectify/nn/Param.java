package dev.rectify.nn;

import dev.rectify.kernels.Reductions;

/** A trainable tensor (flat) and its gradient, which backward passes overwrite (not accumulate). */
public final class Param {
    private final String name;
    final float[] value;
    final float[] grad;
    /** Whether weight decay applies (weights yes; biases, slopes and batch-norm shifts no, as in common practice). */
    final boolean decays;
    /**
     * 0, or the element where a {@link Dense} layer split in k halves cuts W between its two threads' rows; the
     * gradient's squared norm is then summed per half, so each owner can sum its rows in the backward pass.
     */
    private int ownerSplit;
    /** The two halves' sums of squares of the current gradient, set by the backward pass that wrote it. */
    private double lowSquares, highSquares;
    private boolean squaresFresh;

    Param(String name, int size, boolean decays) {
        this.name = name;
        this.value = new float[size];
        this.grad = new float[size];
        this.decays = decays;
    }

    public String name() { return name; }
    public int size() { return value.length; }
    /** The live values (read-only for callers outside the trainer). */
    public float[] value() { return value; }
    /** The gradient of the last backward pass. */
    public float[] grad() {
        squaresFresh = false; // the caller may write it
        return grad;
    }

    void splitOwnersAt(int element) {
        if (element < 0 || element > grad.length) throw new IllegalArgumentException("split " + element + " of " + grad.length);
        ownerSplit = element;
    }

    /** 0, or the element where a split layer's threads' halves meet (see {@link #splitOwnersAt}). */
    int ownerSplit() {
        return ownerSplit;
    }

    /** A backward pass is about to overwrite the gradient without computing its squares. */
    void gradientOverwritten() {
        squaresFresh = false;
    }

    /** The owners' sums of squares of the gradient just written, below and from the split. */
    void gradientSquaresComputed(double low, double high) {
        lowSquares = low;
        highSquares = high;
        squaresFresh = true;
    }

    /**
     * The squared L2 norm of the gradient: {@link Reductions#sumOfSquares} of the whole array, or for a split
     * parameter the sum of its two halves' in double (low + high), taken from the backward pass when it computed
     * them and nothing has handed the array out since. Either way the bits depend on the shape only.
     */
    double gradientSquares(Reductions reductions) {
        if (ownerSplit == 0) return reductions.sumOfSquares(grad, 0, grad.length);
        if (squaresFresh) {
            squaresFresh = false;
            return lowSquares + highSquares;
        }
        return reductions.sumOfSquares(grad, 0, ownerSplit)
                + reductions.sumOfSquares(grad, ownerSplit, grad.length - ownerSplit);
    }
}
