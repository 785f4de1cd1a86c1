package dev.rectify.nn;

import dev.rectify.data.Dataset;

import java.util.List;

/**
 * Told what happens inside {@link Trainer#fit}, on the training thread, in this order: {@link #fitStart} once per
 * {@code fit} call; per epoch {@link #epochStart}, then per batch {@link #forwardDone} and {@link #gradientsReady},
 * then {@link #epochEnd}. The dying-ReLU diagnostics (the diagnostics package's {@code DeadUnitMonitor}) are such a
 * listener; a data-parallel trainer runs one per partition and merges what they saw. A listener must not change
 * the network, the data or the gradients. Every method has an empty default.
 */
public interface TrainingListener {
    /** A {@code fit} call starts on {@code train}; {@code trainer.epochs()} epochs are done. */
    default void fitStart(Trainer trainer, Dataset train) {
    }

    /** Epoch {@code epoch} (counted over the run) starts; no batch of it has run. */
    default void epochStart(int epoch) {
    }

    /**
     * A batch's training forward pass and loss are done: every hidden unit layer holds the batch's
     * pre-activations and activations ({@link UnitLayer#preActivations()}, {@link UnitLayer#activations()}),
     * {@code rows} rows of them.
     */
    default void forwardDone(int epoch, int batch, int rows) {
    }

    /**
     * The batch's gradients are computed and finite: {@code squaredNorms[p]} is the squared L2 norm of the gradient
     * of {@code network.params().get(p)}, before clipping (for the weights of a {@link Dense} layer split in k halves,
     * the sum of the halves' sums, as Dense states). The array is the trainer's: read it, do not keep it.
     */
    default void gradientsReady(int epoch, int batch, double[] squaredNorms) {
    }

    /**
     * The epoch's last step is done ({@code batches} steps); the layers no longer record. Returns per-hidden-layer
     * figures for the epoch's record ({@link EpochRecord#layers()}), or an empty list; the first listener that
     * returns figures provides them.
     */
    default List<LayerEpoch> epochEnd(int epoch, int batches) {
        return List.of();
    }

    /**
     * What this listener carries from one epoch to the next and a checkpoint must keep: per hidden layer, the units
     * inactive in the last epoch; null for none. See {@link TrainingState#inactive()}.
     */
    default boolean[][] inactiveUnits() {
        return null;
    }

    /** Continues from a checkpoint's {@link #inactiveUnits()} (null: measure afresh). */
    default void restoreInactiveUnits(boolean[][] inactive) {
    }
}
