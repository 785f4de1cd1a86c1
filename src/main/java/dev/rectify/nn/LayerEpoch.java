package dev.rectify.nn;

/**
 * One hidden layer's figures for one epoch, all measured on the epoch's training forward passes.
 *
 * @param kind the unit layer's description, e.g. {@code relu} or {@code prelu}
 * @param dead units whose pre-activation was {@code <= 0} for every training sample of the epoch and whose
 *             activation then has zero gradient (ReLU, ReLU6): they learned nothing this epoch
 * @param dormant the same inactivity for an activation that still passes gradient there (Leaky ReLU, PReLU,
 *                RReLU, ELU, SELU, GELU, ...): reported apart from dead because such units can recover
 * @param died units inactive (dead or dormant) this epoch that were active the epoch before (at epoch 0:
 *             compared with the network at initialization on the training set)
 * @param revived units active this epoch that were inactive the epoch before
 * @param sparsity fraction of exact zeros among the layer's outputs over the epoch
 * @param preMean mean pre-activation over the epoch's samples and units
 * @param preMin smallest pre-activation
 * @param preMax largest pre-activation
 * @param gradNorm mean over the epoch's batches of the L2 norm of the feeding dense layer's weight gradient,
 *                 before clipping
 * @param vanishing gradNorm below the trainer's vanishing threshold
 * @param exploding gradNorm above the trainer's exploding threshold
 * @param weightNorm L2 norm of the feeding dense layer's weights at the end of the epoch
 * @param slopes PReLU's learned slopes at the end of the epoch (a copy), or null for other activations
 */
public record LayerEpoch(int layer, String kind, int units, int dead, int dormant, int died, int revived,
                         double sparsity, double preMean, double preMin, double preMax, double gradNorm,
                         boolean vanishing, boolean exploding, double weightNorm, float[] slopes) {
    public double deadFraction() {
        return (double) dead / units;
    }

    public double dormantFraction() {
        return (double) dormant / units;
    }
}
