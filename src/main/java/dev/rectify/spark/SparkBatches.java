package dev.rectify.spark;

import dev.rectify.diagnostics.DeadUnitMonitor;
import dev.rectify.nn.BatchSource;
import dev.rectify.nn.Network;
import dev.rectify.nn.Param;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.List;

/**
 * The cluster as the trainer's {@link BatchSource}: per step, the weights go out as a broadcast, every partition
 * computes its rows' gradient with Rectify's kernels, a tree aggregation sums them in a fixed order
 * ({@link StepSum}), and the sum lands in the driver's network, where the trainer's optimizer takes the step.
 */
final class SparkBatches implements BatchSource {
    private final JavaSparkContext sc;
    private final SparkData data;
    private final Network net;
    private final DeadUnitMonitor monitor;
    private final Broadcast<byte[]> template;
    private final long seed;
    private final int batchSize, depth;
    private final String loss;

    SparkBatches(JavaSparkContext sc, SparkData data, Network net, DeadUnitMonitor monitor, Broadcast<byte[]> template,
                 long seed, int batchSize, String loss) {
        this.sc = sc;
        this.data = data;
        this.net = net;
        this.monitor = monitor;
        this.template = template;
        this.seed = seed;
        this.batchSize = batchSize;
        this.loss = loss;
        this.depth = treeDepth(data.partitions());
    }

    /** Levels of the aggregation tree: direct up to 8 partitions, then one more level per factor of 8. */
    static int treeDepth(int partitions) {
        int depth = 1;
        for (long fan = 8; fan < partitions; fan *= 8) depth++;
        return depth;
    }

    @Override public int rows() { return (int) Math.min(Integer.MAX_VALUE, data.rows()); }
    @Override public boolean classification() { return data.classification; }
    @Override public int batches() { return (int) ((data.rows() + batchSize - 1) / batchSize); }
    @Override public void epochStart(int epoch) { }

    @Override
    public Batch next(int epoch, int batch, long step) {
        StepPlan plan = new StepPlan(seed, epoch, batch, step, batchSize, data.sizes, data.rows(), loss, monitor != null, template.id());
        if (plan.stepRows() == 0) return null;
        List<Param> params = net.params();
        Broadcast<float[]> weights = sc.broadcast(FlatParams.values(params));
        Broadcast<byte[]> model = template;
        int partitions = data.partitions();
        StepSum sum;
        try {
            sum = data.blocks.treeAggregate(new StepSum(partitions),
                    (acc, block) -> acc.add(block.partition, PartitionWork.run(block, plan, model.value(), weights.value())),
                    StepSum::merge, depth);
        } finally {
            weights.destroy();
        }
        StepSum.Part total = sum.total();
        if (total == null) throw new IllegalStateException("step " + step + ": not every partition answered");
        if (total.gradient != null) FlatParams.setGradients(params, total.gradient);
        if (monitor != null && total.activity != null) monitor.addActivity(total.activity);
        return new Batch(total.loss, total.lossSum, total.rows, total.correct);
    }
}
