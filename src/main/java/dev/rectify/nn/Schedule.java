package dev.rectify.nn;

/**
 * Modifies the optimizer's learning rate per epoch, as PyTorch's {@code lr_scheduler}s do: the rate of epoch
 * {@code epoch} (from 0) of a run of {@code epochs} epochs, given the optimizer's rate {@code lr}. The trainer
 * asks once per epoch; the result must be {@code >= 0} and finite as a float.
 */
@FunctionalInterface
public interface Schedule {
    double lr(double lr, int epoch, int epochs);

    /** The optimizer's rate throughout. */
    static Schedule constant() {
        return (lr, e, n) -> lr;
    }

    /** {@code lr * gamma^(epoch / every)}, as PyTorch's StepLR. */
    static Schedule step(int every, double gamma) {
        if (every <= 0) throw new IllegalArgumentException("every must be > 0, was " + every);
        if (!(gamma > 0 && gamma <= 1)) throw new IllegalArgumentException("gamma must be in (0, 1], was " + gamma);
        return (lr, e, n) -> lr * Math.pow(gamma, e / every);
    }

    /** Cosine annealing from the rate to 0 over the run (PyTorch's CosineAnnealingLR with eta_min 0, T_max = epochs). */
    static Schedule cosine() {
        return (lr, e, n) -> 0.5 * lr * (1 + Math.cos(Math.PI * e / n));
    }

    /** Linear warm-up: epoch {@code e < warmup} trains at {@code after}'s rate times {@code (e + 1) / warmup}. */
    static Schedule warmup(int warmup, Schedule after) {
        if (warmup <= 0) throw new IllegalArgumentException("warmup must be > 0, was " + warmup);
        java.util.Objects.requireNonNull(after, "after");
        return (lr, e, n) -> e < warmup ? after.lr(lr, e, n) * (e + 1) / warmup : after.lr(lr, e, n);
    }
}
