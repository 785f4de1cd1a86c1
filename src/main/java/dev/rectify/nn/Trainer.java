package dev.rectify.nn;

import dev.rectify.data.Dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Mini-batch training of one network with seeded shuffling. What happens inside a run is told to
 * {@link TrainingListener}s: the dying-ReLU diagnostics of {@code DeadUnitMonitor} (in the diagnostics package) are
 * one, and fill each epoch's per-layer figures. The same seed, data and kernel path give the same bits, with or
 * without listeners. A trainer and its network belong to one thread; several trainers may run side by side.
 * Besides the GEMM calls, the optimizer step and the gradient norms of every step use as many threads as the
 * network's GEMM ({@link dev.rectify.kernels.Gemm#withParallelism}); the bits do not depend on that number.
 */
public final class Trainer {
    /**
     * An epoch's mean training loss above this many times the loss of the run's first batch sets
     * {@link EpochRecord#lossExploding()}: the loss blew up but stayed finite.
     */
    public static final double EXPLODING_LOSS_FACTOR = 10;

    private final Network net;
    private final Loss loss;
    private final Optimizer optimizer;
    private final Schedule schedule;
    private final int batchSize;
    private final long seed;
    private final double clipNorm, clipValue;
    private final List<TrainingListener> listeners;
    private final BatchListener onBatch;
    private final int scheduleEpochs; // 0: each fit() call's end is the schedule's horizon
    private final int warmupSteps;    // 0: no per-step warm-up
    private long step;
    private int epochsDone, lastHorizon;
    private volatile boolean stopRequested;
    private double initialLoss = Double.NaN;
    // The shuffle stream: order holds the permutation of the last epoch, shuffler the stream after it. Null until
    // the first fit() (or after restore), then rebuilt by replaying epochsDone shuffles from the seed.
    private SplittableRandom shuffler;
    private int[] order;

    /**
     * A trainer without listeners; see {@link #builder} for the rest.
     *
     * @param clipNorm rescale all gradients together when their global L2 norm exceeds this; 0 for off
     * @param clipValue clamp every gradient element to [-clipValue, clipValue]; 0 for off
     */
    public Trainer(Network net, Loss loss, Optimizer optimizer, Schedule schedule, int batchSize, long seed,
                   double clipNorm, double clipValue) {
        this(net, loss, optimizer, schedule, batchSize, seed, clipNorm, clipValue, List.of(), null, 0, 0);
    }

    /** Told after every optimizer step; for progress displays. Runs on the training thread, so keep it cheap. */
    @FunctionalInterface
    public interface BatchListener {
        /**
         * @param epoch the epoch, from 0
         * @param batch the batch just finished, from 0
         * @param batches the batches in this epoch
         */
        void batchDone(int epoch, int batch, int batches);

        /** With the batch's mean loss and size; by default the three-argument form, so such lambdas keep working. */
        default void batchDone(int epoch, int batch, int batches, double loss, int samples) {
            batchDone(epoch, batch, batches);
        }
    }

    private Trainer(Network net, Loss loss, Optimizer optimizer, Schedule schedule, int batchSize, long seed,
                    double clipNorm, double clipValue, List<TrainingListener> listeners, BatchListener onBatch,
                    int scheduleEpochs, int warmupSteps) {
        this.net = Objects.requireNonNull(net, "net");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        if (batchSize <= 0) throw new IllegalArgumentException("batchSize must be > 0, was " + batchSize);
        Optimizer.requireFloat("clipNorm", clipNorm);
        Optimizer.requireFloat("clipValue", clipValue);
        if (scheduleEpochs < 0) throw new IllegalArgumentException("scheduleEpochs must be >= 0, was " + scheduleEpochs);
        this.scheduleEpochs = scheduleEpochs;
        if (warmupSteps < 0) throw new IllegalArgumentException("warmupSteps must be >= 0, was " + warmupSteps);
        this.warmupSteps = warmupSteps;
        this.batchSize = batchSize;
        this.seed = seed;
        this.clipNorm = clipNorm;
        this.clipValue = clipValue;
        this.listeners = List.copyOf(listeners);
        this.onBatch = onBatch;
    }

    /** A builder with: the optimizer's rate throughout ({@link Schedule#constant()}), batch 32, seed 0, no clipping. */
    public static Builder builder(Network net, Loss loss, Optimizer optimizer) {
        return new Builder(net, loss, optimizer);
    }

    public static final class Builder {
        private final Network net;
        private final Loss loss;
        private final Optimizer optimizer;
        private Schedule schedule = Schedule.constant();
        private int batchSize = 32;
        private long seed;
        private double clipNorm, clipValue;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private BatchListener onBatch;
        private int scheduleEpochs;
        private int warmupSteps;

        private Builder(Network net, Loss loss, Optimizer optimizer) {
            this.net = net;
            this.loss = loss;
            this.optimizer = optimizer;
        }

        /** How the optimizer's learning rate changes per epoch (default: it does not). */
        public Builder schedule(Schedule s) { this.schedule = s; return this; }
        public Builder batchSize(int b) { this.batchSize = b; return this; }
        public Builder seed(long s) { this.seed = s; return this; }
        /** Gradient clipping by global L2 norm (0: off). */
        public Builder clipNorm(double c) { this.clipNorm = c; return this; }
        /** Gradient clipping by value (0: off). */
        public Builder clipValue(double c) { this.clipValue = c; return this; }
        /**
         * Adds a listener (the dying-ReLU diagnostics: {@code new DeadUnitMonitor()}); listeners are told in the
         * order they were added.
         */
        public Builder listener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Called after every batch (null: nobody); the per-epoch record still goes to {@code fit}'s callback. */
        public Builder onBatch(BatchListener listener) { this.onBatch = listener; return this; }

        /**
         * The schedule's horizon: epoch {@code e} (counted over the whole run) trains with
         * {@code schedule.lr(optimizer.lr(), e, epochs)}. 0 (the default) takes the end of each {@code fit} call, which is the
         * same for one call; set it when a run is split into several calls or resumed from a checkpoint and the
         * schedule depends on the horizon (cosine).
         */
        public Builder scheduleEpochs(int epochs) { this.scheduleEpochs = epochs; return this; }

        /**
         * Linear warm-up over the first {@code steps} optimizer steps of the run (counted across {@code fit} calls and
         * resumes): step s (from 0) uses the schedule's rate times {@code (s + 1) / steps}, as PyTorch's LinearLR with
         * {@code start_factor = 1/steps} stepped per batch. 0 (the default): none. {@link EpochRecord#lr} stays the
         * schedule's rate.
         */
        public Builder warmupSteps(int steps) { this.warmupSteps = steps; return this; }

        public Trainer build() {
            return new Trainer(net, loss, optimizer, schedule, batchSize, seed, clipNorm, clipValue, listeners, onBatch,
                    scheduleEpochs, warmupSteps);
        }
    }

    public Network network() { return net; }
    public Optimizer optimizer() { return optimizer; }
    public Loss loss() { return loss; }
    public long seed() { return seed; }
    public int batchSize() { return batchSize; }

    /** Optimisation steps taken so far (it selects the dropout and RReLU noise of the next step). */
    public long steps() { return step; }

    /** Epochs completed so far, over every {@code fit} call (and the run a restored state came from). */
    public int epochs() { return epochsDone; }

    /**
     * Continues counting from {@code steps} and nothing else; to continue a run from a checkpoint use
     * {@link #restore}, which also restores the epoch, the shuffle stream and the diagnostics' reference.
     */
    public void setSteps(long steps) {
        if (steps < 0) throw new IllegalArgumentException("steps must be >= 0, was " + steps);
        this.step = steps;
    }

    /** Where this trainer stands: with the network and the optimizer, all a checkpoint needs to continue. */
    public TrainingState state() {
        boolean[][] inactive = null;
        for (TrainingListener l : listeners) if (inactive == null) inactive = l.inactiveUnits();
        return new TrainingState(epochsDone, step, seed, lastHorizon, initialLoss, inactive);
    }

    /**
     * Continues the run {@code state} describes: the next {@code fit} trains epoch {@code state.epochs()} with the
     * shuffle order, noise and schedule position that run would have had next.
     *
     * @throws IllegalArgumentException if the state has completed epochs and comes from a trainer with another
     *         seed (its shuffle stream could not be continued) or its masks do not fit this trainer's network
     */
    public void restore(TrainingState state) {
        Objects.requireNonNull(state, "state");
        if (state.epochs() > 0 && state.seed() != seed) {
            throw new IllegalArgumentException("state: trained with seed " + state.seed() + ", this trainer has seed " + seed
                    + "; build the trainer with the run's seed to continue it");
        }
        boolean[][] masks = state.inactive();
        if (masks != null) {
            int[] units = Network.unitsPerLayer(net.hidden());
            boolean fits = masks.length == units.length;
            for (int i = 0; fits && i < units.length; i++) fits = masks[i].length == units[i];
            if (!fits) throw new IllegalArgumentException("state: its unit masks do not match the network's hidden layers");
        }
        this.step = state.steps();
        this.epochsDone = state.epochs();
        this.lastHorizon = state.scheduleEpochs();
        this.initialLoss = state.initialLoss();
        for (TrainingListener l : listeners) l.restoreInactiveUnits(masks);
        this.shuffler = null;
        this.order = null;
    }

    /**
     * Inactive units per hidden layer on a data set, and whether the output is constant over it.
     *
     * @param inactivePerLayer units whose pre-activation is {@code <= 0} on every sample
     * @param inactiveMeansDead per layer: whether inactive units get zero gradient there (see {@link UnitLayer})
     */
    public record DeadCheck(int[] inactivePerLayer, int[] unitsPerLayer, boolean[] inactiveMeansDead,
                            boolean outputConstant) {
        /** Dead units per layer: the inactive ones where inactivity means zero gradient, else 0. */
        public int[] deadPerLayer() {
            int[] d = new int[inactivePerLayer.length];
            for (int i = 0; i < d.length; i++) d[i] = inactiveMeansDead[i] ? inactivePerLayer[i] : 0;
            return d;
        }
        public int dead() { return Arrays.stream(deadPerLayer()).sum(); }
        public int inactive() { return Arrays.stream(inactivePerLayer).sum(); }
        public int units() { return Arrays.stream(unitsPerLayer).sum(); }
        /** Some hidden layer has every unit dead: nothing reaches the output, no gradient reaches the input side. */
        public boolean collapsed() {
            for (int i = 0; i < inactivePerLayer.length; i++) {
                if (inactiveMeansDead[i] && inactivePerLayer[i] == unitsPerLayer[i]) return true;
            }
            return false;
        }
        /** Some hidden layer has every unit inactive (for leaky variants: every unit in its negative regime). */
        public boolean someLayerAllInactive() {
            for (int i = 0; i < inactivePerLayer.length; i++) if (inactivePerLayer[i] == unitsPerLayer[i]) return true;
            return false;
        }
    }

    /**
     * Per hidden layer, the units whose input to the activation is {@code <= 0} on every sample (inference mode, no
     * dropout), and whether every output is the same for every sample: before training, a born-dead network. Before
     * the first step batch norm uses the data's own statistics (a unit is dead only if dead after normalization).
     */
    public DeadCheck bornDead(Dataset data) {
        requireShape("data", data);
        InferencePass.Activity a = InferencePass.reference(net, data, batchSize, step == 0);
        List<Network.Hidden> hidden = net.hidden();
        boolean[] deadKind = new boolean[hidden.size()];
        for (int i = 0; i < deadKind.length; i++) deadKind[i] = hidden.get(i).units().inactiveMeansDead();
        return new DeadCheck(InferencePass.countInactive(a.everActive()), Network.unitsPerLayer(hidden), deadKind, a.outputConstant());
    }

    /**
     * Per hidden layer, the units whose pre-activation is {@code > 0} on some sample of {@code data}, in inference
     * mode (one pass, nothing trained): the reference a dead-unit monitor compares its first epoch with.
     */
    public boolean[][] everActive(Dataset data) {
        requireShape("data", data);
        return InferencePass.reference(net, data, batchSize, step == 0).everActive();
    }

    /**
     * Trains for {@code epochs} more epochs; after each, evaluates on {@code test} (may be null) and hands the
     * epoch's record to {@code onEpoch} (may be null). Returns the records of these epochs. Epochs are counted over
     * the whole run: a second call continues the first one's shuffle stream, step count and schedule, so two
     * calls of 2 epochs give the bits of one call of 4 (with a horizon-dependent schedule, set
     * {@link Builder#scheduleEpochs}). With batch norm in the network, a trailing batch of one sample is skipped
     * (its batch variance would be 0).
     *
     * @throws TrainingDivergedException on a non-finite loss, gradient, updated parameter, batch-norm statistic or
     *         test loss, naming the epoch, batch and layer; the network then holds the diverged values, so do not
     *         save it ({@link Checkpoint#save} refuses to)
     */
    public List<EpochRecord> fit(Dataset train, Dataset test, int epochs, Consumer<EpochRecord> onEpoch) {
        Objects.requireNonNull(train, "train");
        requireShape("train", train);
        int[] order = shuffleStream(train.rows());
        return fit(new LocalBatches(net, loss, train, batchSize, order, shuffler, listeners), train, test, epochs, onEpoch);
    }

    /**
     * As {@link #fit(Dataset, Dataset, int, Consumer)}, with the gradients of each step from {@code source} (a
     * data-parallel trainer's partitions): everything else — schedule, warm-up, divergence checks, clipping, the
     * optimizer, listeners, records — happens here as for local data. Listeners get {@code null} as the training set
     * in {@link TrainingListener#fitStart}; give a dead-unit monitor its reference first.
     */
    public List<EpochRecord> fit(BatchSource source, Dataset test, int epochs, Consumer<EpochRecord> onEpoch) {
        return fit(Objects.requireNonNull(source, "source"), null, test, epochs, onEpoch);
    }

    private List<EpochRecord> fit(BatchSource source, Dataset train, Dataset test, int epochs, Consumer<EpochRecord> onEpoch) {
        stopRequested = false;
        if (epochs < 0) throw new IllegalArgumentException("epochs must be >= 0, was " + epochs);
        if (test != null) requireShape("test", test);
        List<Network.Hidden> hidden = net.hidden();
        List<Param> params = net.params();
        List<Layer> layers = net.layers();
        double[] squares = new double[params.size()];
        UpdatePass pass = new UpdatePass(params, net.reductions(), net.threads());
        for (TrainingListener l : listeners) l.fitStart(this, train);
        List<EpochRecord> history = new ArrayList<>();
        final int batchesPerEpoch = source.batches();
        final int first = epochsDone;
        final int horizon = scheduleEpochs > 0 ? scheduleEpochs : first + epochs;
        for (int epoch = first; epoch < first + epochs; epoch++) {
            long t0 = System.nanoTime();
            double lr = schedule.lr(optimizer.lr(), epoch, horizon);
            source.epochStart(epoch);
            for (TrainingListener l : listeners) l.epochStart(epoch);
            double lossSum = 0;
            int correct = 0, batches = 0, seen = 0;
            try {
                for (int batch = 0; ; batch++) {
                    BatchSource.Batch r = source.next(epoch, batch, step);
                    if (r == null) break;
                    double l = r.loss();
                    if (!Double.isFinite(l)) {
                        throw new TrainingDivergedException("non-finite loss " + l + " at epoch " + epoch + ", batch " + batch
                                + " (lr " + lr + "): training diverged; lower the learning rate or clip gradients",
                                epoch, batch);
                    }
                    if (step == 0 && Double.isNaN(initialLoss)) initialLoss = l;
                    lossSum += r.lossSum();
                    seen += r.rows();
                    correct += r.correct();
                    double total = pass.gradientSquares(squares);
                    if (!Double.isFinite(total)) throw Divergence.nonFinite(layers, params, squares, "gradient", epoch, batch, lr);
                    for (TrainingListener li : listeners) li.gradientsReady(epoch, batch, squares);
                    GradientClipping.clip(params, total, clipValue, clipNorm, net.reductions());
                    if (!pass.update(optimizer, step < warmupSteps ? lr * (step + 1) / warmupSteps : lr, squares)) {
                        throw Divergence.nonFinite(layers, params, squares, "after the update", epoch, batch, lr);
                    }
                    step++;
                    batches++;
                    if (onBatch != null) onBatch.batchDone(epoch, batch, batchesPerEpoch, l, r.rows());
                }
            } finally {
                for (Network.Hidden h : hidden) h.units().recordActivity(null);
            }
            Divergence.requireFiniteBuffers(layers, epoch);
            List<LayerEpoch> layerFigures = List.of();
            for (TrainingListener li : listeners) {
                List<LayerEpoch> f = li.epochEnd(epoch, batches);
                if (layerFigures.isEmpty() && f != null && !f.isEmpty()) layerFigures = List.copyOf(f);
            }
            EvalResult eval = test == null ? null : evaluate(test);
            double testLoss = eval == null ? Double.NaN : eval.loss(), testAccuracy = eval == null ? Double.NaN : eval.accuracy();
            if (test != null && !Double.isFinite(testLoss)) {
                throw new TrainingDivergedException("non-finite test loss " + testLoss + " after epoch " + epoch + " (lr " + lr
                        + "): the network gives non-finite outputs on the test set; lower the learning rate or clip gradients",
                        epoch, -1);
            }
            double trainLoss = lossSum / seen;
            EpochRecord rec = new EpochRecord(epoch, lr, trainLoss,
                    source.classification() ? (double) correct / seen : Double.NaN, testLoss, testAccuracy,
                    (System.nanoTime() - t0) / 1e9, layerFigures,
                    trainLoss > EXPLODING_LOSS_FACTOR * initialLoss);
            epochsDone = epoch + 1;
            lastHorizon = horizon;
            history.add(rec);
            if (onEpoch != null) onEpoch.accept(rec);
            if (stopRequested) break;
        }
        return history;
    }

    /**
     * Asks {@link #fit} to return after the epoch it is in (after that epoch's record has gone to the callback):
     * from the epoch callback (as {@link EarlyStopping} does), a batch listener, another thread or a shutdown hook.
     * Each {@code fit} call starts with the request cleared.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** Whether a stop was requested during the current or last {@code fit} call. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /**
     * The permutation array of the shuffle stream, positioned after {@code epochsDone} epochs: kept between
     * {@code fit} calls, rebuilt by replay after {@link #restore} or when the data's row count changes.
     */
    private int[] shuffleStream(int rows) {
        if (order == null || order.length != rows) {
            order = new int[rows];
            for (int i = 0; i < rows; i++) order[i] = i;
            shuffler = new SplittableRandom(seed);
            for (int e = 0; e < epochsDone; e++) Dataset.shuffle(order, shuffler);
        }
        return order;
    }

    /**
     * Loss, accuracy and confusion matrix over a data set in inference mode (see {@link EvalResult}). Reads the
     * data's rows in place, batch by batch, and computes the loss without its gradient.
     */
    public EvalResult evaluate(Dataset data) {
        requireShape("data", data);
        final int features = data.features(), outs = net.outputs();
        int[][] confusion = data.isClassification() && outs <= EvalResult.MAX_CONFUSION_CLASSES ? new int[outs][outs] : null;
        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < data.rows(); start += batchSize) {
            int b = Math.min(batchSize, data.rows() - start);
            float[] out = net.forward(data.x(), start * features, b, false);
            if (data.isClassification()) {
                lossSum += loss.loss(out, b, outs, data.labels(), start, null, 0) * b;
                correct += confusion == null ? Predictions.countCorrect(out, b, outs, data.labels(), start)
                        : Predictions.tally(out, b, outs, data.labels(), start, confusion);
            } else {
                lossSum += loss.loss(out, b, outs, null, 0, data.targets(), start * outs) * b;
            }
        }
        return new EvalResult(lossSum / data.rows(), data.isClassification() ? (double) correct / data.rows() : Double.NaN,
                data.rows(), confusion);
    }

    private void requireShape(String what, Dataset d) {
        if (d.features() != net.inputs()) {
            throw new IllegalArgumentException(what + " has " + d.features() + " features but the network takes " + net.inputs());
        }
        if (d.outputs() != net.outputs()) {
            throw new IllegalArgumentException(what + " has " + d.outputs() + " outputs/classes but the network gives " + net.outputs());
        }
    }



}
