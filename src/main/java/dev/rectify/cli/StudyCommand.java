package dev.rectify.cli;

import dev.rectify.data.Dataset;
import dev.rectify.diagnostics.StudyReport;
import dev.rectify.diagnostics.StudyRun;
import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.Kernels;
import dev.rectify.nn.EpochRecord;
import dev.rectify.nn.Loss;
import dev.rectify.nn.Network;
import dev.rectify.nn.Trainer;
import dev.rectify.nn.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** {@code rectify study}: a grid of activations x initializations x learning rates x seeds, and its report. */
@Command(name = "study", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a grid of activations x initializations x learning rates x seeds and report which settings "
                + "kill ReLU units and which remedies save them: report/index.html, results.csv, results.json.",
                "Example: rectify study --activations relu,leaky-relu,elu --lrs 0.05,1 --seeds 1,2 --epochs 10"})
final class StudyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    SharedOptions.Data dataOptions;
    @CommandLine.Mixin
    SharedOptions.Layers layerOptions;
    @CommandLine.Mixin
    SharedOptions.Training training;
    @CommandLine.Mixin
    SharedOptions.Report report;

    @Option(names = "--activations", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "relu,leaky-relu,prelu,rrelu,elu,selu,gelu")
    String activations;

    @Option(names = "--inits", description = "INIT[:BIAS] list; BIAS is zero, init or a number. Default: ${DEFAULT-VALUE}.",
            defaultValue = "he-normal,xavier-normal,he-normal:-1")
    String inits;

    @Option(names = "--lrs", description = "Learning rates: a safe one and a too-high one. Default: ${DEFAULT-VALUE}.",
            defaultValue = "0.05,1.0")
    String lrs;

    @Option(names = "--seeds", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "1,2,3,4")
    String seeds;

    @Option(names = "--epochs", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "25")
    int epochs;

    @Option(names = "--clip-norm", description = "Gradient clipping by global norm (0: off). Default: ${DEFAULT-VALUE}.", defaultValue = "5")
    double clipNorm;

    @Option(names = "--threads", description = "Runs trained side by side. Default: the number of processors.")
    Integer threads;

    record Config(Specs.Act act, Specs.InitSpec init, double lr, long seed) { }

    @Override
    public Integer call() throws Exception {
        List<Config> grid = new ArrayList<>();
        Dataset all;
        int[] sizes;
        try {
            report.check();
            OptionChecks.positiveInt("--epochs", epochs);
            training.check();
            dataOptions.check();
            OptionChecks.nonNegativeFloat("--clip-norm", clipNorm);
            if (threads != null) OptionChecks.positiveInt("--threads", threads);
            List<Specs.Act> acts = new ArrayList<>();
            for (String a : Specs.list(activations)) acts.add(Specs.activation("--activations", a));
            List<Specs.InitSpec> initList = new ArrayList<>();
            for (String i : Specs.list(inits)) initList.add(Specs.initSpec("--inits", i));
            double[] rates = Specs.doubles("--lrs", lrs);
            int[] seedList = Specs.ints("--seeds", seeds, 0);
            for (double lr : rates) for (Specs.InitSpec in : initList) for (Specs.Act a : acts) for (int s : seedList) {
                grid.add(new Config(a, in, lr, s));
            }
            if (grid.isEmpty()) throw new IllegalArgumentException("the grid is empty");
            all = dataOptions.load();
            sizes = layerOptions.sizes(all.features(), all.outputs());
            try {
                Network.builder(sizes); // the size checks, before any run starts
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--layers " + layerOptions.layers + " on " + all.features() + " features and " + all.outputs()
                        + " classes: " + e.getMessage());
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Dataset.Split split = dataOptions.split(all);
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Kernels.Selection sel = Kernels.selection();
        System.out.printf(Locale.ROOT, "study: %s (%d train / %d test), network %s, %d runs of %d epochs on %d threads, %s kernels%n",
                all.name(), split.train().rows(), split.test().rows(), java.util.Arrays.toString(sizes), grid.size(), epochs, n, sel.path());

        Progress progress = new Progress(grid.size(), (long) grid.size() * epochs);
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "rectify-study");
            t.setDaemon(true);
            return t;
        });
        List<Future<StudyRun>> futures = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (Config c : grid) futures.add(pool.submit(() -> run(c, sizes, split, progress)));
            List<StudyRun> runs = new ArrayList<>();
            for (Future<StudyRun> f : futures) runs.add(f.get());
            progress.done();
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, String> setup = new LinkedHashMap<>();
            setup.put("data", all.name() + ": " + split.train().rows() + " training, " + split.test().rows() + " test samples, "
                    + all.features() + " features, " + all.outputs() + " classes");
            setup.put("network", java.util.Arrays.toString(sizes) + (layerOptions.batchNorm ? " with batch norm" : "") + ", softmax cross-entropy");
            setup.put("training", training.optimizer + ", batch " + training.batch + ", " + epochs + " epochs, clip norm " + (clipNorm == 0 ? "off" : clipNorm));
            setup.put("grid", activations + " x " + inits + " x lr " + lrs + " x seeds " + seeds + " = " + grid.size() + " runs");
            setup.put("machine", "Java " + Runtime.version() + ", " + sel.path() + " kernels (" + sel.reason() + "), "
                    + Runtime.getRuntime().availableProcessors() + " processors");
            setup.put("time", String.format(Locale.ROOT, "%.1f s on %d threads", seconds, n));
            StudyReport.write(report.out, "Rectify study: dying ReLU on " + all.name(), setup, runs);
            System.out.println();
            System.out.print(StudyReport.terminalTable(StudyReport.groups(runs)));
            System.out.println();
            for (String c : StudyReport.conclusions(runs)) System.out.println("- " + c);
            System.out.printf(Locale.ROOT, "%nreport: %s (and results.csv, results.json), %.1f s%n", report.out.resolve("index.html"), seconds);
            return 0;
        } finally {
            pool.shutdownNow();
        }
    }

    private StudyRun run(Config c, int[] sizes, Dataset.Split split, Progress progress) {
        Gemm gemm = Kernels.gemm().withParallelism(1); // the runs are the parallelism
        ActivationKernels k = Kernels.activations();
        Network net = c.act().apply(Network.builder(sizes)).init(c.init().init(), 1).bias(c.init().bias())
                .batchNorm(layerOptions.batchNorm).seed(c.seed()).kernels(gemm, k).build();
        Trainer t = Trainer.builder(net, Loss.softmaxCrossEntropy(k), Specs.optimizer("--optimizer", training.optimizer, 0.9, 0))
                .schedule(dev.rectify.nn.Schedule.constant(c.lr())).batchSize(training.batch).seed(c.seed()).clipNorm(clipNorm).build();
        Trainer.DeadCheck born = t.bornDead(split.train());
        boolean deadKind = net.hidden().get(0).units().inactiveMeansDead();
        List<EpochRecord> history = new ArrayList<>();
        String divergence = null;
        long t0 = System.nanoTime();
        try {
            t.fit(split.train(), split.test(), epochs, e -> {
                history.add(e);
                progress.epoch();
            });
        } catch (TrainingDivergedException e) {
            divergence = e.getMessage();
            progress.skip(epochs - history.size());
        }
        progress.run(c.act().name() + " " + c.init().label() + " lr=" + c.lr() + " seed=" + c.seed());
        double born0 = (double) (deadKind ? born.dead() : born.inactive()) / born.units();
        return new StudyRun(c.act().name(), c.init().label(), c.lr(), c.seed(), deadKind, born0, history,
                (System.nanoTime() - t0) / 1e9, divergence);
    }

    /** Progress on stderr: a rewritten line on a console, a line per tenth of the work otherwise. */
    static final class Progress {
        private final int runs;
        private final long epochs;
        private final AtomicInteger runsDone = new AtomicInteger();
        private final AtomicLong epochsDone = new AtomicLong();
        private final long t0 = System.nanoTime();
        private final boolean console = Terminal.interactive();
        private int lastTenth = -1;

        Progress(int runs, long epochs) {
            this.runs = runs;
            this.epochs = epochs;
        }

        void epoch() {
            epochsDone.incrementAndGet();
        }

        void skip(long n) {
            epochsDone.addAndGet(n);
        }

        synchronized void run(String name) {
            int r = runsDone.incrementAndGet();
            double f = (double) epochsDone.get() / epochs, s = (System.nanoTime() - t0) / 1e9;
            String left = f > 0 ? String.format(Locale.ROOT, "%.0f s left", s * (1 - f) / f) : "";
            String line = String.format(Locale.ROOT, "[%d/%d runs, %.0f%%] %.0f s elapsed, %s; last: %s", r, runs, 100 * f, s, left, name);
            if (console) {
                System.err.print("\r" + line + "                    ");
            } else if ((int) (10 * f) > lastTenth) {
                lastTenth = (int) (10 * f);
                System.err.println(line);
            }
        }

        void done() {
            if (console) System.err.println();
        }
    }
}
