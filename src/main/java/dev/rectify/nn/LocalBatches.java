package dev.rectify.nn;

import dev.rectify.data.Dataset;

import java.util.List;
import java.util.SplittableRandom;

/** The trainer's own data set as a {@link BatchSource}: batches of a permutation reshuffled every epoch. */
final class LocalBatches implements BatchSource {
    private final Dataset train;
    private final List<TrainingListener> listeners;
    private final int[] order;
    private final SplittableRandom shuffler;
    private final int batchSize;
    private final boolean skipSingle;
    private final BatchGradients gradients;

    LocalBatches(Network net, Loss loss, Dataset train, int batchSize, int[] order, SplittableRandom shuffler,
                 List<TrainingListener> listeners) {
        this.train = train;
        this.batchSize = batchSize;
        this.order = order;
        this.shuffler = shuffler;
        this.listeners = listeners;
        this.skipSingle = net.hasBatchNorm();
        // A batch never holds more rows than the data: a batch size of 2^31 - 1 must not size the buffers.
        this.gradients = new BatchGradients(net, loss, train, Math.min(batchSize, train.rows()));
    }

    @Override public int rows() { return order.length; }
    @Override public boolean classification() { return train.isClassification(); }
    @Override public int batches() { return (order.length + batchSize - 1) / batchSize; }

    @Override
    public void epochStart(int epoch) {
        Dataset.shuffle(order, shuffler);
    }

    @Override
    public Batch next(int epoch, int batch, long step) {
        int start = batch * batchSize;
        if (start >= order.length) return null;
        int b = Math.min(batchSize, order.length - start);
        if (b == 1 && skipSingle && batch > 0) return null; // its batch variance would be 0
        return gradients.compute(train, order, start, b, step, epoch, batch, listeners);
    }
}
