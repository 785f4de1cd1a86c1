package dev.rectify.nn;

import dev.rectify.kernels.Reductions;

import java.util.List;

/** Gradient clipping as PyTorch's clip_grad_value_ and clip_grad_norm_, in that order, applied in place. */
final class GradientClipping {
    private GradientClipping() { }

    /** Clipping by value, then by global norm; {@code squaredTotal} is the unclipped squared norm. */
    static void clip(List<Param> params, double squaredTotal, double clipValue, double clipNorm, Reductions reductions) {
        if (clipValue > 0) {
            float c = (float) clipValue;
            for (Param p : params) for (int i = 0; i < p.grad.length; i++) p.grad[i] = Math.max(-c, Math.min(c, p.grad[i]));
        }
        if (clipNorm > 0) {
            double sq = squaredTotal;
            if (clipValue > 0) {
                sq = 0;
                for (Param p : params) sq += p.gradientSquares(reductions);
            }
            double norm = Math.sqrt(sq);
            if (norm > clipNorm) {
                float s = (float) (clipNorm / norm);
                for (Param p : params) for (int i = 0; i < p.grad.length; i++) p.grad[i] *= s;
            }
        }
    }
}
