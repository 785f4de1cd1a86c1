package dev.rectify.nn;

import dev.rectify.kernels.Algorithm;
import dev.rectify.kernels.Eltwise;

/**
 * A layer whose outputs are activated units: where ReLU units die. The diagnostics read a unit layer's
 * pre-activations and outputs after each forward pass and collect, through {@link #recordActivity}, which units
 * had a positive pre-activation on some sample.
 */
public interface UnitLayer {
    /** Units (features per sample). */
    int outputs();

    /**
     * True when a unit whose pre-activation is {@code <= 0} on every sample gets exactly zero gradient, so it is
     * <em>dead</em> (ReLU, ReLU6, a leaky ReLU of slope 0); false when it still gets gradient and is only
     * <em>dormant</em> (Leaky ReLU, PReLU, RReLU, ELU, SELU, GELU, ...).
     */
    boolean inactiveMeansDead();

    /**
     * Starts (or with null stops) recording, for each unit, whether any forward pass since gave it a
     * pre-activation {@code > 0}. The mask is only ever set, never cleared, so it spans batches until the caller
     * resets it.
     */
    void recordActivity(boolean[] mask);

    /** The pre-activations of the last forward pass ({@code batch x outputs}), the layer's own buffer. */
    float[] preActivations();

    /** The outputs of the last forward pass ({@code batch x outputs}), the layer's own buffer. */
    float[] activations();

    /** The learned negative slopes per unit (PReLU), or null. */
    default float[] slopes() {
        return null;
    }

    /** A short description. */
    String describe();

    /** The activation, e.g. {@code relu} or {@code leakyRelu(alpha=0.01)}: what the diagnostics call the layer. */
    String activationName();

    /** Whether an element-wise activation has zero derivative everywhere on (-inf, 0]. */
    static boolean deadBelowZero(Eltwise activation) {
        Algorithm a = activation.algorithm();
        return a == Algorithm.RELU || a == Algorithm.RELU6
                || (a == Algorithm.LEAKY_RELU && activation.alpha() == 0f)
                || (a == Algorithm.RRELU && activation.alpha() == 0f && activation.beta() == 0f);
    }

    /**
     * Sets {@code mask[u]} for every unit u with some {@code z[r * units + u] > 0} (NaN is not), r below
     * {@code batch}. Units already marked are skipped and a unit's scan stops at its first positive value, so
     * once the live units are marked a pass reads little more than the mask: in a training epoch this costs
     * less than the GEMM epilogue's per-vector marking did (which tested every lane of every vector).
     */
    static void markActive(float[] z, int batch, int units, boolean[] mask) {
        for (int u = 0; u < units; u++) {
            if (mask[u]) continue;
            for (int i = u, end = batch * units; i < end; i += units) {
                if (z[i] > 0f) {
                    mask[u] = true;
                    break;
                }
            }
        }
    }
}
