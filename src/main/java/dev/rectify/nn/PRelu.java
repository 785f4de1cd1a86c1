package dev.rectify.nn;

import dev.rectify.kernels.ActivationKernels;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * PReLU (He et al. 2015) with a learned negative slope per unit: {@code y = x > 0 ? x : a[u] * x}. The slopes
 * start at {@code initialSlope} (0.25 in the paper and in PyTorch) and are not weight-decayed.
 */
public final class PRelu extends Layer implements UnitLayer {
    /** The paper's and PyTorch's initial slope. */
    public static final float DEFAULT_INITIAL_SLOPE = 0.25f;

    private final int units;
    private final ActivationKernels kernels;
    final Param slope;
    private final ForwardRecord last;
    private float[] y, dx;

    public PRelu(int units, float initialSlope, ActivationKernels kernels) {
        if (units <= 0) throw new IllegalArgumentException("units must be > 0, was " + units);
        if (!Float.isFinite(initialSlope)) throw new IllegalArgumentException("initialSlope must be finite, was " + initialSlope);
        this.units = units;
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.slope = new Param("slope", units, false);
        Arrays.fill(slope.value, initialSlope);
        this.last = new ForwardRecord(units);
    }

    @Override public int inputs() { return units; }
    @Override public int outputs() { return units; }

    @Override
    public float[] forward(float[] in, int batch, boolean training) {
        int n = batch * units;
        y = ensure(y, n);
        kernels.preluForward(in, 0, slope.value, 0, units, y, 0, n);
        last.forward(in, batch);
        return y;
    }

    @Override
    public float[] backward(float[] dOut, int batch) {
        float[] x = last.inputFor(batch);
        int n = batch * units;
        dx = ensure(dx, n);
        Arrays.fill(slope.grad, 0f); // the kernel accumulates
        kernels.preluBackward(x, 0, slope.value, 0, units, dOut, 0, dx, 0, slope.grad, 0, n);
        return dx;
    }

    @Override public List<Param> params() { return List.of(slope); }
    @Override public boolean inactiveMeansDead() { return false; }
    @Override public void recordActivity(boolean[] mask) { last.recordActivity(mask); }
    @Override public float[] preActivations() { return last.input(); }
    @Override public float[] activations() { return y; }
    @Override public float[] slopes() { return slope.value; }
    @Override public String describe() { return "prelu"; }
    @Override public String activationName() { return "prelu"; }
}
