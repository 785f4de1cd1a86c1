package dev.rectify.nn;

import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.GemmEpilogue;
import dev.rectify.kernels.internal.GemmBlocking;
import dev.rectify.kernels.internal.GemmThreads;

import java.util.Arrays;
import java.util.List;

/**
 * A fully connected layer with an optional activation: {@code y = act(x W + b)}, W stored {@code inputs x outputs}
 * row-major. The forward pass is one GEMM with the bias, the activation and the pre-activation copy (for the
 * backward pass) fused into its epilogue; while the diagnostics record, the ever-active mask is then updated
 * from the stored pre-activations ({@link UnitLayer#markActive}: it skips units already marked, which made
 * it cheaper than the GEMM's per-vector ever-active epilogue). Backward:
 * {@code dZ = act'(z) * dy}, {@code dW = x^T dZ}, {@code db = column sums of dZ}, {@code dx = dZ W^T}.
 */
public final class Dense extends Layer implements UnitLayer {
    /** The most weights one layer can have: the largest Java array. */
    public static final int MAX_WEIGHTS = Integer.MAX_VALUE - 8;

    private final int in, out;
    private final Eltwise activation; // null: linear
    private final Gemm gemm;
    private final ActivationKernels kernels;
    final Param weight, bias;

    private float[] x;           // the input of the last training forward (the previous layer's buffer or the data)
    private int xOff;
    private float[] z, y, dz, dx;
    private boolean[] everActive;
    private GemmEpilogue epilogue; // for bias.value and epilogueZ
    private float[] epilogueZ;

    /**
     * @param activation the activation, or null for a linear layer (an output layer before the loss)
     */
    public Dense(int inputs, int outputs, Eltwise activation, Gemm gemm, ActivationKernels kernels) {
        if (inputs <= 0) throw new IllegalArgumentException("inputs must be > 0, was " + inputs);
        if (outputs <= 0) throw new IllegalArgumentException("outputs must be > 0, was " + outputs);
        if ((long) inputs * outputs > MAX_WEIGHTS) {
            throw new IllegalArgumentException("dense " + inputs + " x " + outputs + " needs " + (long) inputs * outputs
                    + " weights, more than one Java array holds (" + MAX_WEIGHTS + ")");
        }
        this.in = inputs;
        this.out = outputs;
        this.activation = activation;
        this.gemm = java.util.Objects.requireNonNull(gemm, "gemm");
        this.kernels = java.util.Objects.requireNonNull(kernels, "kernels");
        this.weight = new Param("weight", inputs * outputs, true);
        this.bias = new Param("bias", outputs, false);
    }

    @Override public int inputs() { return in; }
    @Override public int outputs() { return out; }
    /** The activation, or null for a linear layer. */
    public Eltwise activation() { return activation; }
    public Param weight() { return weight; }
    public Param bias() { return bias; }
    ActivationKernels kernels() { return kernels; }
    Gemm gemm() { return gemm; }

    /** See {@link UnitLayer#recordActivity}; needs an activation. */
    @Override
    public void recordActivity(boolean[] mask) {
        if (mask != null && activation == null) throw new IllegalStateException("a linear dense layer has no units to record");
        if (mask != null && mask.length != out) {
            throw new IllegalArgumentException("mask length " + mask.length + " != outputs " + out);
        }
        this.everActive = mask;
    }

    @Override
    public float[] preActivations() { return z; }

    @Override
    public float[] activations() { return y; }

    @Override
    public String activationName() {
        return activation == null ? "linear" : activation.toString();
    }

    @Override
    public boolean inactiveMeansDead() {
        return activation != null && UnitLayer.deadBelowZero(activation);
    }

    @Override
    public float[] forward(float[] input, int batch, boolean training) {
        return forward(input, 0, batch, training);
    }

    @Override
    public float[] forward(float[] input, int inOff, int batch, boolean training) {
        int size = batch * out;
        y = ensure(y, size);
        if (activation != null) z = ensure(z, size);
        if (epilogue == null || epilogueZ != z) { // immutable: rebuilt only when z grows
            GemmEpilogue e = GemmEpilogue.biasPerColumn(bias.value, 0);
            epilogue = activation == null ? e : e.withActivation(activation).withPreActivation(z, 0, out);
            epilogueZ = z;
        }
        GemmEpilogue e = epilogue;
        gemm.sgemm(false, false, batch, out, in, 1f, input, inOff, in, weight.value, 0, out, 0f, y, 0, out, e);
        if (activation == null) {
            z = y;
        } else if (everActive != null) {
            UnitLayer.markActive(z, batch, out, everActive);
        }
        if (training) {
            x = input;
            xOff = inOff;
        }
        return y;
    }

    @Override
    public float[] backward(float[] dOut, int batch) {
        if (x == null) throw new IllegalStateException("backward before a training forward pass");
        int size = batch * out;
        float[] g = dOut;
        if (activation != null) {
            dz = ensure(dz, size);
            kernels.backward(activation, z, 0, dOut, 0, dz, 0, size);
            g = dz;
        }
        // dW = x^T g (inputs x outputs); db = column sums of g; dx = g W^T (batch x inputs)
        if (!inputGradientNeeded) { // the first layer: dx = g W^T would be a quarter of the backward GEMM work
            paramGradients(g, batch);
            return null;
        }
        dx = ensure(dx, batch * in);
        final float[] dZ = g;
        // dW and dx only read dZ, x and W: on two threads each product whole on one thread beats each split in
        // two (fewer hand-offs, no shared output); the same operations either way, so the same bits.
        if (gemm.parallelism() > 1 && (long) in * out * batch >= GemmBlocking.PARALLEL_THRESHOLD) {
            GemmThreads.run(2, gemm.parallelism(), task -> {
                if (task == 0) inputGradient(dZ, batch);
                else paramGradients(dZ, batch);
            });
        } else {
            paramGradients(g, batch);
            inputGradient(g, batch);
        }
        return dx;
    }

    private void paramGradients(float[] g, int batch) {
        gemm.sgemm(true, false, in, out, batch, 1f, x, xOff, in, g, 0, out, 0f, weight.grad, 0, out);
        Arrays.fill(bias.grad, 0f);
        for (int r = 0; r < batch; r++) {
            int o = r * out;
            for (int j = 0; j < out; j++) bias.grad[j] += g[o + j];
        }
    }

    private void inputGradient(float[] g, int batch) {
        gemm.sgemm(false, true, batch, in, out, 1f, g, 0, out, weight.value, 0, out, 0f, dx, 0, in);
    }

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }

    @Override
    public String describe() {
        return "dense(" + in + "->" + out + (activation == null ? "" : ", " + activation) + ")";
    }
}
