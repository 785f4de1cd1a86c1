package dev.rectify.nn;

/**
 * One hidden layer's figures for one epoch.
 *
 * @param dead units whose pre-activation was {@code <= 0} for every training sample of the epoch (no gradient)
 * @param died units dead this epoch that were not dead the epoch before (at epoch 0: compared with initialization)
 * @param revived units not dead this epoch that were dead the epoch before
 * @param gradNorm mean over the epoch's batches of the L2 norm of the layer's weight gradient
 * @param weightNorm L2 norm of the weights at the end of the epoch
 */
public record LayerEpoch(int layer, int units, int dead, int died, int revived, double gradNorm, double weightNorm) {
    public double deadFraction() {
        return (double) dead / units;
    }
}
