package dev.rectify.nn;

import dev.rectify.kernels.internal.CounterNoise;

import java.util.List;

/**
 * Inverted dropout: in training each element is kept with probability {@code 1 - rate} and scaled by
 * {@code 1 / (1 - rate)}, or set to +0.0; inference is the identity. The mask is a function of the layer's seed
 * and the step (see {@link Layer#beginStep}). The backward pass writes exactly +0.0 for dropped elements,
 * whatever the incoming gradient (a select, not a multiplication by 0, so -0.0, infinities and NaN do not leak).
 */
public final class Dropout extends Layer {
    private final int features;
    private final float rate, scale;
    private final long seed;
    private long step;
    private float[] u, y, dx;
    private int lastBatch = -1;

    public Dropout(int features, double rate, long seed) {
        if (features <= 0) throw new IllegalArgumentException("features must be > 0, was " + features);
        // As a float: 0.99999999 rounds to 1f and would scale by infinity.
        if (!(rate >= 0 && (float) rate < 1)) throw new IllegalArgumentException("rate must be in [0, 1) as a float, was " + rate);
        this.features = features;
        this.rate = (float) rate;
        this.scale = (float) (1 / (1 - (double) this.rate)); // from the stored float, so a reloaded layer scales alike
        this.seed = seed;
    }

    public double rate() { return rate; }
    long seed() { return seed; }
    @Override public int inputs() { return features; }
    @Override public int outputs() { return features; }
    @Override public void beginStep(long step) { this.step = step; }

    @Override
    public float[] forward(float[] in, int batch, boolean training) {
        if (!training) return in;
        lastBatch = batch;
        if (rate == 0f) return in;
        int n = batch * features;
        u = ensure(u, n);
        y = ensure(y, n);
        CounterNoise.uniform(CounterNoise.mix(seed ^ CounterNoise.mix(step)), 0f, 1f, u, 0, n);
        for (int i = 0; i < n; i++) y[i] = u[i] >= rate ? in[i] * scale : 0f;
        return y;
    }

    @Override
    public float[] backward(float[] dOut, int batch) {
        if (batch != lastBatch) throw new IllegalStateException("backward without a matching training forward pass");
        if (rate == 0f) return dOut;
        int n = batch * features;
        dx = ensure(dx, n);
        for (int i = 0; i < n; i++) dx[i] = u[i] >= rate ? dOut[i] * scale : 0f;
        return dx;
    }

    @Override public List<Param> params() { return List.of(); }
    @Override public String describe() { return "dropout(" + rate + ")"; }
}
