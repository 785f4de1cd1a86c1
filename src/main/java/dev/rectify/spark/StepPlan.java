package dev.rectify.spark;

import java.io.Serializable;

/**
 * What every partition needs to compute its share of one step, decided on the driver. Partition {@code p} of
 * {@code sizes[p]} rows takes {@code ceil(batch * sizes[p] / rows)} rows per step from its own permutation, so
 * one partition takes exactly the single-machine trainer's batches.
 */
record StepPlan(long seed, int epoch, int batch, long step, int batchSize, int[] sizes, long rows, String loss,
                boolean activity, long templateId) implements Serializable {

    int partitions() {
        return sizes.length;
    }

    /** Rows partition {@code p} takes per step. */
    int perStep(int p) {
        return (int) Math.min(sizes[p], (batchSize * (long) sizes[p] + rows - 1) / rows);
    }

    /** Where partition {@code p}'s rows of this step start in its permutation. */
    long start(int p) {
        return (long) batch * perStep(p);
    }

    /** Rows partition {@code p} contributes to this step (0 once it has used all of its rows this epoch). */
    int rowsOf(int p) {
        long left = sizes[p] - start(p);
        return (int) Math.max(0, Math.min(perStep(p), left));
    }

    /** Rows of the whole step. */
    long stepRows() {
        long n = 0;
        for (int p = 0; p < sizes.length; p++) n += rowsOf(p);
        return n;
    }

    /** The noise key of partition {@code p}'s forward pass: the step itself when there is one partition. */
    long noiseKey(int p) {
        return sizes.length == 1 ? step : step * sizes.length + p;
    }

    /** Partition {@code p}'s shuffle seed: the trainer's seed for partition 0. */
    long shuffleSeed(int p) {
        return seed + p * 0x9E3779B97F4A7C15L;
    }
}
