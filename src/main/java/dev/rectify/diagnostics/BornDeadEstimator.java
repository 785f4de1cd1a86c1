package dev.rectify.diagnostics;

import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.GemmEpilogue;
import dev.rectify.nn.Init;
import dev.rectify.nn.InitStream;
import dev.rectify.nn.UnitLayer;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

/**
 * Monte Carlo estimate of how often a deep narrow network is <em>born dead</em>, after Lu, Shin, Su and
 * Karniadakis, "Dying ReLU and Initialization: Theory and Numerical Examples" (arXiv 1903.06733).
 *
 * <p>The network: {@code inputDim} inputs, {@code depth} hidden layers of {@code width} units with the given
 * activation, then a linear output (which cannot change the verdict and is not drawn). A network is born dead
 * when some hidden layer has every pre-activation {@code <= 0} on every input of the set: a structural test, not
 * "the output looks constant". For activations that keep a gradient below zero (leaky variants, ELU, ...) the same
 * test counts networks with a whole layer in the negative regime.
 *
 * <p>Trial {@code t} at depth {@code H} draws exactly the hidden layers that
 * {@code Network.builder(sizes).activation(activation).init(init, 1).bias(bias).seed(networkSeed(seed, H, t))}
 * would draw, and evaluates them with the fused GEMM epilogue (bias, activation, ever-active mask) on reused
 * per-thread buffers: no network objects per trial, which is what makes 10,000 trials take a fraction of a second.
 * The counts depend only on the seed, never on the number of threads.
 */
public final class BornDeadEstimator {
    private final int inputDim, width, points;
    private final float[] inputs;
    private final Eltwise activation;
    private final Init init;
    private final Init.Bias bias;
    private final Gemm gemm;
    private final double gain;
    private final ThreadLocal<Scratch> scratch = new ThreadLocal<>();

    /**
     * @param inputs the input set, row-major, {@code inputDim} values per point
     * @param gemm the GEMM to use; each trial runs on one thread, trials run in parallel
     * @throws IllegalArgumentException for non-positive sizes, an input set that is empty or not a whole number
     *         of points (PReLU, whose slope is learned, is drawn as Leaky ReLU with its initial slope)
     */
    public BornDeadEstimator(int inputDim, int width, float[] inputs, Eltwise activation, Init init, Init.Bias bias,
                             Gemm gemm) {
        if (inputDim <= 0) throw new IllegalArgumentException("inputDim must be > 0, was " + inputDim);
        if (width <= 0) throw new IllegalArgumentException("width must be > 0, was " + width);
        Objects.requireNonNull(inputs, "inputs");
        if (inputs.length == 0 || inputs.length % inputDim != 0) {
            throw new IllegalArgumentException("inputs must hold a positive whole number of points of " + inputDim
                    + " values, had " + inputs.length + " values");
        }
        this.activation = Objects.requireNonNull(activation, "activation");
        this.init = Objects.requireNonNull(init, "init");
        this.bias = Objects.requireNonNull(bias, "bias");
        this.gemm = Objects.requireNonNull(gemm, "gemm").withParallelism(1);
        this.inputDim = inputDim;
        this.width = width;
        this.inputs = inputs.clone();
        this.points = inputs.length / inputDim;
        this.gain = Init.gain(activation);
        // One thread's scratch (see Scratch), checked before any trial allocates it.
        long[] arrays = {(long) inputDim * width, (long) width * width, 2L * points * width};
        long floats = width;
        for (long n : arrays) {
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("width " + width + " with " + points + " points of dimension " + inputDim
                        + " needs arrays of " + n + " floats, more than one Java array holds");
            }
            floats += n;
        }
        long threads = java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + 1L;
        if (4 * floats * threads > Runtime.getRuntime().maxMemory()) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "width %d: %d threads need %.1f GiB of buffers, more than this JVM's maximum heap of %.1f GiB", width, threads,
                    4.0 * floats * threads / 1073741824.0, Runtime.getRuntime().maxMemory() / 1073741824.0));
        }
    }

    /**
     * The outcome at one depth.
     *
     * @param firstDeadLayer per trial: the first hidden layer (1-based) with every unit inactive on every input, or 0
     *        when the network is not born dead
     * @param inactiveUnits per trial: the hidden units (of {@code depth * width}) inactive on every input
     */
    public record Estimate(int width, int depth, int trials, int bornDead, double[] meanInactiveFraction,
                           int[] firstDeadLayer, long[] inactiveUnits) {
        /** bornDead / trials. */
        public double probability() {
            return (double) bornDead / trials;
        }

        /** The 95% Wilson score interval of the probability: {low, high}. */
        public double[] wilson95() {
            return wilson(bornDead, trials, 1.959963984540054);
        }
    }

    /** True when this activation's inactive units get zero gradient (dead), false when they are only dormant. */
    public boolean inactiveMeansDead() {
        return UnitLayer.deadBelowZero(activation);
    }

    /** The seed of trial {@code trial} at depth {@code depth}: a function of the three numbers only. */
    public static long networkSeed(long seed, int depth, int trial) {
        long base = dev.rectify.kernels.internal.CounterNoise.mix(seed ^ (0x9E3779B97F4A7C15L * depth));
        return dev.rectify.kernels.internal.CounterNoise.mix(base + trial);
    }

    /** The deepest network an estimate draws. */
    public static final int MAX_DEPTH = 100_000;

    /** Draws {@code trials} networks of the given depth (1 to {@link #MAX_DEPTH}), in parallel on the common ForkJoin pool. */
    public Estimate estimate(int depth, int trials, long seed) {
        if (depth <= 0 || depth > MAX_DEPTH) throw new IllegalArgumentException("depth must be in [1, " + MAX_DEPTH + "], was " + depth);
        if (trials <= 0) throw new IllegalArgumentException("trials must be > 0, was " + trials);
        AtomicLongArray inactive = new AtomicLongArray(depth);
        int[] firstDead = new int[trials];
        long[] units = new long[trials];
        IntStream.range(0, trials).parallel().forEach(t -> {
            int[] perLayer = inactivePerLayer(depth, networkSeed(seed, depth, t));
            long total = 0;
            for (int l = 0; l < depth; l++) {
                if (perLayer[l] != 0) inactive.addAndGet(l, perLayer[l]);
                if (perLayer[l] == width && firstDead[t] == 0) firstDead[t] = l + 1;
                total += perLayer[l];
            }
            units[t] = total;
        });
        int born = 0;
        for (int f : firstDead) if (f != 0) born++;
        double[] frac = new double[depth];
        for (int l = 0; l < depth; l++) frac[l] = inactive.get(l) / ((double) trials * width);
        return new Estimate(width, depth, trials, born, frac, firstDead, units);
    }

    /**
     * Inactive units (pre-activation {@code <= 0} on every input) per hidden layer of the network drawn with
     * {@code networkSeed}: the counts {@code Trainer.bornDead} gives for the same network. The returned array
     * belongs to this thread's scratch: read it before the next call.
     */
    public int[] inactivePerLayer(int depth, long networkSeed) {
        Scratch s = scratch.get();
        if (s == null || s.depth != depth) {
            s = new Scratch(depth);
            scratch.set(s);
        }
        InitStream weights = new InitStream(networkSeed); // the draws of Network.Builder.build(), in order
        float[] in = inputs;
        for (int l = 0; l < depth; l++) {
            int fanIn = l == 0 ? inputDim : width;
            float[] w = l == 0 ? s.firstWeights : s.weights;
            weights.nextLayer(init, w, s.bias, fanIn, width, gain, 1, bias);
            Arrays.fill(s.active, false);
            float[] out = (l & 1) == 0 ? s.even : s.odd;
            gemm.sgemm(false, false, points, width, fanIn, 1f, in, 0, fanIn, w, 0, width, 0f, out, 0, width, s.epilogue);
            int count = 0;
            for (boolean a : s.active) if (!a) count++;
            s.inactive[l] = count;
            in = out;
        }
        return s.inactive;
    }

    /** One thread's buffers, reused for every trial. */
    private final class Scratch {
        final int depth;
        final float[] firstWeights = new float[inputDim * width], weights = new float[width * width];
        final float[] bias = new float[width], even = new float[points * width], odd = new float[points * width];
        final boolean[] active = new boolean[width];
        final int[] inactive;
        final GemmEpilogue epilogue;

        Scratch(int depth) {
            this.depth = depth;
            this.inactive = new int[depth];
            this.epilogue = GemmEpilogue.biasPerColumn(bias, 0).withActivation(activation).withEverActive(active, 0);
        }
    }

    /** The Wilson score interval for k successes in n trials at normal quantile z: {low, high}. */
    static double[] wilson(int k, int n, double z) {
        double p = (double) k / n, z2n = z * z / n;
        double centre = (p + z2n / 2) / (1 + z2n);
        double half = z * Math.sqrt(p * (1 - p) / n + z2n / (4.0 * n)) / (1 + z2n);
        // Rounding can put an end a hair inside p at k = 0 or k = n; the interval always holds the estimate.
        return new double[] {Math.max(0, Math.min(p, centre - half)), Math.min(1, Math.max(p, centre + half))};
    }
}
