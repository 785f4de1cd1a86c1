package dev.rectify.nn;

import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Algorithm;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.Kernels;
import dev.rectify.kernels.Reductions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/** A feed-forward stack of layers. Not thread-safe: one network per trainer per thread. */
public final class Network {
    private final List<Layer> layers;
    private final List<Hidden> hidden;
    private final ActivationKernels kernels;
    private final Reductions reductions;
    private final int threads;

    /**
     * A hidden layer as the diagnostics see it: the units (where ReLUs die) and the dense layer whose weights
     * feed them (for gradient and weight norms; null if none precedes them).
     */
    public record Hidden(int index, Dense dense, UnitLayer units) { }

    public Network(List<Layer> layers) {
        if (layers.isEmpty()) throw new IllegalArgumentException("layers must not be empty");
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).inputs() != layers.get(i - 1).outputs()) {
                throw new IllegalArgumentException("layer " + i + " (" + layers.get(i).describe() + ") takes "
                        + layers.get(i).inputs() + " inputs but layer " + (i - 1) + " gives " + layers.get(i - 1).outputs());
            }
        }
        this.layers = List.copyOf(layers);
        for (int i = 0; i < layers.size(); i++) layers.get(i).setInputGradientNeeded(i > 0);
        List<Hidden> h = new ArrayList<>();
        Dense lastDense = null;
        for (Layer l : layers) {
            if (l instanceof Dense) lastDense = (Dense) l;
            boolean units = l instanceof UnitLayer && !(l instanceof Dense && ((Dense) l).activation() == null);
            if (units) h.add(new Hidden(h.size(), lastDense, (UnitLayer) l));
        }
        this.hidden = Collections.unmodifiableList(h);
        ActivationKernels k = null;
        int t = 1;
        for (Layer l : layers) {
            if (k == null && l instanceof Dense) {
                k = ((Dense) l).kernels();
                t = ((Dense) l).gemm().parallelism();
            }
        }
        this.kernels = k != null ? k : Kernels.activations();
        this.threads = t;
        this.reductions = Reductions.of(this.kernels).withParallelism(t);
    }

    /**
     * The kernels of the first dense layer (else the JVM's selection): the trainer's reductions and the
     * diagnostics use them too, so a network on the scalar path is measured on the scalar path.
     */
    public ActivationKernels kernels() { return kernels; }

    /**
     * The reductions on the same path as {@link #kernels()}, with the first dense layer's GEMM parallelism (the
     * same bits on any): norms and activity summaries.
     */
    public Reductions reductions() { return reductions; }

    /** The first dense layer's GEMM parallelism: the threads the trainer's optimizer step may use too. */
    int threads() { return threads; }

    /**
     * A multilayer perceptron: dense layers of the given widths ({@code sizes[0]} inputs, {@code sizes[last]}
     * outputs), the activation after every hidden layer, a linear output layer; weights from {@code init} with
     * the activation's gain, hidden biases set to {@code biasValue}. See {@link #builder} for batch norm,
     * dropout, PReLU and other bias rules.
     */
    public static Network mlp(int[] sizes, Eltwise activation, Init init, double initScale, double biasValue,
                              long seed, Gemm gemm, ActivationKernels kernels) {
        return builder(sizes).activation(activation).init(init, initScale).bias(Init.Bias.constant(biasValue))
                .seed(seed).kernels(gemm, kernels).build();
    }

    /**
     * A builder for a multilayer perceptron with {@code sizes[0]} inputs and {@code sizes[last]} outputs.
     *
     * @throws IllegalArgumentException before anything is allocated, for a non-positive width, a layer with more
     *         weights than one Java array holds, or weights and gradients that would not fit in this JVM's heap
     */
    public static Builder builder(int... sizes) {
        return new Builder(sizes);
    }

    /**
     * Builds {@code dense -> [batch norm] -> activation -> [dropout]} per hidden layer and a linear dense output
     * layer. Defaults: ReLU, He normal, zero biases, no batch norm, no dropout, seed 0, the selected kernels.
     * Without batch norm a plain activation is fused into the dense layer's GEMM; PReLU and RReLU (whose
     * training mode draws slopes) get their own layer.
     */
    public static final class Builder {
        private final int[] sizes;
        private Eltwise activation = Eltwise.relu();
        private float preluSlope = Float.NaN; // NaN: not PReLU
        private Init init = Init.HE_NORMAL;
        private double initScale = 1;
        private Init.Bias bias = Init.Bias.zero();
        private boolean batchNorm;
        private double dropout;
        private long seed;
        private Gemm gemm;
        private ActivationKernels kernels;

        private Builder(int[] sizes) {
            Objects.requireNonNull(sizes, "sizes");
            if (sizes.length < 2) throw new IllegalArgumentException("sizes needs at least an input and an output width");
            for (int i = 0; i < sizes.length; i++) {
                if (sizes[i] <= 0) throw new IllegalArgumentException("sizes[" + i + "] must be > 0, was " + sizes[i]);
            }
            for (int i = 0; i + 1 < sizes.length; i++) {
                if ((long) sizes[i] * sizes[i + 1] > Dense.MAX_WEIGHTS) {
                    throw new IllegalArgumentException("sizes[" + i + "] x sizes[" + (i + 1) + "] = " + sizes[i] + " x " + sizes[i + 1]
                            + " weights, more than one Java array holds (" + Dense.MAX_WEIGHTS + ")");
                }
            }
            long parameters = 0;
            for (int i = 0; i + 1 < sizes.length; i++) parameters += (long) sizes[i] * sizes[i + 1] + sizes[i + 1];
            long bytes = 8 * parameters; // values and gradients
            if (bytes > Runtime.getRuntime().maxMemory()) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                        "sizes: %d parameters need %.1f GiB for their values and gradients, more than this JVM's maximum heap "
                                + "of %.1f GiB (-Xmx)", parameters, bytes / 1073741824.0, Runtime.getRuntime().maxMemory() / 1073741824.0));
            }
            this.sizes = sizes.clone();
        }

        /** The hidden activation (an element-wise function of the kernel library). */
        public Builder activation(Eltwise activation) {
            this.activation = Objects.requireNonNull(activation, "activation");
            this.preluSlope = Float.NaN;
            return this;
        }

        /** PReLU hidden activations with a learned slope per unit, starting at {@code initialSlope}. */
        public Builder prelu(float initialSlope) {
            if (!Float.isFinite(initialSlope)) throw new IllegalArgumentException("initialSlope must be finite, was " + initialSlope);
            this.preluSlope = initialSlope;
            this.activation = Eltwise.leakyRelu(initialSlope); // for the initializer's gain
            return this;
        }

        /**
         * The weight initializer, for the initializers that need no scale (He, Xavier, LeCun, RAI); {@link Init#NORMAL}
         * and {@link Init#UNIFORM} take scale 1 here, their spread is set with {@link #init(Init, double)}.
         */
        public Builder init(Init init) {
            return init(init, 1);
        }

        /** The weight initializer; {@code scale} is the spread of {@link Init#NORMAL} and {@link Init#UNIFORM}. */
        public Builder init(Init init, double scale) {
            this.init = Objects.requireNonNull(init, "init");
            if (!(scale >= 0) || !Float.isFinite((float) scale)) {
                throw new IllegalArgumentException("scale must be >= 0 and finite as a float, was " + scale);
            }
            this.initScale = scale;
            return this;
        }

        /** How hidden biases start (the output layer's biases are always 0, except under RAI). */
        public Builder bias(Init.Bias bias) {
            this.bias = Objects.requireNonNull(bias, "bias");
            return this;
        }

        public Builder batchNorm(boolean on) {
            this.batchNorm = on;
            return this;
        }

        /** Inverted dropout after every hidden activation with this rate (0 for none). */
        public Builder dropout(double rate) {
            if (!(rate >= 0 && (float) rate < 1)) throw new IllegalArgumentException("dropout rate must be in [0, 1) as a float, was " + rate);
            this.dropout = rate;
            return this;
        }

        /** The seed of the weights and of the dropout and RReLU noise. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder kernels(Gemm gemm, ActivationKernels kernels) {
            this.gemm = Objects.requireNonNull(gemm, "gemm");
            this.kernels = Objects.requireNonNull(kernels, "kernels");
            return this;
        }

        public Network build() {
            Gemm g = gemm != null ? gemm : Kernels.gemm();
            ActivationKernels k = kernels != null ? kernels : Kernels.activations();
            boolean prelu = !Float.isNaN(preluSlope);
            boolean separate = batchNorm || prelu || activation.algorithm() == Algorithm.RRELU;
            InitStream weights = new InitStream(seed);
            SplittableRandom noise = new SplittableRandom(~seed);
            List<Layer> layers = new ArrayList<>();
            for (int i = 0; i + 1 < sizes.length; i++) {
                int in = sizes[i], out = sizes[i + 1];
                boolean output = i + 2 == sizes.length;
                Dense d = new Dense(in, out, output || separate ? null : activation, g, k);
                Eltwise gainOf = output ? null : activation;
                Init.Bias b = output ? Init.Bias.zero() : bias;
                weights.nextLayer(init, d.weight.value, d.bias.value, in, out, Init.gain(gainOf), initScale, b);
                layers.add(d);
                if (output) break;
                if (batchNorm) layers.add(new BatchNorm(out));
                if (prelu) layers.add(new PRelu(out, preluSlope, k));
                else if (separate) layers.add(new Activation(out, activation, k, noise.nextLong()));
                if (dropout > 0) layers.add(new Dropout(out, dropout, noise.nextLong()));
            }
            return new Network(layers);
        }
    }

    public List<Layer> layers() { return layers; }
    public int inputs() { return layers.get(0).inputs(); }
    public int outputs() { return layers.get(layers.size() - 1).outputs(); }

    /** The hidden unit layers, in order: the ones whose units can die. */
    public List<Hidden> hidden() {
        return hidden;
    }

    public List<Param> params() {
        List<Param> p = new ArrayList<>();
        for (Layer l : layers) p.addAll(l.params());
        return p;
    }

    /**
     * A copy of everything the network computes with: every parameter and every layer buffer (batch norm's running
     * statistics), as Keras' {@code get_weights}. Later training does not change the copy.
     */
    public Weights weights() {
        List<float[]> arrays = new ArrayList<>();
        for (Param p : params()) arrays.add(p.value().clone());
        for (Layer l : layers) for (float[] b : l.buffers()) arrays.add(b.clone());
        return new Weights(arrays);
    }

    /**
     * Puts back weights taken from this network (or one built the same way) with {@link #weights()}.
     *
     * @throws IllegalArgumentException naming {@code weights} when their shapes are not this network's
     */
    public void setWeights(Weights weights) {
        java.util.Objects.requireNonNull(weights, "weights");
        List<float[]> targets = new ArrayList<>();
        for (Param p : params()) targets.add(p.value());
        for (Layer l : layers) targets.addAll(l.buffers());
        if (targets.size() != weights.arrays.size()) {
            throw new IllegalArgumentException("weights: " + weights.arrays.size() + " arrays for a network of " + targets.size());
        }
        for (int i = 0; i < targets.size(); i++) {
            if (targets.get(i).length != weights.arrays.get(i).length) {
                throw new IllegalArgumentException("weights: array " + i + " has " + weights.arrays.get(i).length
                        + " values, the network's has " + targets.get(i).length);
            }
        }
        for (int i = 0; i < targets.size(); i++) {
            float[] src = weights.arrays.get(i);
            System.arraycopy(src, 0, targets.get(i), 0, src.length);
        }
    }

    /** An immutable copy of a network's parameters and buffers; see {@link #weights()}. */
    public static final class Weights {
        private final List<float[]> arrays;

        private Weights(List<float[]> arrays) {
            this.arrays = List.copyOf(arrays);
        }
    }

    /** Sets the step of every layer with training noise (see {@link Layer#beginStep}). */
    public void beginStep(long step) {
        for (Layer l : layers) l.beginStep(step);
    }

    /**
     * The network's outputs for {@code rows} rows of {@code x} in inference mode (dropout off, batch norm with its
     * running statistics, RReLU with its mean slope), as a fresh {@code rows x outputs()} row-major array that
     * later calls do not touch. For classification the outputs are logits; the predicted class of a row is its
     * largest output.
     *
     * @throws IllegalArgumentException naming {@code rows} or {@code x} when x holds fewer than rows x inputs() values
     */
    public float[] predict(float[] x, int rows) {
        java.util.Objects.requireNonNull(x, "x");
        if (rows < 0) throw new IllegalArgumentException("rows must be >= 0, was " + rows);
        if ((long) rows * inputs() > x.length) {
            throw new IllegalArgumentException("x: " + rows + " rows of " + inputs() + " features need " + (long) rows * inputs()
                    + " values, x has " + x.length);
        }
        float[] result = new float[rows * outputs()];
        final int chunk = 256; // bounded buffers whatever rows is
        for (int start = 0; start < rows; start += chunk) {
            int b = Math.min(chunk, rows - start);
            float[] out = forward(x, start * inputs(), b, false);
            System.arraycopy(out, 0, result, start * outputs(), b * outputs());
        }
        return result;
    }

    /** The output for {@code batch} rows of {@code x} (the last layer's buffer). */
    public float[] forward(float[] x, int batch, boolean training) {
        return forward(x, 0, batch, training);
    }

    /** The output for the {@code batch} rows of {@code x} that start at {@code x[xOff]} (the last layer's buffer). */
    public float[] forward(float[] x, int xOff, int batch, boolean training) {
        float[] a = layers.get(0).forward(x, xOff, batch, training);
        for (int i = 1; i < layers.size(); i++) a = layers.get(i).forward(a, batch, training);
        return a;
    }

    /**
     * Backpropagates the loss gradient of the last training forward pass; fills every parameter's gradient.
     * The gradient with respect to the network's input is not computed.
     */
    public void backward(float[] dOut, int batch) {
        float[] g = dOut;
        for (int i = layers.size() - 1; i >= 0; i--) g = layers.get(i).backward(g, batch);
    }

    /** Whether some layer is batch normalization (whose training batches need at least 2 samples). */
    public boolean hasBatchNorm() {
        return layers.stream().anyMatch(l -> l instanceof BatchNorm);
    }

    public String describe() {
        StringBuilder b = new StringBuilder();
        for (Layer l : layers) b.append(b.length() == 0 ? "" : " -> ").append(l.describe());
        return b.toString();
    }

    static int[] unitsPerLayer(List<Hidden> hidden) {
        return hidden.stream().mapToInt(h -> h.units().outputs()).toArray();
    }

    @Override
    public String toString() {
        return describe() + " " + Arrays.toString(unitsPerLayer(hidden));
    }
}
