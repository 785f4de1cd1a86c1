package dev.rectify.cli;

import dev.rectify.data.Dataset;
import dev.rectify.diagnostics.StudyGrid;
import dev.rectify.diagnostics.StudyRun;
import dev.rectify.kernels.Kernels;
import dev.rectify.nn.Network;
import dev.rectify.report.StudyReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
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
    SharedOptions.Run shared;

    @Option(names = "--activations", completionCandidates = Specs.ActivationNames.class,
            description = "A list of: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.", defaultValue = "relu,leaky-relu,prelu,rrelu,elu,selu,gelu")
    String activations;

    @Option(names = "--inits", completionCandidates = Specs.InitNames.class,
            description = "INIT[:BIAS] list, INIT one of ${COMPLETION-CANDIDATES}; BIAS is zero, init or a number. Default: ${DEFAULT-VALUE}.",
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

    @Override
    public Integer call() throws Exception {
        StudyGrid grid;
        Dataset all;
        Dataset.Split split;
        int[] sizes;
        try {
            shared.report.check("study");
            OptionChecks.positiveInt("--epochs", epochs);
            shared.training.check();
            shared.data.check();
            OptionChecks.nonNegativeFloat("--clip-norm", clipNorm);
            if (threads != null) OptionChecks.positiveInt("--threads", threads);
            List<StudyGrid.Activation> acts = new ArrayList<>();
            for (String a : Specs.list(activations)) acts.add(Specs.activation("--activations", a));
            List<StudyGrid.Initialization> initList = new ArrayList<>();
            for (String i : Specs.list(inits)) initList.add(Specs.initSpec("--inits", i));
            double[] rates = Specs.doubles("--lrs", lrs);
            long[] seedList = java.util.Arrays.stream(Specs.ints("--seeds", seeds, 0)).asLongStream().toArray();
            List<StudyGrid.Cell> cells = StudyGrid.cells(acts, initList, rates, seedList);
            if (cells.isEmpty()) throw new IllegalArgumentException("the grid is empty");
            all = shared.data.load();
            sizes = shared.layers.sizes(all.features(), all.outputs());
            try {
                Network.builder(sizes); // the size checks, before any run starts
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--layers " + shared.layers.layers + " on " + all.features() + " features and " + all.outputs()
                        + " classes: " + e.getMessage());
            }
            split = shared.data.split(all);
            String opt = shared.training.optimizer;
            grid = new StudyGrid(sizes, shared.layers.batchNorm, lr -> Specs.optimizer("--optimizer", opt, lr, null, 0),
                    shared.training.size(split.train().rows()),
                    epochs, clipNorm, cells);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        int runCount = grid.cells().size();
        Kernels.Selection sel = Kernels.selection();
        System.out.printf(Locale.ROOT, "study: %s (%d train / %d test), network %s, %s of %s on %s, %s kernels%n",
                all.name(), split.train().rows(), split.test().rows(), java.util.Arrays.toString(sizes),
                Terminal.count(runCount, "run"), Terminal.count(epochs, "epoch"), Terminal.count(n, "thread"), sel.path());

        Progress progress = new Progress(runCount, (long) runCount * epochs);
        long t0 = System.nanoTime();
        List<StudyRun> runs = grid.train(split, n, progress);
        progress.done();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, String> setup = new LinkedHashMap<>();
        setup.put("data", all.name() + ": " + split.train().rows() + " training, " + split.test().rows() + " test samples, "
                + all.features() + " features, " + all.outputs() + " classes");
        setup.put("network", java.util.Arrays.toString(sizes) + (shared.layers.batchNorm ? " with batch norm" : "")
                + (all.isClassification() ? ", softmax cross-entropy" : ", linear output, mean squared error"));
        setup.put("training", shared.training.optimizer + ", batch " + shared.training.size(split.train().rows()) + ", " + epochs + " epochs, clip norm " + (clipNorm == 0 ? "off" : clipNorm));
        setup.put("grid", activations + " x " + inits + " x lr " + lrs + " x seeds " + seeds + " = " + Terminal.count(runCount, "run"));
        setup.put("machine", "Java " + Runtime.version() + ", " + sel.path() + " kernels (" + sel.reason() + "), "
                + Terminal.count(Runtime.getRuntime().availableProcessors(), "processor"));
        setup.put("time", String.format(Locale.ROOT, "%.1f s on %s", seconds, Terminal.count(n, "thread")));
        Map<String, String> common = new LinkedHashMap<>();
        common.put("layers", shared.layers.layers.replace(" ", "").replace(',', '-'));
        common.put("batch_norm", Boolean.toString(shared.layers.batchNorm));
        common.put("optimizer", shared.training.optimizer);
        common.put("batch", Integer.toString(shared.training.size(split.train().rows())));
        common.put("epochs", Integer.toString(epochs));
        common.put("clip_norm", Double.toString(clipNorm));
        StudyReport.write(shared.report.folder(), "Rectify study: dying ReLU on " + all.name(), setup, runs, null, common);
        System.out.println();
        System.out.print(StudyReport.terminalTable(StudyReport.groups(runs)));
        System.out.println();
        for (String c : StudyReport.conclusions(runs)) System.out.println("- " + c);
        System.out.printf(Locale.ROOT, "%nreport: %s (and results.csv, results.json), %.1f s%n", shared.report.folder().resolve("index.html"), seconds);
        return 0;
    }

    /** Progress on stderr: a rewritten line on a console, a line per tenth of the work otherwise. */
    static final class Progress implements StudyGrid.Progress {
        private final int runs;
        private final long epochs;
        private final AtomicInteger runsDone = new AtomicInteger();
        private final AtomicLong epochsDone = new AtomicLong();
        private final long t0 = System.nanoTime();
        private final ProgressLine line = new ProgressLine();

        Progress(int runs, long epochs) {
            this.runs = runs;
            this.epochs = epochs;
        }

        @Override
        public void epochs(int n) {
            epochsDone.addAndGet(n);
        }

        @Override
        public synchronized void runDone(StudyRun run) {
            String name = run.name();
            int r = runsDone.incrementAndGet();
            double f = (double) epochsDone.get() / epochs, s = (System.nanoTime() - t0) / 1e9;
            String left = f > 0 ? String.format(Locale.ROOT, "%.0f s left", s * (1 - f) / f) : "";
            line.show(String.format(Locale.ROOT, "[%d/%d runs, %.0f%%] %.0f s elapsed, %s; last: %s", r, runs, 100 * f, s, left, name), f);
        }

        void done() {
            line.done();
        }
    }
}
