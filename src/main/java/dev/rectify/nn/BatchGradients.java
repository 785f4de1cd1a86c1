package dev.rectify.nn;

import dev.rectify.data.Dataset;

import java.util.List;

/**
 * One batch's forward pass, loss and backward pass: leaves the gradient of the batch's mean loss in the network's
 * {@link Param#grad()} arrays. The trainer's own data and a cluster's partitions compute their batches with it, so
 * a partition computes exactly what one machine would. Holds the batch buffers; belongs to one thread.
 */
public final class BatchGradients {
    private final Network net;
    private final Loss loss;
    private final int outs;
    private final float[] xb, tb, grad;
    private final int[] lb;

    /** Buffers for batches of up to {@code maxRows} rows of data shaped like {@code like}. */
    public BatchGradients(Network net, Loss loss, Dataset like, int maxRows) {
        this.net = net;
        this.loss = loss;
        this.outs = net.outputs();
        int rows = Math.max(1, maxRows);
        xb = new float[rows * like.features()];
        tb = like.isClassification() ? null : new float[rows * outs];
        lb = like.isClassification() ? new int[rows] : null;
        grad = new float[rows * outs];
    }

    /**
     * Trains on rows {@code order[start]} to {@code order[start + rows - 1]} of {@code data} as optimizer step
     * {@code step} (which selects the dropout and RReLU noise). After the forward pass and a finite loss, tells
     * {@code listeners} {@link TrainingListener#forwardDone}; a non-finite loss returns at once, without gradients.
     */
    public BatchSource.Batch compute(Dataset data, int[] order, int start, int rows, long step, int epoch, int batch,
                                     List<TrainingListener> listeners) {
        gather(data, order, start, rows);
        net.beginStep(step);
        float[] out = net.forward(xb, rows, true);
        double l = loss.lossAndGradient(out, rows, outs, lb, 0, tb, 0, grad);
        if (!Double.isFinite(l)) return new BatchSource.Batch(l, l * rows, rows, 0);
        int correct = lb != null ? Predictions.countCorrect(out, rows, outs, lb, 0) : 0;
        for (TrainingListener li : listeners) li.forwardDone(epoch, batch, rows);
        net.backward(grad, rows);
        return new BatchSource.Batch(l, l * rows, rows, correct);
    }

    private void gather(Dataset d, int[] order, int start, int b) {
        int f = d.features();
        for (int r = 0; r < b; r++) {
            int row = order[start + r];
            System.arraycopy(d.x(), row * f, xb, r * f, f);
            if (lb != null) lb[r] = d.labels()[row];
            else System.arraycopy(d.targets(), row * d.outputs(), tb, r * d.outputs(), d.outputs());
        }
    }
}
