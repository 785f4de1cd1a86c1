package dev.rectify.cli;

import dev.rectify.data.Dataset;
import dev.rectify.diagnostics.StudyReport;
import dev.rectify.diagnostics.StudyRun;
import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.Kernels;
import dev.rectify.nn.Checkpoint;
import dev.rectify.nn.EpochRecord;
import dev.rectify.nn.LayerEpoch;
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

/** {@code rectify train}: one configuration with every trainer option; a checkpoint and a one-run report. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train one configuration, print the per-epoch figures, save a checkpoint and a report.",
                "Example: rectify train --activation leaky-relu --lr 0.5 --epochs 20 --batch-norm --out run1"})
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", description = "digits, spirals, mnist-shaped, csv:PATH, csv-first:PATH or idx:IMAGES,LABELS. "
            + "Default: ${DEFAULT-VALUE}.", defaultValue = "digits")
    String data;
    @Option(names = "--test-fraction", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "0.25")
    double testFraction;
    @Option(names = "--split-seed", description = "Seed of the train/test split. Default: ${DEFAULT-VALUE}.", defaultValue = "1")
    long splitSeed;
    @Option(names = "--layers", description = "Hidden layer widths. Default: ${DEFAULT-VALUE}.", defaultValue = "128,128")
    String layers;
    @Option(names = "--activation", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "relu")
    String activation;
    @Option(names = "--init", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "he-normal")
    String init;
    @Option(names = "--init-scale", description = "Spread of the normal and uniform initializers. Default: ${DEFAULT-VALUE}.", defaultValue = "1")
    double initScale;
    @Option(names = "--bias", description = "zero, init or a number. Default: ${DEFAULT-VALUE}.", defaultValue = "zero")
    String bias;
    @Option(names = "--batch-norm", description = "Batch norm before every hidden activation.")
    boolean batchNorm;
    @Option(names = "--dropout", description = "Dropout rate after every hidden activation. Default: ${DEFAULT-VALUE}.", defaultValue = "0")
    double dropout;
    @Option(names = "--optimizer", description = "sgd, momentum, nesterov, adam, adamw. Default: ${DEFAULT-VALUE}.", defaultValue = "sgd")
    String optimizer;
    @Option(names = "--lr", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "0.05")
    double lr;
    @Option(names = "--momentum", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "0.9")
    double momentum;
    @Option(names = "--weight-decay", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "0")
    double weightDecay;
    @Option(names = "--schedule", description = "constant, cosine or step:EVERY:GAMMA. Default: ${DEFAULT-VALUE}.", defaultValue = "constant")
    String schedule;
    @Option(names = "--warmup", description = "Warm-up epochs. Default: ${DEFAULT-VALUE}.", defaultValue = "0")
    int warmup;
    @Option(names = "--epochs", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "10")
    int epochs;
    @Option(names = "--batch", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "32")
    int batch;
    @Option(names = "--seed", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "1")
    long seed;
    @Option(names = "--clip-norm", description = "Default: ${DEFAULT-VALUE} (off).", defaultValue = "0")
    double clipNorm;
    @Option(names = "--clip-value", description = "Default: ${DEFAULT-VALUE} (off).", defaultValue = "0")
    double clipValue;
    @Option(names = "--out", description = "Report folder. Default: ${DEFAULT-VALUE}.", defaultValue = "report")
    Path out;
    @Option(names = "--checkpoint", description = "Checkpoint file. Default: OUT/model.ckpt.")
    Path checkpoint;

    @Override
    public Integer call() throws Exception {
        Network net;
        Trainer trainer;
        Dataset.Split split;
        Specs.Act act;
        Specs.InitSpec in;
        try {
            if (epochs <= 0) throw new IllegalArgumentException("--epochs must be > 0, was " + epochs);
            if (!(testFraction > 0 && testFraction < 1)) throw new IllegalArgumentException("--test-fraction must be in (0, 1), was " + testFraction);
            int[] hidden = Specs.ints("--layers", layers, 1);
            act = Specs.activation("--activation", activation);
            in = new Specs.InitSpec(Specs.init("--init", init), Specs.bias("--bias", bias));
            Dataset all = Specs.data("--data", data);
            split = all.split(testFraction, splitSeed);
            int[] sizes = new int[hidden.length + 2];
            sizes[0] = all.features();
            System.arraycopy(hidden, 0, sizes, 1, hidden.length);
            sizes[sizes.length - 1] = all.outputs();
            Gemm gemm = Kernels.gemm();
            ActivationKernels k = Kernels.activations();
            net = act.apply(Network.builder(sizes)).init(in.init(), initScale).bias(in.bias()).batchNorm(batchNorm)
                    .dropout(dropout).seed(seed).kernels(gemm, k).build();
            trainer = Trainer.builder(net, Loss.softmaxCrossEntropy(k), Specs.optimizer("--optimizer", optimizer, momentum, weightDecay))
                    .schedule(Specs.schedule("--schedule", schedule, lr, warmup)).batchSize(batch).seed(seed)
                    .clipNorm(clipNorm).clipValue(clipValue).onBatch(batchProgress()).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        System.out.println("train: " + net.describe());
        Trainer.DeadCheck born = trainer.bornDead(split.train());
        boolean deadKind = net.hidden().get(0).units().inactiveMeansDead();
        System.out.printf(Locale.ROOT, "at initialization: %d of %d hidden units %s%s%n", deadKind ? born.dead() : born.inactive(),
                born.units(), deadKind ? "dead" : "dormant", born.collapsed() ? " — the network is born dead (a whole layer)" : "");
        List<EpochRecord> history = new ArrayList<>();
        String divergence = null;
        long t0 = System.nanoTime();
        try {
            trainer.fit(split.train(), split.test(), epochs, e -> {
                history.add(e);
                StringBuilder per = new StringBuilder();
                for (LayerEpoch l : e.layers()) per.append(String.format(Locale.ROOT, " %d/%d", l.dead() + l.dormant(), l.units()));
                if (Terminal.interactive()) System.err.print("\r" + " ".repeat(60) + "\r");
                double elapsed = (System.nanoTime() - t0) / 1e9, left = elapsed / (e.epoch() + 1) * (epochs - e.epoch() - 1);
                System.out.printf(Locale.ROOT, "epoch %3d/%d  lr %.4g  loss %.4f  train %.3f  test %.3f  %s per layer:%s  %.2f s, %.0f s left%n",
                        e.epoch() + 1, epochs, e.lr(), e.trainLoss(), e.trainAccuracy(), e.testAccuracy(), deadKind ? "dead" : "dormant",
                        per, e.seconds(), left);
            });
        } catch (TrainingDivergedException e) {
            divergence = e.getMessage();
            System.out.println("diverged: " + divergence);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Path ckpt = checkpoint != null ? checkpoint : out.resolve("model.ckpt");
        if (divergence == null) {
            Checkpoint.of(trainer).save(ckpt);
            System.out.println("checkpoint: " + ckpt);
        }
        StudyRun run = new StudyRun(act.name(), in.label(), lr, seed, deadKind,
                (double) (deadKind ? born.dead() : born.inactive()) / born.units(), history, seconds, divergence);
        Map<String, String> setup = new LinkedHashMap<>();
        setup.put("data", split.train().name() + ": " + split.train().rows() + " training, " + split.test().rows() + " test samples");
        setup.put("network", net.describe());
        setup.put("training", optimizer + ", lr " + lr + " (" + schedule + (warmup > 0 ? ", warm-up " + warmup : "") + "), batch " + batch
                + ", " + epochs + " epochs, clip norm " + clipNorm + ", clip value " + clipValue + ", seed " + seed);
        setup.put("machine", "Java " + Runtime.version() + ", " + Kernels.selection().path() + " kernels");
        StudyReport.write(out, "Rectify training run: " + act.name() + " on " + split.train().name(), setup, List.of(run));
        System.out.println("report: " + out.resolve("index.html"));
        return divergence == null ? 0 : 1;
    }

    /** On a terminal, a rewritten "epoch e, batch b/B" line on stderr, at most five times a second; else nothing. */
    private Trainer.BatchListener batchProgress() {
        if (!Terminal.interactive()) return null;
        long[] last = {0};
        return (epoch, batch, batches) -> {
            long now = System.nanoTime();
            if (now - last[0] < 200_000_000L && batch + 1 < batches) return;
            last[0] = now;
            System.err.printf(Locale.ROOT, "\r  epoch %d/%d, batch %d/%d   ", epoch + 1, epochs, batch + 1, batches);
        };
    }
}
