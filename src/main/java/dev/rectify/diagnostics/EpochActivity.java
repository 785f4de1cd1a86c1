package dev.rectify.diagnostics;

import dev.rectify.kernels.Reductions;
import dev.rectify.nn.UnitLayer;

import java.util.Arrays;
import java.util.Objects;

/**
 * What one epoch's training forward passes showed of every hidden layer, as a value that merges: per layer the
 * ever-active mask (a unit is active if its pre-activation was {@code > 0} on some sample), the pre-activation
 * sum, minimum and maximum, the number of exact zeros among the outputs, the element count, and the sum of the
 * batches' weight-gradient norms. Two activities of the same epoch over disjoint parts of the data (partitions of
 * a cluster) {@link #merge} into the activity of the whole: masks by OR, sums by addition, extremes by min and
 * max, so dead-unit counts are exact for any partitioning and a repeated task cannot make a dead unit look alive.
 * Not thread-safe. Serializable (Java serialization), so that a cluster's tasks can return it.
 */
public final class EpochActivity implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final boolean[][] active;
    final double[] preSum, gradNormSum;
    final float[] preMin, preMax;
    final long[] elements, zeros;
    int batches;

    /** An empty activity for hidden layers of these widths. */
    public EpochActivity(int[] unitsPerLayer) {
        int n = unitsPerLayer.length;
        active = new boolean[n][];
        for (int i = 0; i < n; i++) active[i] = new boolean[unitsPerLayer[i]];
        preSum = new double[n];
        gradNormSum = new double[n];
        preMin = new float[n];
        preMax = new float[n];
        Arrays.fill(preMin, Float.POSITIVE_INFINITY);
        Arrays.fill(preMax, Float.NEGATIVE_INFINITY);
        elements = new long[n];
        zeros = new long[n];
    }

    /** The ever-active mask of hidden layer {@code layer} (live: the unit layer marks it while recording). */
    public boolean[] activeMask(int layer) {
        return active[layer];
    }

    /**
     * Adds a batch's pre-activation minimum, maximum and sum and its output zero count for hidden layer
     * {@code layer}; {@code summary} is scratch for two summaries. The dead-below-zero activations (ReLU, ReLU6,
     * zero-slope leaky and RReLU) output an exact zero precisely where the pre-activation is {@code <= 0}, so
     * their zero count comes from the same pass and the outputs are not read again.
     */
    public void addBatch(int layer, UnitLayer units, int batch, Reductions kernels) {
        addBatch(layer, units, batch, kernels, new double[2 * Reductions.SUMMARY_LENGTH]);
    }

    void addBatch(int layer, UnitLayer units, int batch, Reductions kernels, double[] summary) {
        int n = batch * units.outputs();
        kernels.summarize(units.preActivations(), 0, n, summary, 0);
        if (units.inactiveMeansDead()) {
            zeros[layer] += (long) summary[Reductions.SUMMARY_NONPOSITIVE];
        } else {
            kernels.summarize(units.activations(), 0, n, summary, Reductions.SUMMARY_LENGTH);
            zeros[layer] += (long) summary[Reductions.SUMMARY_LENGTH + Reductions.SUMMARY_ZEROS];
        }
        preMin[layer] = Math.min(preMin[layer], (float) summary[Reductions.SUMMARY_MIN]);
        preMax[layer] = Math.max(preMax[layer], (float) summary[Reductions.SUMMARY_MAX]);
        preSum[layer] += summary[Reductions.SUMMARY_SUM];
        elements[layer] += n;
    }

    /**
     * Adds {@code other}, an activity of the same epoch and network over other samples, into this one. Sums are
     * added in the order of the calls, so merging partitions in a fixed order gives fixed bits.
     *
     * @throws IllegalArgumentException if the layer widths differ
     */
    public EpochActivity merge(EpochActivity other) {
        Objects.requireNonNull(other, "other");
        if (other.active.length != active.length) throw new IllegalArgumentException("other: " + other.active.length
                + " hidden layers, this has " + active.length);
        for (int i = 0; i < active.length; i++) {
            if (other.active[i].length != active[i].length) {
                throw new IllegalArgumentException("other: hidden layer " + i + " has " + other.active[i].length + " units, this "
                        + active[i].length);
            }
            for (int u = 0; u < active[i].length; u++) active[i][u] |= other.active[i][u];
            preSum[i] += other.preSum[i];
            gradNormSum[i] += other.gradNormSum[i];
            preMin[i] = Math.min(preMin[i], other.preMin[i]);
            preMax[i] = Math.max(preMax[i], other.preMax[i]);
            elements[i] += other.elements[i];
            zeros[i] += other.zeros[i];
        }
        batches += other.batches;
        return this;
    }
}
