package dev.rectify.diagnostics;

import dev.rectify.data.Dataset;
import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.Kernels;
import dev.rectify.nn.EpochRecord;
import dev.rectify.nn.Init;
import dev.rectify.nn.Loss;
import dev.rectify.nn.Network;
import dev.rectify.nn.Optimizer;
import dev.rectify.nn.PRelu;
import dev.rectify.nn.Trainer;
import dev.rectify.nn.TrainingDivergedException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleFunction;

/**
 * A dying-ReLU study: every combination of activation x initialization x learning rate x seed, trained on one
 * split with one network shape and one set of training settings, and measured before training (born dead) and
 * after every epoch. Runs train side by side on a pool of threads, each run on one thread with single-threaded
 * kernels (the runs are the parallelism), so the results depend on the settings only, never on the thread count.
 * A run that diverges keeps its history up to the failing epoch and its reason ({@link StudyRun#divergence()}).
 */
public final class StudyGrid {
    /** A hidden activation by its report name: an element-wise function, or PReLU (learned slopes). */
    public record Activation(String name, Eltwise eltwise, boolean prelu) {
        public Activation {
            Objects.requireNonNull(name, "name");
            if (!prelu) Objects.requireNonNull(eltwise, "eltwise");
        }

        /** An element-wise activation of the kernel library. */
        public static Activation of(String name, Eltwise eltwise) {
            return new Activation(name, eltwise, false);
        }

        /** PReLU, its slopes starting at {@link PRelu#DEFAULT_INITIAL_SLOPE}. */
        public static Activation ofPrelu() {
            return new Activation("prelu", null, true);
        }

        /** Sets this activation on a network builder. */
        public Network.Builder apply(Network.Builder b) {
            return prelu ? b.prelu(PRelu.DEFAULT_INITIAL_SLOPE) : b.activation(eltwise);
        }
    }

    /** An initializer with its bias rule, e.g. He normal with biases -1 (label {@code he-normal:-1.0}). */
    public record Initialization(Init init, Init.Bias bias) {
        public Initialization {
            Objects.requireNonNull(init, "init");
            Objects.requireNonNull(bias, "bias");
        }

        /** The name in reports: the initializer, and the bias rule unless it is zero (RAI sets its own biases). */
        public String label() {
            String b = bias.kind() == Init.Bias.Kind.CONSTANT && bias.value() == 0 ? "" : ":" + bias;
            return init.cliName() + (init.isRai() ? "" : b);
        }
    }

    /** One cell of the grid. */
    public record Cell(Activation activation, Initialization init, double lr, long seed) { }

    /** Told as the study advances; called from the training threads, so implementations must be thread-safe. */
    public interface Progress {
        /** {@code epochs} more epochs are done (or will not run: a run diverged). */
        void epochs(int epochs);

        /** A run has finished (or diverged). */
        void runDone(StudyRun run);
    }

    private final int[] sizes;
    private final boolean batchNorm;
    private final DoubleFunction<Optimizer> optimizer;
    private final int batch, epochs;
    private final double clipNorm;
    private final List<Cell> cells;

    /**
     * @param sizes the network's widths, inputs first, outputs last
     * @param optimizer makes a fresh optimizer for each run, at the run's learning rate
     * @param cells the grid, in the order the results are returned
     * @throws IllegalArgumentException for sizes the network builder refuses, a non-positive batch or epoch count,
     *         a clip norm that is negative or not finite as a float, or an empty grid
     */
    public StudyGrid(int[] sizes, boolean batchNorm, DoubleFunction<Optimizer> optimizer, int batch, int epochs, double clipNorm,
                     List<Cell> cells) {
        Network.builder(sizes); // its checks: widths, array limits, heap
        if (batch <= 0) throw new IllegalArgumentException("batch must be > 0, was " + batch);
        if (epochs <= 0) throw new IllegalArgumentException("epochs must be > 0, was " + epochs);
        if (!(clipNorm >= 0) || !Float.isFinite((float) clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be >= 0 and finite as a float, was " + clipNorm);
        }
        if (cells.isEmpty()) throw new IllegalArgumentException("cells: the grid is empty");
        this.sizes = sizes.clone();
        this.batchNorm = batchNorm;
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.batch = batch;
        this.epochs = epochs;
        this.clipNorm = clipNorm;
        this.cells = List.copyOf(cells);
    }

    /** Every combination, learning rate outermost, then initialization, activation and seed. */
    public static List<Cell> cells(List<Activation> activations, List<Initialization> inits, double[] lrs, long[] seeds) {
        List<Cell> out = new ArrayList<>();
        for (double lr : lrs) for (Initialization in : inits) for (Activation a : activations) for (long s : seeds) {
            out.add(new Cell(a, in, lr, s));
        }
        return out;
    }

    public List<Cell> cells() { return cells; }
    public int epochs() { return epochs; }

    /**
     * Trains every cell on {@code split} with {@code threads} runs side by side; returns the runs in cell order.
     *
     * @param progress told of finished epochs and runs (null: nobody)
     */
    public List<StudyRun> train(Dataset.Split split, int threads, Progress progress) throws InterruptedException {
        Objects.requireNonNull(split, "split");
        if (threads <= 0) throw new IllegalArgumentException("threads must be > 0, was " + threads);
        Progress p = progress != null ? progress : new Progress() {
            @Override public void epochs(int n) { }
            @Override public void runDone(StudyRun r) { }
        };
        List<java.util.concurrent.Callable<StudyRun>> tasks = new ArrayList<>();
        for (Cell c : cells) tasks.add(() -> run(c, split, p));
        return ParallelRuns.all(threads, "rectify-study", tasks);
    }

    private StudyRun run(Cell c, Dataset.Split split, Progress progress) {
        Gemm gemm = Kernels.gemm().withParallelism(1); // the runs are the parallelism
        ActivationKernels k = Kernels.activations();
        Network net = c.activation().apply(Network.builder(sizes)).init(c.init().init(), 1).bias(c.init().bias())
                .batchNorm(batchNorm).seed(c.seed()).kernels(gemm, k).build();
        Loss loss = split.train().isClassification() ? Loss.softmaxCrossEntropy(k) : Loss.meanSquaredError();
        Trainer t = Trainer.builder(net, loss, optimizer.apply(c.lr()))
                .batchSize(batch).seed(c.seed()).clipNorm(clipNorm)
                .listener(new DeadUnitMonitor()).build();
        Trainer.DeadCheck born = t.bornDead(split.train());
        boolean deadKind = net.hidden().get(0).units().inactiveMeansDead();
        List<EpochRecord> history = new ArrayList<>();
        String divergence = null;
        long t0 = System.nanoTime();
        try {
            t.fit(split.train(), split.test(), epochs, e -> {
                history.add(e);
                progress.epochs(1);
            });
        } catch (TrainingDivergedException e) {
            divergence = e.getMessage();
            progress.epochs(epochs - history.size());
        }
        double born0 = (double) (deadKind ? born.dead() : born.inactive()) / born.units();
        StudyRun r = new StudyRun(c.activation().name(), c.init().label(), c.lr(), c.seed(), deadKind, born0, history,
                (System.nanoTime() - t0) / 1e9, divergence);
        progress.runDone(r);
        return r;
    }
}
