package dev.rectify.cli;

import dev.rectify.data.Dataset;
import dev.rectify.diagnostics.StudyGrid;
import dev.rectify.diagnostics.StudyRun;
import dev.rectify.kernels.Kernels;
import dev.rectify.nn.Network;
import dev.rectify.report.SweepReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code rectify sweep}: the dead share of hidden units after training against the learning rate, one curve per
 * activation and initializer (and per activation with batch norm), divergence marked: the learning rate at which
 * ReLU units start to die, and how far the remedies push it.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train every activation x initializer over log-spaced learning rates and report the dead (or dormant) "
                + "share of hidden units after training against the rate, the runs that diverged, and the first rate at which "
                + "each curve passes --threshold: report/index.html, sweep.csv, results.csv.",
                "Example: rectify sweep --activations relu,leaky-relu,elu --lrs log:0.01:10:7 --seeds 1,2,3"})
final class SweepCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    SharedOptions.Run shared;

    @Option(names = "--activations", completionCandidates = Specs.ActivationNames.class,
            description = "A list of: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.", defaultValue = "relu,leaky-relu,prelu,elu")
    String activations;
    @Option(names = "--with-batch-norm", description = "Activations that get a second curve with batch norm before every hidden "
            + "activation (none: no such curve). Default: ${DEFAULT-VALUE}.", defaultValue = "relu")
    String withBatchNorm;
    @Option(names = "--inits", completionCandidates = Specs.InitNames.class,
            description = "Initializers, each optionally with its bias rule. Default: ${DEFAULT-VALUE}.", defaultValue = "he-normal")
    String inits;
    @Option(names = "--lrs", description = "Learning rates: a list, or log:LO:HI:N for N log-spaced rates. Default: ${DEFAULT-VALUE}.",
            defaultValue = "log:0.01:10:10")
    String lrs;
    @Option(names = "--seeds", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "1,2")
    String seeds;
    @Option(names = "--epochs", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "10")
    int epochs;
    @Option(names = "--clip-norm", description = "Gradient clipping by global norm (0: off). Default: ${DEFAULT-VALUE}.", defaultValue = "0")
    double clipNorm;
    @Option(names = "--threshold", description = "The dead share whose first crossing the report names. Default: ${DEFAULT-VALUE}.",
            defaultValue = "0.2")
    double threshold;
    @Option(names = "--threads", description = "Runs trained side by side. Default: the number of processors.")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        Dataset all;
        Dataset.Split split;
        List<StudyGrid> grids = new ArrayList<>();
        List<Boolean> normalized = new ArrayList<>();
        int[] sizes;
        double[] rates;
        try {
            shared.report.check(spec.name());
            OptionChecks.positiveInt("--epochs", epochs);
            shared.training.check();
            shared.data.check();
            OptionChecks.nonNegativeFloat("--clip-norm", clipNorm);
            OptionChecks.unitInterval("--threshold", threshold);
            if (threads != null) OptionChecks.positiveInt("--threads", threads);
            List<StudyGrid.Activation> acts = new ArrayList<>();
            for (String a : Specs.list(activations)) acts.add(Specs.activation("--activations", a));
            List<StudyGrid.Activation> bnActs = new ArrayList<>();
            if (!withBatchNorm.trim().equals("none")) {
                for (String a : Specs.list(withBatchNorm)) bnActs.add(Specs.activation("--with-batch-norm", a));
            }
            List<StudyGrid.Initialization> initList = new ArrayList<>();
            for (String i : Specs.list(inits)) initList.add(Specs.initSpec("--inits", i));
            rates = Specs.rates("--lrs", lrs);
            long[] seedList = java.util.Arrays.stream(Specs.ints("--seeds", seeds, 0)).asLongStream().toArray();
            if (acts.isEmpty() || initList.isEmpty()) throw new IllegalArgumentException("--activations and --inits must not be empty");
            all = shared.data.load();
            sizes = shared.layers.sizes(all.features(), all.outputs());
            try {
                Network.builder(sizes);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--layers " + shared.layers.layers + " on " + all.features() + " features and "
                        + all.outputs() + " outputs: " + e.getMessage());
            }
            split = shared.data.split(all);
            String opt = shared.training.optimizer;
            int batch = shared.training.size(split.train().rows());
            grids.add(new StudyGrid(sizes, shared.layers.batchNorm, lr -> Specs.optimizer("--optimizer", opt, lr, null, 0), batch, epochs,
                    clipNorm, StudyGrid.cells(acts, initList, rates, seedList)));
            normalized.add(shared.layers.batchNorm);
            if (!bnActs.isEmpty() && !shared.layers.batchNorm) {
                grids.add(new StudyGrid(sizes, true, lr -> Specs.optimizer("--optimizer", opt, lr, null, 0), batch, epochs, clipNorm,
                        StudyGrid.cells(bnActs, initList, rates, seedList)));
                normalized.add(true);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        int runCount = 0;
        for (StudyGrid g : grids) runCount += g.cells().size();
        System.out.printf(Locale.ROOT, "sweep: %s (%d train / %d test), network %s, lrs %s, %s of %s on %s, %s kernels%n", all.name(),
                split.train().rows(), split.test().rows(), java.util.Arrays.toString(sizes), java.util.Arrays.toString(rates),
                Terminal.count(runCount, "run"), Terminal.count(epochs, "epoch"), Terminal.count(n, "thread"), Kernels.selection().path());
        StudyCommand.Progress progress = new StudyCommand.Progress(runCount, (long) runCount * epochs);
        long t0 = System.nanoTime();
        List<StudyRun> runs = new ArrayList<>();
        for (int g = 0; g < grids.size(); g++) {
            for (StudyRun r : grids.get(g).train(split, n, progress)) {
                boolean extra = normalized.get(g) && !shared.layers.batchNorm;
                runs.add(extra ? new StudyRun(r.activation() + "+bn", r.init(), r.lr(), r.seed(), r.deadKind(), r.bornDead(), r.history(),
                        r.seconds(), r.divergence()) : r);
            }
        }
        progress.done();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, String> setup = new LinkedHashMap<>();
        setup.put("data", all.name() + ": " + split.train().rows() + " training, " + split.test().rows() + " test samples");
        setup.put("network", java.util.Arrays.toString(sizes) + (shared.layers.batchNorm ? " with batch norm" : "")
                + (all.isClassification() ? ", softmax cross-entropy" : ", linear output, mean squared error"));
        setup.put("training", shared.training.optimizer + ", batch " + shared.training.size(split.train().rows()) + ", " + epochs
                + " epochs, clip norm " + (clipNorm == 0 ? "off" : clipNorm));
        setup.put("sweep", activations + (grids.size() > 1 ? " (and " + withBatchNorm + " with batch norm)" : "") + " x " + inits
                + " x lr " + lrs + " x seeds " + seeds + " = " + Terminal.count(runCount, "run"));
        setup.put("machine", "Java " + Runtime.version() + ", " + Kernels.selection().path() + " kernels");
        setup.put("time", String.format(Locale.ROOT, "%.1f s on %s", seconds, Terminal.count(n, "thread")));
        SweepReport.write(shared.report.folder(), "Rectify sweep: dead units against the learning rate on " + all.name(), setup, runs,
                threshold);
        List<SweepReport.Point> points = SweepReport.points(runs);
        System.out.println();
        System.out.print(SweepReport.terminalTable(points));
        Map<String, Double> onset = SweepReport.onset(points, threshold), diverge = SweepReport.firstDivergence(points);
        System.out.println();
        for (Map.Entry<String, Double> e : onset.entrySet()) {
            double d = diverge.get(e.getKey());
            System.out.printf(Locale.ROOT, "%-26s more than %.0f%% inactive from lr %s; first divergence at %s%n", e.getKey(), 100 * threshold,
                    Double.isNaN(e.getValue()) ? "- (not in the sweep)" : e.getValue().toString(), Double.isNaN(d) ? "- (none)" : Double.toString(d));
        }
        System.out.printf(Locale.ROOT, "%nreport: %s (and sweep.csv, results.csv), %.1f s%n", shared.report.folder().resolve("index.html"), seconds);
        return 0;
    }
}
