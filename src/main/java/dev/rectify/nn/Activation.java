package dev.rectify.nn;

import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Algorithm;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.internal.CounterNoise;

import java.util.List;
import java.util.Objects;

/**
 * An element-wise activation as a layer of its own, for where it cannot be fused into the dense layer's GEMM:
 * after batch normalization, and for RReLU, whose training mode draws a slope per element (uniform in
 * [lower, upper), from the layer's seed and the step) while inference uses the mean slope. The backward pass
 * works from the output where the function allows it.
 */
public final class Activation extends Layer implements UnitLayer {
    private final int units;
    private final Eltwise op;
    private final ActivationKernels kernels;
    private final long seed;
    private long step;
    private final ForwardRecord last;
    private float[] y, dx, noise;
    private boolean noisy; // the last training forward drew RReLU slopes

    /** @param seed the seed of RReLU's training-mode slopes (ignored by other functions) */
    public Activation(int units, Eltwise op, ActivationKernels kernels, long seed) {
        if (units <= 0) throw new IllegalArgumentException("units must be > 0, was " + units);
        this.units = units;
        this.op = Objects.requireNonNull(op, "op");
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.seed = seed;
        this.last = new ForwardRecord(units);
    }

    public Eltwise op() { return op; }
    long seed() { return seed; }
    @Override public int inputs() { return units; }
    @Override public int outputs() { return units; }
    @Override public void beginStep(long step) { this.step = step; }

    @Override
    public float[] forward(float[] in, int batch, boolean training) {
        int n = batch * units;
        y = ensure(y, n);
        noisy = training && op.algorithm() == Algorithm.RRELU;
        if (noisy) {
            noise = ensure(noise, n);
            kernels.rreluTrainingForward(op, CounterNoise.mix(seed ^ CounterNoise.mix(step)), in, 0, noise, 0, y, 0, n);
        } else {
            kernels.forward(op, in, 0, y, 0, n);
        }
        last.forward(in, batch);
        return y;
    }

    @Override
    public float[] backward(float[] dOut, int batch) {
        float[] x = last.inputFor(batch);
        int n = batch * units;
        dx = ensure(dx, n);
        if (noisy) {
            kernels.rreluTrainingBackward(x, 0, noise, 0, dOut, 0, dx, 0, n);
        } else if (op.algorithm().hasBackwardFromOutput()) {
            kernels.backwardFromOutput(op, y, 0, dOut, 0, dx, 0, n);
        } else {
            kernels.backward(op, x, 0, dOut, 0, dx, 0, n);
        }
        return dx;
    }

    @Override public List<Param> params() { return List.of(); }
    @Override public boolean inactiveMeansDead() { return UnitLayer.deadBelowZero(op); }
    @Override public void recordActivity(boolean[] mask) { last.recordActivity(mask); }
    @Override public float[] preActivations() { return last.input(); }
    @Override public float[] activations() { return y; }
    @Override public String describe() { return op.toString(); }
    @Override public String activationName() { return op.toString(); }

}
