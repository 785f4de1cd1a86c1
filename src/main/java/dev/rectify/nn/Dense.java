package dev.rectify.nn;

import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.GemmEpilogue;
import dev.rectify.kernels.Reductions;
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
 *
 * <p>Numerical contract of the forward pass: a layer with at least {@link #K_SPLIT_MIN_WEIGHTS} weights and
 * {@link #K_SPLIT_MIN_INPUTS} inputs computes {@code x W} as two products over the first {@code h = inputs / 2}
 * inputs and the rest, {@code lo = x[:, :h] W[:h, :]} and {@code hi = x[:, h:] W[h:, :]} (each a GEMM under its
 * own contract), then {@code z = (hi + lo) + b} in float and {@code y = act(z)}: the same roundings as a GEMM
 * with two k blocks. Smaller layers make one product, so {@code z = x W + b} as the GEMM's fused epilogue. Either
 * way the bits depend on the shapes only, not on the thread count or on training versus inference. The squared
 * norm of a split layer's weight gradient (what the trainer clips by and its listeners see) is likewise the sum
 * in double of its halves' {@code Reductions.sumOfSquares}, rows {@code [0, h)} of dW and the rest. On two
 * threads each half of a split layer stays with one thread for the whole step: the forward half product, the
 * same rows of dW and their sum of squares, the matching columns of dx, so a weight line is written and read on
 * one core only (docs/design.md, "k halves").
 */
public final class Dense extends Layer implements UnitLayer {
    /** The most weights one layer can have: the largest Java array. */
    public static final int MAX_WEIGHTS = Integer.MAX_VALUE - 8;
    /** Layers with at least this many weights (and {@link #K_SPLIT_MIN_INPUTS} inputs) split their forward product in two k halves. */
    public static final int K_SPLIT_MIN_WEIGHTS = 1 << 16;
    /** Layers with fewer inputs make one forward product whatever their size. */
    public static final int K_SPLIT_MIN_INPUTS = 128;

    private final int in, out;
    private final Eltwise activation; // null: linear
    private final Gemm gemm, single; // single: one thread, for a half that a thread runs by itself
    private final ActivationKernels kernels;
    private final int half; // rows of W in the first k half of the forward product; 0: one product
    private final Reductions squares; // one thread: an owner sums the squares of its rows of dW
    private final double[] halfSquares = new double[2];
    final Param weight, bias;

    private float[] x;           // the input of the last training forward (the previous layer's buffer or the data)
    private int xOff;
    private float[] z, y, dz, dx;
    private boolean[] everActive;
    private GemmEpilogue epilogue; // for bias.value and epilogueZ
    private float[] epilogueZ;
    private float[] low, high;   // the k halves' products of a split forward on two threads
    private float[] ones;        // the row of ones whose product with dZ is db

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
        this.single = gemm.withParallelism(1);
        this.half = splitsK(inputs, outputs) ? inputs / 2 : 0;
        this.kernels = java.util.Objects.requireNonNull(kernels, "kernels");
        this.weight = new Param("weight", inputs * outputs, true);
        this.bias = new Param("bias", outputs, false);
        if (half > 0) weight.splitOwnersAt(half * outputs);
        this.squares = Reductions.of(kernels);
    }

    /** Whether a layer of this shape computes its forward product in two k halves (see the class comment). */
    static boolean splitsK(int inputs, int outputs) {
        return inputs >= K_SPLIT_MIN_INPUTS && (long) inputs * outputs >= K_SPLIT_MIN_WEIGHTS;
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
        if (half > 0) {
            forwardInHalves(input, inOff, batch);
        } else {
            forwardOneProduct(input, inOff, batch);
        }
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

    /** Bias, activation and pre-activation copy into z, for the product that completes z = x W + b. */
    private GemmEpilogue epilogue() {
        if (epilogue == null || epilogueZ != z) { // immutable: rebuilt only when z grows
            GemmEpilogue e = GemmEpilogue.biasPerColumn(bias.value, 0);
            epilogue = activation == null ? e : e.withActivation(activation).withPreActivation(z, 0, out);
            epilogueZ = z;
        }
        return epilogue;
    }

    private void forwardOneProduct(float[] input, int inOff, int batch) {
        gemm.sgemm(false, false, batch, out, in, 1f, input, inOff, in, weight.value, 0, out, 0f, y, 0, out, epilogue());
    }

    private void forwardInHalves(float[] input, int inOff, int batch) {
        final int size = batch * out;
        if (!ownsHalves(batch) && in - half <= Gemm.KC) {
            // One after the other: lo into y, then hi onto it (beta 1, one k block: fma(1, hi, lo) = hi + lo)
            // with the epilogue adding b: the contract's roundings without a separate pass over three arrays.
            gemm.sgemm(false, false, batch, out, half, 1f, input, inOff, in, weight.value, 0, out, 0f, y, 0, out);
            gemm.sgemm(false, false, batch, out, in - half, 1f, input, inOff + half, in, weight.value, half * out, out,
                    1f, y, 0, out, epilogue());
            return;
        }
        final float[] lo = low = ensure(low, size), hi = high = ensure(high, size);
        if (ownsHalves(batch)) {
            GemmThreads.runOwned(2, 2, h -> halfProduct(single, h, input, inOff, batch, lo, hi));
        } else {
            halfProduct(gemm, 0, input, inOff, batch, lo, hi);
            halfProduct(gemm, 1, input, inOff, batch, lo, hi);
        }
        final float[] pre = activation == null ? y : z, b = bias.value;
        for (int r = 0; r < batch; r++) {
            final int o = r * out;
            for (int j = 0; j < out; j++) pre[o + j] = (hi[o + j] + lo[o + j]) + b[j];
        }
        if (activation != null) kernels.forward(activation, z, 0, y, 0, size);
    }

    /** The forward product of k half {@code h} (0: inputs [0, half), 1: the rest) into lo or hi. */
    private void halfProduct(Gemm g, int h, float[] input, int inOff, int batch, float[] lo, float[] hi) {
        if (h == 0) {
            g.sgemm(false, false, batch, out, half, 1f, input, inOff, in, weight.value, 0, out, 0f, lo, 0, out);
        } else {
            g.sgemm(false, false, batch, out, in - half, 1f, input, inOff + half, in, weight.value, half * out, out, 0f,
                    hi, 0, out);
        }
    }

    /**
     * Whether the two k halves run one per thread, each thread also taking the same half's rows of dW and columns
     * of dx: on exactly two threads and for products worth a hand-off. With more threads each half product uses
     * them all instead (the same bits).
     */
    private boolean ownsHalves(int batch) {
        return Math.min(gemm.parallelism(), GemmThreads.HELPERS + 1) == 2
                && (long) batch * in * out >= GemmBlocking.PARALLEL_THRESHOLD;
    }

    @Override
    public float[] backward(float[] dOut, int batch) {
        if (x == null) throw new IllegalStateException("backward before a training forward pass");
        weight.gradientOverwritten();
        int size = batch * out;
        float[] g = dOut;
        if (activation != null) {
            dz = ensure(dz, size);
            kernels.backward(activation, z, 0, dOut, 0, dz, 0, size);
            g = dz;
        }
        // dW = x^T g (inputs x outputs); db = column sums of g; dx = g W^T (batch x inputs)
        if (half > 0 && ownsHalves(batch)) {
            if (inputGradientNeeded) dx = ensure(dx, batch * in);
            backwardInHalves(g, batch);
            return inputGradientNeeded ? dx : null;
        }
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

    /**
     * dW and dx on two threads, each thread the half it owns: rows [0, half) of dW and columns [0, half) of dx
     * read and write the lines of W's first half (its forward product's), the other thread the rest. The same
     * products as whole (rows and columns of C split), so the same bits.
     */
    private void backwardInHalves(float[] dZ, int batch) {
        final boolean dxNeeded = inputGradientNeeded;
        final double[] sums = halfSquares;
        GemmThreads.runOwned(2, 2, h -> {
            int r0 = h == 0 ? 0 : half, rows = h == 0 ? half : in - half;
            single.sgemm(true, false, rows, out, batch, 1f, x, xOff + r0, in, dZ, 0, out, 0f, weight.grad, r0 * out, out);
            sums[h] = squares.sumOfSquares(weight.grad, r0 * out, rows * out);
            if (dxNeeded) {
                single.sgemm(false, true, batch, rows, out, 1f, dZ, 0, out, weight.value, r0 * out, out, 0f, dx, r0, in);
            }
        });
        weight.gradientSquaresComputed(sums[0], sums[1]);
        biasGradient(dZ, batch);
    }

    private void paramGradients(float[] g, int batch) {
        gemm.sgemm(true, false, in, out, batch, 1f, x, xOff, in, g, 0, out, 0f, weight.grad, 0, out);
        biasGradient(g, batch);
    }

    private void biasGradient(float[] g, int batch) {
        if (batch <= Gemm.KC) {
            // 1 x batch ones times dZ: one k block, each column an in-order chain of adds from 0, the loop's bits.
            if (ones == null || ones.length < batch) {
                ones = new float[batch];
                Arrays.fill(ones, 1f);
            }
            single.sgemm(false, false, 1, out, batch, 1f, ones, 0, batch, g, 0, out, 0f, bias.grad, 0, out);
            return;
        }
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
