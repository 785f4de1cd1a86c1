package dev.rectify.diagnostics;

import dev.rectify.nn.EpochRecord;

import java.util.List;

/**
 * One training run of a study: its configuration, the born-dead measurement, the per-epoch history (up to the
 * failing epoch for a diverged run) and the reason it stopped early, if it did.
 *
 * @param activation the hidden activation's name
 * @param init the initializer with its bias rule, e.g. {@code he-normal:-1.0}
 * @param bornDead dead hidden units before training / all hidden units (dormant units for non-ReLU activations)
 * @param divergence the divergence message, or null for a run that finished
 */
public record StudyRun(String activation, String init, double lr, long seed, boolean deadKind, double bornDead,
                       List<EpochRecord> history, double seconds, String divergence) {
    public StudyRun {
        history = List.copyOf(history);
    }

    /** A name without commas, quotes or newlines, for CSV/JSON. */
    public String name() {
        return activation + " " + init + " lr=" + lr + " seed=" + seed;
    }

    /** The run's own hyper-parameters as export columns: activation, init (with its bias rule), learning_rate, seed. */
    public java.util.Map<String, String> parameters() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("activation", activation);
        m.put("init", init);
        m.put("learning_rate", Double.toString(lr)); // "lr" is the per-epoch column: the schedule's rate that epoch
        m.put("seed", Long.toString(seed));
        return m;
    }

    /** The configuration without the seed: runs that differ only in seed form one group. */
    public String group() {
        return activation + " " + init + " lr=" + lr;
    }

    public EpochRecord last() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }

    /** Dead (ReLU-like) or dormant (others) fraction at the last epoch; born-dead figure if no epoch finished. */
    public double finalInactive() {
        EpochRecord e = last();
        if (e == null) return bornDead;
        return deadKind ? e.deadFraction() : e.dormantFraction();
    }

    public double finalDead() {
        EpochRecord e = last();
        return e == null ? (deadKind ? bornDead : 0) : e.deadFraction();
    }

    public double finalTestAccuracy() {
        EpochRecord e = last();
        return divergence != null || e == null ? Double.NaN : e.testAccuracy();
    }

    /** The test loss after the last epoch; NaN when the run diverged or no epoch finished. */
    public double finalTestLoss() {
        EpochRecord e = last();
        return divergence != null || e == null ? Double.NaN : e.testLoss();
    }

    /** True for a regression run: no epoch has a training accuracy (the trainer gives NaN for regression data). */
    public boolean regression() {
        return !history.isEmpty() && history.stream().allMatch(e -> Double.isNaN(e.trainAccuracy()));
    }
}
