package dev.rectify.cli;

import dev.rectify.data.Dataset;
import dev.rectify.data.Standardizer;
import dev.rectify.kernels.Kernels;
import dev.rectify.nn.Checkpoint;
import dev.rectify.nn.EvalResult;
import dev.rectify.nn.Loss;
import dev.rectify.nn.Network;
import dev.rectify.nn.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code rectify evaluate}: loss, accuracy, per-class accuracy, confusion matrix and dead units of a saved network. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load a checkpoint and report its loss, accuracy, per-class accuracy, confusion matrix and dead units "
                + "per layer on a data set: by default every sample of --data.",
                "Example: rectify evaluate --checkpoint runs/model.ckpt --data idx:t10k-images-idx3-ubyte.gz,t10k-labels-idx1-ubyte.gz"})
final class EvaluateCommand implements Callable<Integer> {
    /** Above this many classes the confusion matrix is not printed (per-class accuracy still is). */
    static final int PRINTED_CONFUSION_CLASSES = 20;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    SharedOptions.Data dataOptions;

    @Option(names = "--checkpoint", required = true, description = "A checkpoint written by rectify train.")
    Path checkpoint;
    @Option(names = "--part", description = "all (every sample of --data), or test or train: the split rectify train made "
            + "with --test-fraction and --split-seed. Default: ${DEFAULT-VALUE}.", defaultValue = "all")
    String part;

    @Override
    public Integer call() throws Exception {
        Dataset set;
        try {
            OptionChecks.readableFile("--checkpoint", checkpoint);
            if (dataOptions.test != null) {
                throw new IllegalArgumentException("--test: evaluate scores --data; pass the file to score as --data");
            }
            if (!part.equals("all") && !part.equals("test") && !part.equals("train")) {
                throw new IllegalArgumentException("--part must be all, test or train, was '" + part + "'");
            }
            if (!part.equals("all")) dataOptions.check();
            else if (dataOptions.testFraction != null) {
                throw new IllegalArgumentException("--test-fraction: only used with --part test or train");
            }
            Dataset all = dataOptions.load();
            set = part.equals("all") ? all : part.equals("test") ? dataOptions.split(all).test() : dataOptions.split(all).train();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Checkpoint c = Checkpoint.load(checkpoint, Kernels.gemm(), Kernels.activations());
        Network net = c.network();
        String standardized = c.settings().get(TrainCommand.STANDARDIZER);
        if (standardized != null && set.features() == net.inputs()) {
            set = Standardizer.decode(standardized).apply(set); // the training set's statistics, as train applied them
        }
        if (net.inputs() != set.features() || net.outputs() != set.outputs()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--data: the checkpoint's network takes " + net.inputs() + " features and gives " + net.outputs()
                    + " outputs; the data has " + set.features() + " features and " + set.outputs() + " classes");
        }
        Loss loss = set.isClassification() ? Loss.softmaxCrossEntropy(Kernels.activations()) : Loss.meanSquaredError();
        Trainer t = Trainer.builder(net, loss, c.optimizer()).batchSize(256).build();
        EvalResult r = t.evaluate(set);
        Trainer.DeadCheck d = t.bornDead(set);
        System.out.println("network: " + net.describe());
        if (set.isClassification()) {
            System.out.printf(Locale.ROOT, "%s (%s, %d samples): loss %.4f, accuracy %.4f%n", set.name(), part, r.samples(), r.loss(), r.accuracy());
        } else {
            System.out.printf(Locale.ROOT, "%s (%s, %d samples): mse %.6g%n", set.name(), part, r.samples(), r.loss());
        }
        int[][] confusion = r.confusion(); // a copy: taken once
        if (confusion != null) {
            printPerClass(r, confusion);
        }
        for (int i = 0; i < d.unitsPerLayer().length; i++) {
            System.out.printf(Locale.ROOT, "hidden layer %d: %d of %d units %s on this data%n", i + 1, d.inactivePerLayer()[i],
                    d.unitsPerLayer()[i], d.inactiveMeansDead()[i] ? "dead" : "dormant");
        }
        if (!Double.isFinite(r.loss())) {
            throw new IllegalStateException(checkpoint + ": the network gives a non-finite loss (" + r.loss() + ") on " + set.name()
                    + ": it diverged or was saved from a diverged run");
        }
        return 0;
    }

    /** Per-class accuracy, then the confusion matrix (rows: true class, columns: predicted) when it fits a screen. */
    static void printPerClass(EvalResult r, int[][] m) {
        int[] n = r.samplesPerClass();
        double[] acc = r.perClassAccuracy();
        StringBuilder b = new StringBuilder("per-class accuracy:");
        for (int c = 0; c < n.length; c++) {
            b.append(String.format(Locale.ROOT, " %d: %s (%d)", c, n[c] == 0 ? "-" : String.format(Locale.ROOT, "%.3f", acc[c]), n[c]));
        }
        System.out.println(b);
        if (m.length > PRINTED_CONFUSION_CLASSES) {
            System.out.println("confusion matrix: " + m.length + " classes, not printed (more than " + PRINTED_CONFUSION_CLASSES + ")");
            return;
        }
        int width = 4;
        for (int[] row : m) for (int v : row) width = Math.max(width, Integer.toString(v).length() + 1);
        StringBuilder t = new StringBuilder("confusion matrix (rows: true class, columns: predicted):\n");
        t.append(String.format(Locale.ROOT, "%" + width + "s", ""));
        for (int c = 0; c < m.length; c++) t.append(String.format(Locale.ROOT, "%" + width + "d", c));
        for (int i = 0; i < m.length; i++) {
            t.append('\n').append(String.format(Locale.ROOT, "%" + width + "d", i));
            for (int j = 0; j < m.length; j++) t.append(String.format(Locale.ROOT, "%" + width + "d", m[i][j]));
        }
        System.out.println(t);
    }
}
