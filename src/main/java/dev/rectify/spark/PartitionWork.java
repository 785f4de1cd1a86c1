package dev.rectify.spark;

import dev.rectify.data.Dataset;
import dev.rectify.diagnostics.EpochActivity;
import dev.rectify.kernels.Kernels;
import dev.rectify.nn.BatchGradients;
import dev.rectify.nn.BatchSource;
import dev.rectify.nn.Checkpoint;
import dev.rectify.nn.Loss;
import dev.rectify.nn.Network;
import dev.rectify.nn.TrainingListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * What an executor does for one partition and one step: the network rebuilt from the broadcast checkpoint (once
 * per task thread), the step's weights set, the partition's rows of the step taken from its own per-epoch
 * permutation, and forward, loss and backward with the trainer's own batch code and Rectify's kernels.
 */
final class PartitionWork {
    private PartitionWork() { }

    private static final AtomicBoolean LOGGED = new AtomicBoolean();
    private static final Map<String, Shuffle> SHUFFLES = new ConcurrentHashMap<>();
    private static final ThreadLocal<Model> MODEL = new ThreadLocal<>();

    /** A task thread's network for one broadcast checkpoint, with its batch buffers. */
    private record Model(long templateId, Network net, Loss loss, BatchGradients gradients) { }

    /** A partition's permutation, advanced epoch by epoch from its seed (replayed after a restart or a move). */
    private static final class Shuffle {
        int[] order;
        SplittableRandom random;
        int epochsDone;
    }

    /** Tests only: a partition whose first attempt at each step fails (-1: none), to prove that retries change nothing. */
    static volatile int failFirstAttemptOf = -1;
    static final java.util.concurrent.atomic.AtomicInteger failuresInjected = new java.util.concurrent.atomic.AtomicInteger();

    static StepSum.Part run(Block block, StepPlan plan, byte[] template, float[] weights) {
        logPathOnce();
        int p = block.partition, rows = plan.rowsOf(p);
        org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
        if (p == failFirstAttemptOf && task != null && task.attemptNumber() == 0 && plan.batch() == 1) {
            failuresInjected.incrementAndGet();
            throw new IllegalStateException("injected failure of partition " + p + ", attempt 0");
        }
        StepSum.Part part = new StepSum.Part();
        if (rows == 0) return part;
        Model m = model(block, plan, template);
        FlatParams.setValues(m.net().params(), weights);
        int[] order = order(plan.shuffleSeed(p), p, block.rows, plan.epoch());
        EpochActivity activity = null;
        List<TrainingListener> listeners = List.of();
        List<Network.Hidden> hidden = m.net().hidden();
        if (plan.activity()) {
            int[] units = new int[hidden.size()];
            for (int i = 0; i < units.length; i++) units[i] = hidden.get(i).units().outputs();
            EpochActivity a = new EpochActivity(units);
            for (int i = 0; i < units.length; i++) hidden.get(i).units().recordActivity(a.activeMask(i));
            activity = a;
            listeners = List.of(new TrainingListener() {
                @Override
                public void forwardDone(int epoch, int batch, int n) {
                    for (int i = 0; i < hidden.size(); i++) a.addBatch(i, hidden.get(i).units(), n, m.net().reductions());
                }
            });
        }
        BatchSource.Batch b;
        try {
            b = m.gradients().compute(block.dataset(), order, (int) plan.start(p), rows, plan.noiseKey(p), plan.epoch(), plan.batch(), listeners);
        } finally {
            for (Network.Hidden h : hidden) h.units().recordActivity(null);
        }
        part.loss = b.loss();
        part.lossSum = b.lossSum();
        part.rows = b.rows();
        part.correct = b.correct();
        part.activity = activity;
        if (Double.isFinite(b.loss())) part.gradient = FlatParams.gradients(m.net().params(), (float) ((double) rows / plan.stepRows()), plan.partitions() > 1);
        return part;
    }

    private static Model model(Block block, StepPlan plan, byte[] template) {
        Model m = MODEL.get();
        if (m != null && m.templateId() == plan.templateId()) return m;
        Network net = network(template);
        Loss loss = plan.loss().equals("mse") ? Loss.meanSquaredError() : Loss.softmaxCrossEntropy(Kernels.activations());
        Dataset data = block.dataset();
        int most = 1;
        for (int q = 0; q < plan.partitions(); q++) most = Math.max(most, plan.perStep(q));
        m = new Model(plan.templateId(), net, loss, new BatchGradients(net, loss, data, most));
        MODEL.set(m);
        return m;
    }

    /** The broadcast network, rebuilt on one thread's kernels (the tasks are the executor's parallelism). */
    static Network network(byte[] template) {
        try {
            return Checkpoint.fromBytes(template, "the broadcast network", Kernels.gemm().withParallelism(1), Kernels.activations()).network();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Partition {@code p}'s permutation of epoch {@code epoch}: the identity shuffled once per epoch from its seed. */
    static int[] order(long seed, int p, int rows, int epoch) {
        Shuffle s = SHUFFLES.computeIfAbsent(seed + "/" + p + "/" + rows, k -> new Shuffle());
        synchronized (s) {
            if (s.order == null || s.epochsDone > epoch + 1) {
                s.order = new int[rows];
                for (int i = 0; i < rows; i++) s.order[i] = i;
                s.random = new SplittableRandom(seed);
                s.epochsDone = 0;
            }
            while (s.epochsDone <= epoch) {
                Dataset.shuffle(s.order, s.random);
                s.epochsDone++;
            }
            return s.order;
        }
    }

    private static void logPathOnce() {
        if (LOGGED.compareAndSet(false, true)) {
            Kernels.Selection sel = Kernels.selection();
            Logger.getLogger("dev.rectify.spark").warning("Rectify on this executor: " + sel.path() + " kernels (" + sel.reason() + ")");
        }
    }
}
