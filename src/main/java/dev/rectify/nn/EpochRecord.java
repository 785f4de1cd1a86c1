package dev.rectify.nn;

import java.util.List;

/** One epoch of a run: losses, accuracies (NaN for regression) and the hidden layers' figures. */
public record EpochRecord(int epoch, double lr, double trainLoss, double trainAccuracy, double testLoss,
                          double testAccuracy, double seconds, List<LayerEpoch> layers) {
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
