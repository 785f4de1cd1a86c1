package dev.rectify.nn;

import java.util.List;

/**
 * One epoch of a run: losses, accuracies (NaN for regression) and the hidden layers' figures.
 *
 * @param epoch the epoch, from 0, counted over the whole run (a resumed run continues the count)
 * @param lossExploding the epoch's mean training loss is more than {@link Trainer#EXPLODING_LOSS_FACTOR} times
 *        the loss of the run's first batch: the learning rate is too high even though nothing became infinite
 */
public record EpochRecord(int epoch, double lr, double trainLoss, double trainAccuracy, double testLoss,
                          double testAccuracy, double seconds, List<LayerEpoch> layers, boolean lossExploding) {
    /** A record without the exploding-loss flag (false). */
    public EpochRecord(int epoch, double lr, double trainLoss, double trainAccuracy, double testLoss,
                       double testAccuracy, double seconds, List<LayerEpoch> layers) {
        this(epoch, lr, trainLoss, trainAccuracy, testLoss, testAccuracy, seconds, layers, false);
    }

    /** Dead units over all hidden layers divided by all hidden units. */
    public double deadFraction() {
        int dead = 0, units = 0;
        for (LayerEpoch l : layers) {
            dead += l.dead();
            units += l.units();
        }
        return units == 0 ? 0 : (double) dead / units;
    }

    /** Dormant units over all hidden layers divided by all hidden units. */
    public double dormantFraction() {
        int dormant = 0, units = 0;
        for (LayerEpoch l : layers) {
            dormant += l.dormant();
            units += l.units();
        }
        return units == 0 ? 0 : (double) dormant / units;
    }
}
