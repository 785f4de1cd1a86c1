package dev.rectify.nn;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Early stopping as an epoch callback for {@link Trainer#fit}, as Keras' {@code EarlyStopping(patience=...,
 * restore_best_weights=True)}: it watches the test loss (the training loss when there is no test set), remembers
 * the weights of the best epoch, and asks the trainer to stop when {@code patience} epochs in a row did not lower
 * the best loss. {@link #restoreBest()} puts the best epoch's weights back into the network. A non-finite loss never
 * counts as an improvement.
 */
public final class EarlyStopping implements Consumer<EpochRecord> {
    private final Trainer trainer;
    private final int patience;
    private final Consumer<EpochRecord> onBest;
    private double best = Double.POSITIVE_INFINITY;
    private int bestEpoch = -1, sinceBest;
    private Network.Weights bestWeights;

    /**
     * @param patience epochs without a lower loss before stopping, at least 1
     * @param onBest called with the record of every new best epoch, after its weights were taken (e.g. to save a
     *        checkpoint of it); may be null
     */
    public EarlyStopping(Trainer trainer, int patience, Consumer<EpochRecord> onBest) {
        this.trainer = Objects.requireNonNull(trainer, "trainer");
        if (patience < 1) throw new IllegalArgumentException("patience must be >= 1, was " + patience);
        this.patience = patience;
        this.onBest = onBest;
    }

    @Override
    public void accept(EpochRecord r) {
        double loss = Double.isNaN(r.testLoss()) ? r.trainLoss() : r.testLoss();
        if (Double.isFinite(loss) && loss < best) {
            best = loss;
            bestEpoch = r.epoch();
            sinceBest = 0;
            bestWeights = trainer.network().weights();
            if (onBest != null) onBest.accept(r);
        } else if (++sinceBest >= patience) {
            trainer.requestStop();
        }
    }

    /** The epoch (from 0) with the lowest loss so far; -1 before the first finite one. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The lowest loss so far (test loss, or training loss without a test set). */
    public double bestLoss() {
        return best;
    }

    /** Whether this callback asked the trainer to stop. */
    public boolean stopped() {
        return sinceBest >= patience;
    }

    /** Puts the best epoch's weights back into the network; false (and nothing changed) before any best epoch. */
    public boolean restoreBest() {
        if (bestWeights == null) return false;
        trainer.network().setWeights(bestWeights);
        return true;
    }
}
