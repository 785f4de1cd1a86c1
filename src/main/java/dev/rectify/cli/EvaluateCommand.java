package dev.rectify.cli;

import dev.rectify.data.Dataset;
import dev.rectify.kernels.Kernels;
import dev.rectify.nn.Checkpoint;
import dev.rectify.nn.Loss;
import dev.rectify.nn.Network;
import dev.rectify.nn.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code rectify evaluate}: accuracy and dead units of a saved network on a data set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load a checkpoint and report its loss, accuracy and dead units per layer on a data set.",
                "Example: rectify evaluate --checkpoint report/model.ckpt --data digits --part test"})
final class EvaluateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    SharedOptions.Data dataOptions;

    @Option(names = "--checkpoint", required = true, description = "A checkpoint written by rectify train.")
    Path checkpoint;
    @Option(names = "--part", description = "test, train or all (the split of rectify train's defaults). Default: ${DEFAULT-VALUE}.",
            defaultValue = "test")
    String part;
    @Override
    public Integer call() throws Exception {
        Dataset set;
        try {
            OptionChecks.readableFile("--checkpoint", checkpoint);
            if (!part.equals("all")) dataOptions.check();
            Dataset all = dataOptions.load();
            switch (part) {
                case "all": set = all; break;
                case "test": set = dataOptions.split(all).test(); break;
                case "train": set = dataOptions.split(all).train(); break;
                default: throw new IllegalArgumentException("--part must be test, train or all, was '" + part + "'");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Checkpoint c = Checkpoint.load(checkpoint, Kernels.gemm(), Kernels.activations());
        Network net = c.network();
        if (net.inputs() != set.features() || net.outputs() != set.outputs()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--data: the checkpoint's network takes " + net.inputs() + " features and gives " + net.outputs()
                    + " outputs; the data has " + set.features() + " features and " + set.outputs() + " classes");
        }
        Trainer t = Trainer.builder(net, Loss.softmaxCrossEntropy(Kernels.activations()), c.optimizer()).batchSize(256).build();
        double[] r = t.evaluate(set);
        Trainer.DeadCheck d = t.bornDead(set);
        System.out.println("network: " + net.describe());
        System.out.printf(Locale.ROOT, "%s (%s, %d samples): loss %.4f, accuracy %.4f%n", set.name(), part, set.rows(), r[0], r[1]);
        for (int i = 0; i < d.unitsPerLayer().length; i++) {
            System.out.printf(Locale.ROOT, "hidden layer %d: %d of %d units %s on this data%n", i + 1, d.inactivePerLayer()[i],
                    d.unitsPerLayer()[i], d.inactiveMeansDead()[i] ? "dead" : "dormant");
        }
        if (!Double.isFinite(r[0])) {
            throw new IllegalStateException(checkpoint + ": the network gives a non-finite loss (" + r[0] + ") on " + set.name()
                    + ": it diverged or was saved from a diverged run");
        }
        return 0;
    }
}
