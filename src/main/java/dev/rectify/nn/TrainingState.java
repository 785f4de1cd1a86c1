package dev.rectify.nn;

import java.util.Objects;

/**
 * Where a {@link Trainer} stands, beyond the network's parameters and the optimizer's moments: what a checkpoint
 * needs so that training N epochs, saving, loading and training M more gives the same bits as training N + M.
 * The random streams need no state of their own: the shuffle order of epoch {@code e} is the {@code e}-th
 * permutation of the stream seeded with {@link #seed}, and the dropout and RReLU noise of a step is a function of
 * the layer's seed and {@link #steps}.
 *
 * @param epochs epochs completed
 * @param steps optimizer steps taken
 * @param seed the trainer's shuffle seed
 * @param scheduleEpochs the horizon the learning-rate schedule was evaluated with ({@code lr(epoch, scheduleEpochs)})
 *        in the last epoch, 0 before the first
 * @param initialLoss the training loss of the run's first batch (the reference of the exploding-loss flag), NaN
 *        before the first step
 * @param inactive per hidden layer, the units inactive in the last epoch (the reference of "died" and
 *        "revived"), or null when not recorded
 */
public record TrainingState(int epochs, long steps, long seed, int scheduleEpochs, double initialLoss, boolean[][] inactive) {
    public TrainingState {
        if (epochs < 0) throw new IllegalArgumentException("epochs must be >= 0, was " + epochs);
        if (steps < 0) throw new IllegalArgumentException("steps must be >= 0, was " + steps);
        if (scheduleEpochs < 0) throw new IllegalArgumentException("scheduleEpochs must be >= 0, was " + scheduleEpochs);
        if (Double.isInfinite(initialLoss)) throw new IllegalArgumentException("initialLoss must be finite or NaN, was " + initialLoss);
        if (inactive != null) {
            boolean[][] copy = new boolean[inactive.length][];
            for (int i = 0; i < copy.length; i++) copy[i] = Objects.requireNonNull(inactive[i], "inactive[" + i + "]").clone();
            inactive = copy;
        }
    }

    /** A state that only knows the step count (what checkpoints of format version 1 held). */
    public static TrainingState atStep(long steps, long seed) {
        return new TrainingState(0, steps, seed, 0, Double.NaN, null);
    }

    /** A copy of the masks (or null). */
    @Override
    public boolean[][] inactive() {
        if (inactive == null) return null;
        boolean[][] copy = new boolean[inactive.length][];
        for (int i = 0; i < copy.length; i++) copy[i] = inactive[i].clone();
        return copy;
    }
}
