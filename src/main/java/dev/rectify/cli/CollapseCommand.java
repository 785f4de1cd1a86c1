package dev.rectify.cli;

import dev.rectify.data.Dataset;
import dev.rectify.diagnostics.CollapseExperiment;
import dev.rectify.diagnostics.StudyGrid;
import dev.rectify.kernels.Kernels;
import dev.rectify.report.CollapseReport;
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
 * {@code rectify collapse}: Lu et al.'s collapse experiment. Many independently initialized narrow deep networks
 * trained full-batch on a 1-D target; how often the trained network is a constant function, per width, depth and
 * initializer, next to how often it was born dead.
 */
@Command(name = "collapse", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train many narrow deep networks full-batch on a regression target and report how often they collapse "
                + "to a constant function, per width x depth x initializer, with 95% intervals and each run's born-dead verdict "
                + "(Lu et al., arXiv 1903.06733): report/index.html, collapse.csv, runs.csv.",
                "Example: rectify collapse --data abs --widths 2 --depths 5,10 --inits he-normal,rai --runs 200"})
final class CollapseCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", description = "The regression data: abs, sin, abs2 (optionally :grid:P or :uniform:P) or "
            + "csv:PATH with a real-valued target column. Default: ${DEFAULT-VALUE}.", defaultValue = "abs")
    String data;
    @Option(names = "--widths", description = "Units per hidden layer: a list or range. Default: ${DEFAULT-VALUE}.", defaultValue = "2,3,4")
    String widths;
    @Option(names = "--depths", description = "Hidden layers: a list or range. Default: ${DEFAULT-VALUE}.", defaultValue = "2,5,10")
    String depths;
    @Option(names = "--inits", completionCandidates = Specs.InitNames.class, description = "Initializers, each optionally with "
            + "its bias rule (he-normal:init draws biases like the weights). Default: ${DEFAULT-VALUE}.", defaultValue = "he-normal,rai")
    String inits;
    @Option(names = "--activation", completionCandidates = Specs.ActivationNames.class,
            description = "Hidden activation. Default: ${DEFAULT-VALUE}.", defaultValue = "relu")
    String activation;
    @Option(names = "--runs", description = "Networks per width x depth x initializer. Default: ${DEFAULT-VALUE}.", defaultValue = "100")
    int runs;
    @Option(names = "--epochs", description = "Full-batch steps per run. Default: ${DEFAULT-VALUE}.", defaultValue = "1000")
    int epochs;
    @Option(names = "--optimizer", description = "sgd, momentum, nesterov, adam, adamw. Default: ${DEFAULT-VALUE}.", defaultValue = "adam")
    String optimizer;
    @Option(names = "--lr", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "0.005")
    double lr;
    @Option(names = "--seed", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "1")
    long seed;
    @Option(names = "--threads", description = "Runs trained side by side. Default: the number of processors.")
    Integer threads;
    @CommandLine.Mixin
    SharedOptions.Report report;

    @Override
    public Integer call() throws Exception {
        Dataset train;
        int[] ws, ds;
        List<StudyGrid.Initialization> initList = new ArrayList<>();
        StudyGrid.Activation act;
        CollapseExperiment experiment;
        try {
            report.check(spec.name());
            OptionChecks.positiveInt("--runs", runs);
            OptionChecks.positiveInt("--epochs", epochs);
            OptionChecks.positiveFloat("--lr", lr);
            if (threads != null) OptionChecks.positiveInt("--threads", threads);
            ws = Specs.ints("--widths", widths, 1);
            ds = Specs.ints("--depths", depths, 1);
            for (String i : Specs.list(inits)) initList.add(Specs.initSpec("--inits", i));
            if (initList.isEmpty()) throw new IllegalArgumentException("--inits: give at least one initializer");
            act = Specs.activation("--activation", activation);
            if (act.prelu()) throw new IllegalArgumentException("--activation: prelu is not offered here; use leaky-relu");
            Specs.optimizer("--optimizer", optimizer, lr, null, 0);
            train = Specs.data("--data", data, Specs.Task.REGRESSION);
            experiment = new CollapseExperiment(train, act.eltwise(), () -> Specs.optimizer("--optimizer", optimizer, lr, null, 0), epochs);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        int total = ws.length * ds.length * initList.size() * runs;
        System.out.printf(Locale.ROOT, "collapse: %s (%d points), widths %s, depths %s, %s, %s each, %d %s full-batch steps at lr %s; "
                        + "%s on %s%n", train.name(), train.rows(), widths, depths, inits, Terminal.count(runs, "run"), epochs, optimizer,
                lr, Terminal.count(total, "network"), Terminal.count(n, "thread"));
        System.out.printf(Locale.ROOT, "collapsed: every output's range over the training inputs at most %s of its target's range%n",
                CollapseExperiment.COLLAPSE_TOLERANCE);
        long t0 = System.nanoTime();
        Progress progress = new Progress(t0);
        List<CollapseExperiment.Run> results = experiment.run(ws, ds, initList, runs, seed, n, progress);
        progress.done();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, String> setup = new LinkedHashMap<>();
        setup.put("data", train.name() + ": " + train.rows() + " training points, " + train.features() + " input(s), "
                + train.outputs() + " output(s)");
        setup.put("networks", "widths " + widths + " x depths " + depths + ", " + act.name() + " hidden layers, linear output; inits "
                + inits + "; " + runs + " runs each, seed " + seed);
        setup.put("training", "mean squared error, full batch, " + optimizer + " lr " + lr + ", " + epochs + " steps");
        setup.put("machine", "Java " + Runtime.version() + ", " + Kernels.selection().path() + " kernels");
        setup.put("time", String.format(Locale.ROOT, "%.1f s on %s", seconds, Terminal.count(n, "thread")));
        CollapseReport.write(report.folder(), "Rectify collapse: narrow deep " + act.name() + " networks on " + train.name(), setup, results);
        System.out.println();
        System.out.print(CollapseReport.terminalTable(CollapseExperiment.cells(results)));
        System.out.printf(Locale.ROOT, "%nreport: %s (and collapse.csv, runs.csv), %.1f s%n", report.folder().resolve("index.html"), seconds);
        return 0;
    }

    /** Progress on stderr: networks done, time elapsed and left. */
    static final class Progress implements CollapseExperiment.Progress {
        private final long t0;
        private final ProgressLine line = new ProgressLine();

        Progress(long t0) {
            this.t0 = t0;
        }

        @Override
        public void runDone(CollapseExperiment.Run run, int done, int total) {
            double f = (double) done / total, s = (System.nanoTime() - t0) / 1e9;
            line.show(String.format(Locale.ROOT, "[%d/%d networks, %.0f%%] %.0f s elapsed, %.0f s left", done, total, 100 * f, s,
                    s * (1 - f) / f), f);
        }

        void done() {
            line.done();
        }
    }
}
