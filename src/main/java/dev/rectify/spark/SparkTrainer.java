package dev.rectify.spark;

import dev.rectify.data.Dataset;
import dev.rectify.diagnostics.DeadUnitMonitor;
import dev.rectify.kernels.Kernels;
import dev.rectify.nn.Checkpoint;
import dev.rectify.nn.EpochRecord;
import dev.rectify.nn.Loss;
import dev.rectify.nn.Network;
import dev.rectify.nn.Optimizer;
import dev.rectify.nn.Trainer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Synchronous data-parallel mini-batch training on Spark. Each step broadcasts the weights; every partition
 * computes the gradient of its share of the global batch with Rectify's kernels (its rows drawn from its own
 * per-epoch permutation, seeded from the trainer's seed and the partition); a tree aggregation sums the
 * partitions' gradients, losses and dead-unit activity in a fixed order; and the {@link Trainer} on the driver —
 * its optimizer, schedule, clipping, divergence checks and listeners — takes the step as on one machine.
 *
 * <p>Contract: for a fixed partitioning and seed a run gives the same bits every time, retried or speculative
 * tasks included (a task's result depends only on its inputs). With one partition it gives the bits of
 * {@link Trainer#fit(Dataset, Dataset, int, Consumer)} on the same rows. With several, each step's gradient is the
 * mean over the step's rows, summed in float per partition, so it differs from one machine's in rounding only.
 * Dead-unit masks are combined with OR, exact for any partitioning. Batch norm is not supported yet (its batch
 * statistics would be per partition).
 */
public final class SparkTrainer {
    private SparkTrainer() { }

    /**
     * Trains {@code trainer}'s network on {@code data} for {@code epochs} more epochs; evaluates on {@code test} on the
     * driver (may be null). {@code monitor}, if not null, must be one of the trainer's listeners: it receives the
     * partitions' unit activity, and its reference (the units active before training) is measured on the cluster.
     *
     * @throws IllegalArgumentException if the network has batch norm or does not fit the data
     */
    public static List<EpochRecord> fit(JavaSparkContext sc, Trainer trainer, DeadUnitMonitor monitor, SparkData data,
                                        Dataset test, int epochs, Consumer<EpochRecord> onEpoch) {
        Network net = requireFit(sc, trainer, data);
        Broadcast<byte[]> template = sc.broadcast(new Checkpoint(net, Optimizer.sgd(1), 0).toBytes());
        try {
            if (monitor != null && monitor.inactiveUnits() == null) monitor.reference(everActive(sc, data, template, trainer));
            SparkBatches source = new SparkBatches(sc, data, net, monitor, template, trainer.seed(), trainer.batchSize(),
                    trainer.loss().name());
            return trainer.fit(source, test, epochs, onEpoch);
        } finally {
            template.destroy();
        }
    }

    /**
     * {@link Trainer#bornDead(Dataset)} over all of {@code data}: each partition checks its rows in inference mode with
     * the trainer's current weights; the units' activity is combined with OR (exact for any partitioning), and the
     * output counts as constant when every partition's is and all give the same bits.
     *
     * @throws IllegalArgumentException if the network has batch norm or does not fit the data
     */
    public static Trainer.DeadCheck bornDead(JavaSparkContext sc, Trainer trainer, SparkData data) {
        Network net = requireFit(sc, trainer, data);
        Broadcast<byte[]> template = sc.broadcast(new Checkpoint(net, Optimizer.sgd(1), 0).toBytes());
        try {
            List<Activity> parts = activity(sc, data, template, trainer, true);
            boolean[][] active = parts.stream().map(Activity::everActive).reduce(SparkTrainer::or).orElseThrow();
            boolean constant = true;
            for (Activity a : parts) constant &= a.outputConstant() && Arrays.equals(a.firstOutput(), parts.get(0).firstOutput());
            List<Network.Hidden> hidden = net.hidden();
            int[] inactive = new int[hidden.size()], units = new int[hidden.size()];
            boolean[] deadKind = new boolean[hidden.size()];
            for (int i = 0; i < hidden.size(); i++) {
                units[i] = active[i].length;
                for (boolean on : active[i]) if (!on) inactive[i]++;
                deadKind[i] = hidden.get(i).units().inactiveMeansDead();
            }
            return new Trainer.DeadCheck(inactive, units, deadKind, constant);
        } finally {
            template.destroy();
        }
    }

    /** One partition's unit activity in inference mode; the output check only when asked (it costs a second pass). */
    record Activity(boolean[][] everActive, boolean outputConstant, float[] firstOutput) implements java.io.Serializable { }

    /** Per hidden layer, the units active on some training row, each partition in inference mode, combined by OR. */
    static boolean[][] everActive(JavaSparkContext sc, SparkData data, Broadcast<byte[]> template, Trainer trainer) {
        return activity(sc, data, template, trainer, false).stream().map(Activity::everActive).reduce(SparkTrainer::or).orElseThrow();
    }

    private static List<Activity> activity(JavaSparkContext sc, SparkData data, Broadcast<byte[]> template, Trainer trainer,
                                           boolean outputs) {
        Broadcast<float[]> weights = sc.broadcast(FlatParams.values(trainer.network().params()));
        int batch = trainer.batchSize();
        try {
            return data.blocks.map(block -> {
                Network net = PartitionWork.network(template.value());
                FlatParams.setValues(net.params(), weights.value());
                Loss loss = block.classification() ? Loss.softmaxCrossEntropy(Kernels.activations()) : Loss.meanSquaredError();
                Trainer local = Trainer.builder(net, loss, Optimizer.sgd(1)).batchSize(batch).build();
                Dataset rows = block.dataset();
                if (!outputs || rows.rows() == 0) return new Activity(local.everActive(rows), true, null);
                float[] first = Arrays.copyOf(net.forward(rows.x(), 0, Math.min(batch, rows.rows()), false), net.outputs());
                return new Activity(local.everActive(rows), local.bornDead(rows).outputConstant(), first);
            }).collect();
        } finally {
            weights.destroy();
        }
    }

    /** The trainer's network, checked against the data (none of the arguments may be null). */
    private static Network requireFit(JavaSparkContext sc, Trainer trainer, SparkData data) {
        Objects.requireNonNull(sc, "sc");
        Objects.requireNonNull(trainer, "trainer");
        Objects.requireNonNull(data, "data");
        Network net = trainer.network();
        if (net.hasBatchNorm()) {
            throw new IllegalArgumentException("trainer: batch norm is not supported on Spark yet (each partition would normalize by "
                    + "its own batch statistics)");
        }
        if (net.inputs() != data.features() || net.outputs() != data.outputs()) {
            throw new IllegalArgumentException("data: " + data.name() + " has " + data.features() + " features and " + data.outputs()
                    + " outputs; the network takes " + net.inputs() + " and gives " + net.outputs());
        }
        return net;
    }

    private static boolean[][] or(boolean[][] a, boolean[][] b) {
        for (int i = 0; i < a.length; i++) for (int u = 0; u < a[i].length; u++) a[i][u] |= b[i][u];
        return a;
    }
}
