package dev.rectify.nn;

/** A trainable tensor (flat) and its gradient, which backward passes overwrite (not accumulate). */
public final class Param {
    private final String name;
    final float[] value;
    final float[] grad;
    /** Whether weight decay applies (weights yes; biases, slopes and batch-norm shifts no, as in common practice). */
    final boolean decays;

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
    public float[] grad() { return grad; }
}
