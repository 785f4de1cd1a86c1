package dev.rectify.diagnostics;

import dev.rectify.data.Dataset;
import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.Kernels;
import dev.rectify.kernels.internal.CounterNoise;
import dev.rectify.nn.EpochRecord;
import dev.rectify.nn.Loss;
import dev.rectify.nn.Network;
import dev.rectify.nn.Optimizer;
import dev.rectify.nn.Trainer;
import dev.rectify.nn.TrainingDivergedException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The collapse experiment of Lu, Shin, Su and Karniadakis ("Dying ReLU and Initialization", arXiv 1903.06733):
 * many independently initialized narrow deep networks trained on a regression target, counting the runs whose
 * trained network is a constant function over the training inputs.
 *
 * <p>A run <em>collapsed</em> when, after training, every output's range (max minus min over the training inputs)
 * is at most {@link #COLLAPSE_TOLERANCE} times the range of that output's target: the network answers (nearly) the
 * same value everywhere, typically the targets' mean. A network that is born dead (a hidden layer with every
 * pre-activation {@code <= 0} on every input) always collapses, since no gradient reaches the layers below the
 * dead one and the output is constant; each run records both verdicts so the link shows.
 *
 * <p>Every run trains full-batch (one step per epoch) on one thread with single-threaded kernels; runs go in
 * parallel. Run {@code r} of (width, depth) uses the network seed {@link #runSeed}: the same for every
 * initializer, so initializers are compared on paired seeds, and the results depend only on the seed, never on
 * the number of threads.
 */
public final class CollapseExperiment {
    /** The share of the target's range below which an output counts as constant. */
    public static final double COLLAPSE_TOLERANCE = 1e-2;

    /** One trained network. {@code divergence} is null unless training diverged (then it did not collapse). */
    public record Run(int width, int depth, String init, int run, long seed, boolean bornDead, boolean collapsed,
                      double finalLoss, double outputRange, String divergence) { }

    /** The runs of one (width, depth, initializer). */
    public record Cell(int width, int depth, String init, int runs, int bornDead, int collapsed, int bornDeadCollapsed,
                       int diverged) {
        public double collapsedFraction() {
            return (double) collapsed / runs;
        }

        /** The 95% Wilson score interval of the collapsed fraction: {low, high}. */
        public double[] wilson95() {
            return BornDeadEstimator.wilson(collapsed, runs, 1.959963984540054);
        }
    }

    /** Told after every run, from the training threads. */
    public interface Progress {
        void runDone(Run run, int done, int total);
    }

    private final Dataset train;
    private final Eltwise activation;
    private final Supplier<Optimizer> optimizer;
    private final int epochs;
    private final double[] targetRange;

    /**
     * @param train the regression data, trained on full-batch
     * @param activation the hidden layers' activation
     * @param optimizer a fresh optimizer per run (Adam in the paper)
     * @throws IllegalArgumentException for classification data or a non-positive epoch count
     */
    public CollapseExperiment(Dataset train, Eltwise activation, Supplier<Optimizer> optimizer, int epochs) {
        this.train = Objects.requireNonNull(train, "train");
        if (train.isClassification()) throw new IllegalArgumentException("train must be regression data, " + train.name() + " has class labels");
        this.activation = Objects.requireNonNull(activation, "activation");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        if (epochs <= 0) throw new IllegalArgumentException("epochs must be > 0, was " + epochs);
        this.epochs = epochs;
        this.targetRange = ranges(train.targets(), train.rows(), train.outputs());
    }

    /** The network seed of run {@code run} at (width, depth): a function of the four numbers only. */
    public static long runSeed(long seed, int width, int depth, int run) {
        long base = CounterNoise.mix(CounterNoise.mix(seed ^ (0x9E3779B97F4A7C15L * width)) + depth);
        return CounterNoise.mix(base + run);
    }

    /**
     * Trains {@code runs} networks for every width x depth x initializer, on {@code threads} threads; the runs come
     * back in that order (width, then depth, then initializer, then run).
     */
    public List<Run> run(int[] widths, int[] depths, List<StudyGrid.Initialization> inits, int runs, long seed, int threads,
                         Progress progress) throws InterruptedException {
        if (runs <= 0) throw new IllegalArgumentException("runs must be > 0, was " + runs);
        if (threads <= 0) throw new IllegalArgumentException("threads must be > 0, was " + threads);
        for (int w : widths) if (w <= 0) throw new IllegalArgumentException("widths must be > 0, was " + w);
        for (int d : depths) if (d <= 0) throw new IllegalArgumentException("depths must be > 0, was " + d);
        if (inits.isEmpty()) throw new IllegalArgumentException("inits must not be empty");
        int total = widths.length * depths.length * inits.size() * runs;
        AtomicInteger done = new AtomicInteger();
        List<java.util.concurrent.Callable<Run>> tasks = new ArrayList<>(total);
        for (int w : widths) {
            for (int d : depths) {
                for (StudyGrid.Initialization in : inits) {
                    for (int r = 0; r < runs; r++) {
                        final int run = r;
                        tasks.add(() -> {
                            Run result = one(w, d, in, run, runSeed(seed, w, d, run));
                            if (progress != null) progress.runDone(result, done.incrementAndGet(), total);
                            return result;
                        });
                    }
                }
            }
        }
        return ParallelRuns.all(threads, "rectify-collapse", tasks);
    }

    /** One network: drawn, judged at initialization, trained full-batch, judged again. */
    Run one(int width, int depth, StudyGrid.Initialization in, int run, long seed) {
        int[] sizes = new int[depth + 2];
        java.util.Arrays.fill(sizes, width);
        sizes[0] = train.features();
        sizes[depth + 1] = train.outputs();
        Gemm gemm = Kernels.gemm().withParallelism(1);
        ActivationKernels k = Kernels.activations();
        Network net = Network.builder(sizes).activation(activation).init(in.init(), 1).bias(in.bias()).seed(seed).kernels(gemm, k).build();
        Trainer t = Trainer.builder(net, Loss.meanSquaredError(), optimizer.get()).batchSize(train.rows()).seed(seed).build();
        boolean bornDead = t.bornDead(train).collapsed();
        String divergence = null;
        double loss = Double.NaN;
        try {
            List<EpochRecord> h = t.fit(train, null, epochs, null);
            loss = h.get(h.size() - 1).trainLoss();
        } catch (TrainingDivergedException e) {
            divergence = e.getMessage();
        }
        double range = Double.NaN;
        boolean collapsed = false;
        if (divergence == null) {
            double[] out = ranges(net.predict(train.x(), train.rows()), train.rows(), train.outputs());
            collapsed = true;
            range = 0;
            for (int o = 0; o < out.length; o++) {
                double relative = targetRange[o] > 0 ? out[o] / targetRange[o] : out[o];
                range = Math.max(range, relative);
                if (!(relative <= COLLAPSE_TOLERANCE)) collapsed = false;
            }
        }
        return new Run(width, depth, in.label(), run, seed, bornDead, collapsed, loss, range, divergence);
    }

    /** Per output column of a row-major {@code rows x cols} array: max minus min. */
    static double[] ranges(float[] a, int rows, int cols) {
        double[] lo = new double[cols], hi = new double[cols];
        java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = a[r * cols + c];
                lo[c] = Math.min(lo[c], v);
                hi[c] = Math.max(hi[c], v);
            }
        }
        double[] out = new double[cols];
        for (int c = 0; c < cols; c++) out[c] = hi[c] - lo[c];
        return out;
    }

    /** The runs grouped by (width, depth, initializer), in first-seen order. */
    public static List<Cell> cells(List<Run> runs) {
        java.util.Map<String, int[]> counts = new java.util.LinkedHashMap<>();
        java.util.Map<String, Run> first = new java.util.LinkedHashMap<>();
        for (Run r : runs) {
            String key = r.width() + "/" + r.depth() + "/" + r.init();
            first.putIfAbsent(key, r);
            int[] c = counts.computeIfAbsent(key, x -> new int[5]);
            c[0]++;
            if (r.bornDead()) c[1]++;
            if (r.collapsed()) c[2]++;
            if (r.bornDead() && r.collapsed()) c[3]++;
            if (r.divergence() != null) c[4]++;
        }
        List<Cell> out = new ArrayList<>();
        for (java.util.Map.Entry<String, int[]> e : counts.entrySet()) {
            Run f = first.get(e.getKey());
            int[] c = e.getValue();
            out.add(new Cell(f.width(), f.depth(), f.init(), c[0], c[1], c[2], c[3], c[4]));
        }
        return out;
    }
}
