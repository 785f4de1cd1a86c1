package dev.rectify.nn;

/** The learning rate for an epoch (0-based) of a run of {@code epochs} epochs. */
@FunctionalInterface
public interface Schedule {
    double lr(int epoch, int epochs);

    static Schedule constant(double lr) {
        requireLr(lr);
        return (e, n) -> lr;
    }

    /** lr * gamma^(epoch / every), as PyTorch's StepLR. */
    static Schedule step(double lr, int every, double gamma) {
        requireLr(lr);
        if (every <= 0) throw new IllegalArgumentException("every must be > 0, was " + every);
        if (!(gamma > 0 && gamma <= 1)) throw new IllegalArgumentException("gamma must be in (0, 1], was " + gamma);
        return (e, n) -> lr * Math.pow(gamma, e / every);
    }

    /** Cosine annealing from lr to 0 over the run (PyTorch's CosineAnnealingLR with eta_min 0, T_max = epochs). */
    static Schedule cosine(double lr) {
        requireLr(lr);
        return (e, n) -> 0.5 * lr * (1 + Math.cos(Math.PI * e / n));
    }

    /** Linear warm-up from lr/warmup to lr over the first {@code warmup} epochs, then {@code after}. */
    static Schedule warmup(int warmup, Schedule after) {
        if (warmup <= 0) throw new IllegalArgumentException("warmup must be > 0, was " + warmup);
        return (e, n) -> e < warmup ? after.lr(e, n) * (e + 1) / warmup : after.lr(e, n);
    }

    /** The optimizer uses the rate as a float: it must be positive and finite there, not only as a double. */
    private static void requireLr(double lr) {
        if (!(lr > 0) || !Float.isFinite((float) lr) || (float) lr == 0f) {
            throw new IllegalArgumentException("lr must be > 0 and finite as a float (between " + Float.MIN_VALUE + " and "
                    + Float.MAX_VALUE + "), was " + lr);
        }
    }
}
