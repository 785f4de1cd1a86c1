package dev.rectify.nn;

import dev.rectify.data.Dataset;

import java.util.List;
import java.util.SplittableRandom;

/** The trainer's own data set as a {@link BatchSource}: batches of a permutation reshuffled every epoch. */
final class LocalBatches implements BatchSource {
    private final Network net;
    private final Loss loss;
    private final Dataset train;
    private final List<TrainingListener> listeners;
    private final int[] order;
    private final SplittableRandom shuffler;
    private final int batchSize, outs;
    private final boolean skipSingle;
    private final float[] xb, tb, grad;
    private final int[] lb;

    LocalBatches(Network net, Loss loss, Dataset train, int batchSize, int[] order, SplittableRandom shuffler,
                 List<TrainingListener> listeners) {
        this.net = net;
        this.loss = loss;
        this.train = train;
        this.batchSize = batchSize;
        this.order = order;
        this.shuffler = shuffler;
        this.listeners = listeners;
        this.outs = net.outputs();
        this.skipSingle = net.hasBatchNorm();
        int rows = Math.max(1, Math.min(batchSize, train.rows())); // a batch size of 2^31 - 1 must not size the buffers
        xb = new float[rows * train.features()];
        tb = train.isClassification() ? null : new float[rows * outs];
        lb = train.isClassification() ? new int[rows] : null;
        grad = new float[rows * outs];
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
        gather(train, order, start, b, xb, lb, tb);
        net.beginStep(step);
        float[] out = net.forward(xb, b, true);
        double l = loss.lossAndGradient(out, b, outs, lb, 0, tb, 0, grad);
        if (!Double.isFinite(l)) return new Batch(l, l * b, b, 0);
        int correct = lb != null ? Predictions.countCorrect(out, b, outs, lb, 0) : 0;
        for (TrainingListener li : listeners) li.forwardDone(epoch, batch, b);
        net.backward(grad, b);
        return new Batch(l, l * b, b, correct);
    }

    static void gather(Dataset d, int[] order, int start, int b, float[] xb, int[] lb, float[] tb) {
        int f = d.features();
        for (int r = 0; r < b; r++) {
            int row = order[start + r];
            System.arraycopy(d.x(), row * f, xb, r * f, f);
            if (lb != null) lb[r] = d.labels()[row];
            else System.arraycopy(d.targets(), row * d.outputs(), tb, r * d.outputs(), d.outputs());
        }
    }
}
