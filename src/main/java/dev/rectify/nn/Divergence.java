package dev.rectify.nn;

import java.util.List;

/**
 * The trainer's divergence checks: after the loss, the gradients of every step, the updated parameters of every
 * step and the batch-norm statistics of every epoch, a non-finite value stops training with a
 * {@link TrainingDivergedException} that names the epoch, the batch and the layer.
 */
final class Divergence {
    private Divergence() { }

    static TrainingDivergedException nonFinite(List<Layer> layers, List<Param> params, double[] squares,
                                                       String what, int epoch, int batch, double lr) {
        int p = 0;
        while (Double.isFinite(squares[p])) p++;
        Param bad = params.get(p);
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).params().contains(bad)) {
                String which = what.equals("gradient") ? bad.name() + " gradient" : bad.name() + " " + what;
                return new TrainingDivergedException("non-finite " + which + " in layer " + i + " ("
                        + layers.get(i).describe() + ") at epoch " + epoch + ", batch " + batch + " (lr " + lr
                        + "): training diverged; lower the learning rate or clip gradients", epoch, batch);
            }
        }
        throw new AssertionError("parameter of no layer");
    }

    /** Batch-norm running statistics are updated in the forward pass: an overflow there is a divergence too. */
    static void requireFiniteBuffers(List<Layer> layers, int epoch) {
        for (int i = 0; i < layers.size(); i++) {
            for (float[] b : layers.get(i).buffers()) {
                for (float v : b) {
                    if (!Float.isFinite(v)) {
                        throw new TrainingDivergedException("non-finite running statistic in layer " + i + " ("
                                + layers.get(i).describe() + ") at the end of epoch " + epoch
                                + ": training diverged; lower the learning rate", epoch, -1);
                    }
                }
            }
        }
    }
}
