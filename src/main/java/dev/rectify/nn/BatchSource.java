package dev.rectify.nn;

/**
 * Where {@link Trainer#fit(BatchSource, Dataset, int, java.util.function.Consumer)} gets each step's gradients.
 * The trainer's own data set is one source (shuffled per epoch from the trainer's seed); a data-parallel trainer
 * is another, whose partitions compute the gradients on a cluster and sum them. Whatever the source, the trainer
 * does the rest the same way: the schedule and warm-up, divergence checks, clipping, the optimizer step, the
 * listeners' gradient and epoch calls, early stopping and the epoch records.
 */
public interface BatchSource {
    /** Training samples per epoch, at least 1. */
    int rows();

    /** Whether the task is classification (the trainer then reports training accuracy). */
    boolean classification();

    /** Steps per epoch (for progress displays; {@link #next} may end an epoch one step earlier). */
    int batches();

    /** Epoch {@code epoch} (counted over the run) starts. */
    void epochStart(int epoch);

    /**
     * Computes step {@code step}, batch {@code batch} of epoch {@code epoch}: leaves the gradient of the batch's mean
     * loss in every parameter's {@link Param#grad()} and returns the batch's figures; null when the epoch has no
     * more batches. A batch whose loss is not finite is returned with its loss and need not hold gradients.
     */
    Batch next(int epoch, int batch, long step);

    /**
     * One batch: its mean loss, the sum of its per-sample losses (kept apart so that the trainer's epoch loss does not
     * depend on a division and a multiplication), its rows, and its correct predictions (0 for regression).
     */
    record Batch(double loss, double lossSum, int rows, int correct) { }
}
