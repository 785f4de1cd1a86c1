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

    /** The sum of squares in double; four partial sums so the loop is not bound by the adder's latency. */
    static double squaredNorm(float[] a) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= a.length; i += 4) {
            s0 += (double) a[i] * a[i];
            s1 += (double) a[i + 1] * a[i + 1];
            s2 += (double) a[i + 2] * a[i + 2];
            s3 += (double) a[i + 3] * a[i + 3];
        }
        for (; i < a.length; i++) s0 += (double) a[i] * a[i];
        return (s0 + s1) + (s2 + s3);
    }
}
