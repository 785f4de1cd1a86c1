package dev.rectify.cli;

import dev.rectify.data.Dataset;
import dev.rectify.data.Standardizer;
import dev.rectify.diagnostics.DeadUnitMonitor;
import dev.rectify.diagnostics.StudyGrid;
import dev.rectify.diagnostics.StudyRun;
import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.Kernels;
import dev.rectify.nn.Checkpoint;
import dev.rectify.nn.EarlyStopping;
import dev.rectify.nn.EpochRecord;
import dev.rectify.nn.EvalResult;
import dev.rectify.nn.LayerEpoch;
import dev.rectify.nn.Loss;
import dev.rectify.nn.Network;
import dev.rectify.nn.Optimizer;
import dev.rectify.nn.Trainer;
import dev.rectify.nn.TrainingDivergedException;
import dev.rectify.report.StudyReport;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code rectify train}: one configuration with every trainer option; a checkpoint and a one-run report. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train one configuration, print the per-epoch figures, save a checkpoint and a report.",
                "Example: rectify train --activation leaky-relu --lr 0.5 --epochs 20 --batch-norm --out run1"})
class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    SharedOptions.Run shared;

    @Option(names = "--activation", completionCandidates = Specs.ActivationNames.class,
            description = "One of ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.", defaultValue = "relu")
    String activation;
    @Option(names = "--init", completionCandidates = Specs.InitNames.class,
            description = "One of ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.", defaultValue = "he-normal")
    String init;
    @Option(names = "--init-scale", description = "Spread of the normal and uniform initializers. Default: ${DEFAULT-VALUE}.", defaultValue = "1")
    double initScale;
    @Option(names = "--bias", description = "zero, init or a number. Default: ${DEFAULT-VALUE}.", defaultValue = "zero")
    String bias;
    @Option(names = "--dropout", description = "Dropout rate after every hidden activation. Default: ${DEFAULT-VALUE}.", defaultValue = "0")
    double dropout;
    @Option(names = "--lr", description = "The optimizer's learning rate; --schedule and the warm-ups modify it. Default: ${DEFAULT-VALUE}.", defaultValue = "0.05")
    double lr;
    @Option(names = "--momentum", description = "Momentum of sgd (default 0, as PyTorch's SGD), momentum and nesterov "
            + "(default 0.9); adam and adamw take none.")
    Double momentum;
    @Option(names = "--weight-decay", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "0")
    double weightDecay;
    @Option(names = "--schedule", description = "constant, cosine or step:EVERY:GAMMA. Default: ${DEFAULT-VALUE}.", defaultValue = "constant")
    String schedule;
    @Option(names = "--warmup", description = "Warm-up epochs: epoch e < N trains at lr (e + 1) / N, so 1 changes nothing. "
            + "Default: ${DEFAULT-VALUE}.", defaultValue = "0")
    int warmup;
    @Option(names = "--standardize", description = "Scale every feature to mean 0 and variance 1, with statistics of the "
            + "training set (kept in the checkpoint; evaluate applies them).")
    boolean standardize;
    @Option(names = "--patience", description = "Early stopping: stop when the test loss has not improved for N epochs "
            + "and finish with the best epoch's weights (its checkpoint is best.ckpt). Default: ${DEFAULT-VALUE} (off).",
            defaultValue = "0")
    int patience;
    @Option(names = "--warmup-steps", description = "Linear warm-up over the first N batches: batch s trains at "
            + "lr (s + 1) / N. Default: ${DEFAULT-VALUE} (none).", defaultValue = "0")
    int warmupSteps;
    @Option(names = "--epochs", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "10")
    int epochs;
    @Option(names = "--seed", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "1")
    long seed;
    @Option(names = "--threads", description = "Threads for the layers' products and the optimizer step (at most one per processor "
            + "runs); the results do not depend on it. Default: the number of processors.")
    Integer threads;
    @Option(names = "--clip-norm", description = "Default: ${DEFAULT-VALUE} (off).", defaultValue = "0")
    double clipNorm;
    @Option(names = "--clip-value", description = "Default: ${DEFAULT-VALUE} (off).", defaultValue = "0")
    double clipValue;
    @Option(names = "--checkpoint", description = "Checkpoint file. Default: OUT/model.ckpt.")
    Path checkpoint;
    @Option(names = "--resume", description = "Continue the run saved in this checkpoint for --epochs more epochs: its network, "
            + "optimizer state, epoch, step, schedule position and shuffle stream, with its training options unless given again.")
    Path resume;
    @Option(names = "--schedule-epochs", description = "The schedule's horizon in epochs (cosine anneals to 0 there). "
            + "Default: the run's last epoch (when resuming: the saved horizon, or further if the run goes past it).")
    Integer scheduleEpochs;

    /** The options that define the network: they come from the checkpoint when resuming. */
    private static final List<String> ARCHITECTURE = List.of("--layers", "--activation", "--init", "--init-scale", "--bias",
            "--batch-norm", "--dropout");
    /** The options a checkpoint keeps so that --resume continues the run with them (an option given again wins). */
    private static final List<String> KEPT = List.of("--data", "--test", "--test-fraction", "--split-seed", "--task", "--optimizer", "--lr",
            "--momentum", "--weight-decay", "--schedule", "--warmup", "--warmup-steps", "--standardize", "--batch", "--seed", "--clip-norm", "--clip-value");

    @Override
    public Integer call() throws Exception {
        try {
            return run();
        } finally {
            if (data != null) data.close();
        }
    }

    /** The training data, open while the command runs. */
    private TrainingSet data;

    private Integer run() throws Exception {
        Network net;
        Trainer trainer;
        String actName, initLabel;
        Checkpoint resumed = null;
        Path ckpt;
        try {
            shared.report.check(spec.name());
            checkMore();
            if (threads != null) OptionChecks.positiveInt("--threads", threads);
            ckpt = checkpoint != null ? checkpoint : shared.report.folder().resolve("model.ckpt");
            OptionChecks.writableFile("--checkpoint", ckpt);
            if (resume != null) {
                OptionChecks.readableFile("--resume", resume);
                for (String o : ARCHITECTURE) {
                    if (given(o)) throw new IllegalArgumentException(o + ": the network comes from the checkpoint; drop " + o + " when resuming");
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Gemm gemm = threads != null ? Kernels.gemm().withParallelism(threads) : Kernels.gemm();
        if (resume != null) {
            resumed = Checkpoint.load(resume, gemm, Kernels.activations());
            adoptSettings(resumed.settings());
        }
        try {
            OptionChecks.positiveInt("--epochs", epochs);
            shared.training.check();
            shared.data.check();
            OptionChecks.nonNegativeInt("--warmup", warmup);
            if (scheduleEpochs != null) OptionChecks.positiveInt("--schedule-epochs", scheduleEpochs);
            OptionChecks.positiveFloat("--lr", lr);
            if (momentum != null) OptionChecks.unitInterval("--momentum", momentum);
            OptionChecks.nonNegativeInt("--warmup-steps", warmupSteps);
            OptionChecks.nonNegativeInt("--patience", patience);
            OptionChecks.nonNegativeFloat("--weight-decay", weightDecay);
            Specs.optimizer("--optimizer", shared.training.optimizer, lr, momentum, weightDecay);
            OptionChecks.nonNegativeFloat("--clip-norm", clipNorm);
            OptionChecks.nonNegativeFloat("--clip-value", clipValue);
            OptionChecks.nonNegativeFloat("--init-scale", initScale);
            OptionChecks.unitInterval("--dropout", dropout);
            StudyGrid.Activation act = Specs.activation("--activation", activation);
            StudyGrid.Initialization in = new StudyGrid.Initialization(Specs.init("--init", init), Specs.bias("--bias", bias));
            data = open();
            if (resumed != null && resumed.settings().containsKey(STANDARDIZER)) {
                standardizer = Standardizer.decode(resumed.settings().get(STANDARDIZER));
            } else if (standardize) {
                standardizer = data.fitStandardizer();
            }
            if (standardizer != null) data.standardize(standardizer);
            ActivationKernels k = Kernels.activations();
            if (resumed != null) {
                net = resumed.network();
                actName = net.hidden().isEmpty() ? "linear" : net.hidden().get(0).units().activationName();
                initLabel = "(resumed)";
            } else {
                int[] sizes = shared.layers.sizes(data.features(), data.outputs());
                try {
                    net = act.apply(Network.builder(sizes)).init(in.init(), initScale).bias(in.bias()).batchNorm(shared.layers.batchNorm)
                            .dropout(dropout).seed(seed).kernels(gemm, k).build();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--layers " + shared.layers.layers + " on " + data.features() + " features and "
                            + data.outputs() + " classes: " + e.getMessage());
                }
                actName = act.name();
                initLabel = in.label();
            }
            int done = resumed != null ? resumed.state().epochs() : 0;
            int horizon = scheduleEpochs != null ? scheduleEpochs
                    : Math.max(resumed != null ? resumed.state().scheduleEpochs() : 0, done + epochs);
            Optimizer optimizer = Specs.optimizer("--optimizer", shared.training.optimizer, lr, momentum, weightDecay);
            if (resumed != null && !given("--optimizer") && !given("--momentum") && !given("--weight-decay")) {
                optimizer = resumed.optimizer(); // its moments continue; the rate is --lr, given again or kept from the run
                optimizer.setLr(lr);
            }
            Loss loss = data.test().isClassification() ? Loss.softmaxCrossEntropy(k) : Loss.meanSquaredError();
            trainer = Trainer.builder(net, loss, optimizer)
                    .schedule(Specs.schedule("--schedule", schedule, warmup)).batchSize(shared.training.size(data.rows())).seed(seed)
                    .clipNorm(clipNorm).clipValue(clipValue).scheduleEpochs(horizon).warmupSteps(warmupSteps).listener(monitor)
                    .onBatch(BatchProgress.onTerminal(done + epochs)).build();
            if (resumed != null) {
                if (resumed.state().epochs() > 0 && resumed.state().seed() != seed) {
                    throw new IllegalArgumentException("--seed: the run was trained with seed " + resumed.state().seed()
                            + " (its shuffle stream); resuming continues it, so drop --seed");
                }
                trainer.restore(resumed.state());
            }
            if (net.inputs() != data.features() || net.outputs() != data.outputs()) {
                throw new IllegalArgumentException("--data: the network takes " + net.inputs() + " features and gives "
                        + net.outputs() + " outputs; " + data.name() + " has " + data.features() + " features and " + data.outputs() + " outputs");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        int cores = Math.min(gemm.parallelism(), Runtime.getRuntime().availableProcessors()); // GEMM has no more helpers
        System.out.println(spec.name() + ": " + net.describe() + ", " + cores + (cores == 1 ? " thread" : " threads"));
        System.out.printf(Locale.ROOT, "data: %s, %d training samples; test: %s, %d samples%s%n", data.name(),
                data.rows(), data.test().name(), data.test().rows(), standardizer != null ? "; standardized" : "");
        float maxAbs = data.maxAbs();
        if (standardizer == null && maxAbs > LARGE_INPUT) {
            System.out.printf(Locale.ROOT, "hint: feature values reach %.4g; inputs far from unit scale push ReLU units to one side "
                    + "at initialization (and kill many of them): --standardize scales every feature to mean 0, variance 1%n", maxAbs);
        }
        boolean deadKind = !net.hidden().isEmpty() && net.hidden().get(0).units().inactiveMeansDead();
        Trainer.DeadCheck born = data.bornDead(trainer);
        if (resumed != null) {
            System.out.printf(Locale.ROOT, "resumed %s: after epoch %d, step %d, %s, seed %d; training epochs %d to %d%n", resume,
                    resumed.state().epochs(), resumed.steps(), trainer.optimizer().describe(), seed,
                    resumed.state().epochs() + 1, resumed.state().epochs() + epochs);
        } else {
            System.out.printf(Locale.ROOT, "at initialization: %d of %d hidden units %s%s%n", deadKind ? born.dead() : born.inactive(),
                    born.units(), deadKind ? "dead" : "dormant", born.collapsed() ? " — the network is born dead (a whole layer)" : "");
            if (deadKind && born.units() > 0 && (double) born.dead() / born.units() > BORN_DEAD_HINT) {
                System.out.printf(Locale.ROOT, "hint: %.0f%% of the hidden units are dead before training and get no gradient; "
                        + "%sa zero bias, He initialization, or a leaky activation (leaky-relu, prelu, elu) keeps them alive%n",
                        100.0 * born.dead() / born.units(), standardizer == null && maxAbs > LARGE_INPUT ? "--standardize, " : "");
            }
        }
        List<EpochRecord> history = new ArrayList<>();
        String divergence = null;
        long t0 = System.nanoTime();
        final int last = trainer.epochs() + epochs, first = trainer.epochs();
        final Trainer tr = trainer;
        Path best = ckpt.resolveSibling("best.ckpt");
        EarlyStopping stopper = patience == 0 ? null : new EarlyStopping(trainer, patience,
                e -> saveQuietly(tr, best, e.epoch() + 1));
        // Ctrl-C (or a TERM signal) stops after the current epoch; the checkpoint and the report are written before
        // the JVM exits.
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch saved = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            interrupted.set(true);
            tr.requestStop();
            System.err.println();
            System.err.println("interrupted: finishing this epoch, then saving the checkpoint and the report ...");
            try {
                saved.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "rectify-save-on-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            try {
                data.fit(trainer, monitor, epochs, e -> {
                    history.add(e);
                    StringBuilder per = new StringBuilder();
                    for (LayerEpoch l : e.layers()) per.append(String.format(Locale.ROOT, " %d/%d", l.dead() + l.dormant(), l.units()));
                    if (Terminal.interactive()) System.err.print("\r" + " ".repeat(110) + "\r");
                    double elapsed = (System.nanoTime() - t0) / 1e9, left = elapsed / (e.epoch() + 1 - first) * (last - e.epoch() - 1);
                    String fit = Double.isNaN(e.trainAccuracy())
                            ? String.format(Locale.ROOT, "mse %.4g%s  test mse %.4g", e.trainLoss(), e.lossExploding() ? " (exploding)" : "", e.testLoss())
                            : String.format(Locale.ROOT, "loss %.4f%s  train %.3f  test %.3f", e.trainLoss(), e.lossExploding() ? " (exploding)" : "",
                                    e.trainAccuracy(), e.testAccuracy());
                    System.out.printf(Locale.ROOT, "epoch %3d/%d  lr %.4g  %s  %s per layer:%s  %.2f s, %.0f s left%n",
                            e.epoch() + 1, last, e.lr(), fit, deadKind ? "dead" : "dormant", per, e.seconds(), left);
                    if (stopper != null) stopper.accept(e);
                });
            } catch (TrainingDivergedException e) {
                divergence = e.getMessage();
            }
            if (divergence == null) {
                Checkpoint.of(trainer, settings(trainer.epochs())).save(ckpt);
                System.out.println("checkpoint: " + ckpt);
                if (interrupted.get()) {
                    System.out.println("interrupted after epoch " + trainer.epochs() + ": continue with --resume " + ckpt);
                }
                if (stopper != null && stopper.bestEpoch() >= 0) {
                    if (stopper.stopped()) {
                        System.out.printf(Locale.ROOT, "early stop: the test loss has not improved for %d epoch%s%n", patience, patience == 1 ? "" : "s");
                    }
                    stopper.restoreBest();
                    System.out.printf(Locale.ROOT, "best epoch %d (test loss %.4f): its weights are the final network; checkpoint: %s%n",
                            stopper.bestEpoch() + 1, stopper.bestLoss(), best);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            StudyRun run = new StudyRun(actName, initLabel, lr, seed, deadKind,
                    born.units() == 0 ? 0 : (double) (deadKind ? born.dead() : born.inactive()) / born.units(), history, seconds, divergence);
            Map<String, String> setup = new LinkedHashMap<>();
            setup.put("data", data.name() + ": " + data.rows() + " training, " + data.test().rows() + " test samples");
            setup.put("network", net.describe());
            setup.put("training", shared.training.optimizer + (momentum != null ? ", momentum " + momentum : "") + ", lr " + lr + " ("
                    + schedule + (warmup > 0 ? ", warm-up " + warmup + " epochs" : "") + (warmupSteps > 0 ? ", warm-up " + warmupSteps + " steps" : "")
                    + "), batch " + trainer.batchSize() + (shared.training.isFull() ? " (full)" : "") + ", " + epochs + " epochs, clip norm " + (clipNorm > 0 ? clipNorm : "off")
                    + ", clip value " + (clipValue > 0 ? clipValue : "off") + ", seed " + seed
                    + (resumed != null ? ", resumed from " + resume + " after epoch " + first : ""));
            setup.put("machine", "Java " + Runtime.version() + ", " + Kernels.selection().path() + " kernels");
            EvalResult finalTest = divergence == null && data.test().isClassification() ? trainer.evaluate(data.test()) : null;
            Map<String, String> common = new LinkedHashMap<>();
            common.put("layers", shared.layers.layers.replace(" ", "").replace(',', '-'));
            common.put("batch_norm", Boolean.toString(shared.layers.batchNorm));
            common.put("dropout", Double.toString(dropout));
            common.put("optimizer", shared.training.optimizer);
            common.put("momentum", momentum == null ? "" : Double.toString(momentum));
            common.put("weight_decay", Double.toString(weightDecay));
            common.put("batch", Integer.toString(trainer.batchSize()));
            common.put("schedule", schedule.replace(',', ';'));
            common.put("warmup_epochs", Integer.toString(warmup));
            common.put("warmup_steps", Integer.toString(warmupSteps));
            common.put("clip_norm", Double.toString(clipNorm));
            common.put("clip_value", Double.toString(clipValue));
            common.put("standardize", Boolean.toString(standardizer != null));
            StudyReport.write(shared.report.folder(), "Rectify training run: " + actName + " on " + data.name(), setup, List.of(run),
                    finalTest, common);
            System.out.println("report: " + shared.report.folder().resolve("index.html"));
            if (divergence != null) {
                throw new IllegalStateException("diverged: " + divergence + "; no checkpoint saved, the report is in " + shared.report.folder());
            }
            return interrupted.get() ? 130 : 0;
        } finally {
            saved.countDown(); // the checkpoint and the report are written: an interrupt's hook may let the JVM go
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running and returns now
            }
        }
    }

    /** The run's dead-unit monitor, one of the trainer's listeners. */
    final DeadUnitMonitor monitor = new DeadUnitMonitor();

    /** More checks of the options, before anything is read or written (spark-train's). */
    void checkMore() {
    }

    /** The data in this JVM; spark-train's is spread over a cluster. */
    TrainingSet open() throws java.io.IOException {
        Dataset all = shared.data.load();
        return TrainingSet.local(all, shared.data.split(all));
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** Inputs beyond this magnitude get the hint to standardize. */
    static final float LARGE_INPUT = 10f;
    /** A share of hidden units dead at initialization beyond which train explains what to try. */
    static final double BORN_DEAD_HINT = 0.25;

    /** The settings key of the input standardization's statistics. */
    static final String STANDARDIZER = "standardizer";

    private Standardizer standardizer;

    private Map<String, String> settings(int lastEpoch) {
        Map<String, String> m = new LinkedHashMap<>();
        if (standardizer != null) m.put(STANDARDIZER, standardizer.encode());
        for (String o : KEPT) {
            Object value = spec.findOption(o).getValue();
            if (value != null) m.put(o, String.valueOf(value)); // an option without a value (no --test) is not kept
        }
        m.put("epochs-trained", Integer.toString(lastEpoch));
        return m;
    }

    /** Saves the best epoch's checkpoint; a failure is reported and training goes on (the last checkpoint still comes). */
    private void saveQuietly(Trainer t, Path file, int epochsTrained) {
        try {
            Checkpoint.of(t, settings(epochsTrained)).save(file);
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("warning: could not save " + file + ": " + e.getMessage());
        }
    }

    /** Takes each kept option from the checkpoint unless the command line gives it. */
    private void adoptSettings(Map<String, String> saved) {
        for (String o : KEPT) {
            String v = saved.get(o);
            if (v == null || given(o)) continue;
            if (o.equals("--test-fraction") && (given("--test") || saved.containsKey("--test"))) continue; // a test set wins
            CommandLine.Model.OptionSpec opt = spec.findOption(o);
            try {
                Class<?> t = opt.type();
                Object value = t == String.class ? v : t == boolean.class ? (Object) Boolean.parseBoolean(v)
                        : t == double.class || t == Double.class ? (Object) Double.parseDouble(v)
                        : t == long.class ? (Object) Long.parseLong(v) : t == int.class ? (Object) Integer.parseInt(v) : null;
                if (value == null) throw new IllegalStateException("option " + o + " of type " + t + " cannot be restored");
                opt.setValue(value);
            } catch (NumberFormatException e) {
                throw new IllegalStateException(resume + ": saved option " + o + " = '" + v + "' is not a number", e);
            }
        }
    }
}
