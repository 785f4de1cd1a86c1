package dev.rectify.nn;

import java.util.List;

/**
 * One layer of a feed-forward network over a mini-batch stored row-major ({@code batch x inputs}). A layer owns
 * its output and input-gradient buffers and reuses them across calls, so a layer object belongs to one network
 * and one thread at a time.
 */
public abstract class Layer {
    /** Features per sample in. */
    public abstract int inputs();

    /** Features per sample out. */
    public abstract int outputs();

    /**
     * Computes the output for {@code batch} rows of {@code in}; the returned buffer is the layer's own and stays
     * valid until the next forward call. In training mode the layer keeps what its backward pass needs.
     */
    public abstract float[] forward(float[] in, int batch, boolean training);

    /**
     * {@link #forward(float[], int, boolean)} on the {@code batch} rows that start at {@code in[inOff]}: how a
     * network reads a contiguous slice of a data set without copying it. Layers that read their input through
     * an offset-taking kernel (dense: the GEMM) override this; the others get a copy of the slice, which only a
     * network whose first layer is not dense ever needs.
     */
    public float[] forward(float[] in, int inOff, int batch, boolean training) {
        if (inOff == 0) return forward(in, batch, training);
        return forward(java.util.Arrays.copyOfRange(in, inOff, inOff + batch * inputs()), batch, training);
    }

    /**
     * Given the loss gradient with respect to the last training forward's output, writes the parameters'
     * gradients and returns the gradient with respect to that forward's input (the layer's own buffer).
     */
    public abstract float[] backward(float[] dOut, int batch);

    /**
     * Whether {@link #backward} must produce the input gradient. The network turns it off for its first layer,
     * whose input gradient nobody reads; a layer may then skip that work and return null. On by default.
     */
    public void setInputGradientNeeded(boolean needed) {
        this.inputGradientNeeded = needed;
    }

    protected boolean inputGradientNeeded = true;

    /** The trainable parameters, empty for none. */
    public abstract List<Param> params();

    /**
     * Non-trainable state that a checkpoint must keep (batch norm's running statistics), empty for none. The
     * arrays are live: loading a checkpoint writes into them.
     */
    public List<float[]> buffers() {
        return List.of();
    }

    /**
     * Tells a layer with random training behaviour (dropout, RReLU) which optimisation step the next training
     * forward passes belong to; its noise is a function of its seed and the step only, so a run replays bit for
     * bit and repeated forward passes within one step (a finite-difference check) see the same noise.
     */
    public void beginStep(long step) {
    }

    /** A short description, e.g. {@code dense(64->128, relu)}. */
    public abstract String describe();

    static float[] ensure(float[] buf, int size) {
        return buf != null && buf.length >= size ? buf : new float[size];
    }
}
