package dev.rectify.nn;

import dev.rectify.kernels.Reductions;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients, as {@code torch.optim} does: {@link #sgd}, {@link #adam} and
 * {@link #adamW} with PyTorch's defaults, configured fluently before the first step:
 * <pre>{@code
 *   Optimizer.sgd(0.05).momentum(0.9).nesterov()
 *   Optimizer.adam(1e-3)
 *   Optimizer.adamW(1e-3, 0.01)
 * }</pre>
 * The learning rate belongs to the optimizer; a {@link Schedule} given to the {@link Trainer} modifies it per epoch.
 * Each optimizer keeps per-parameter state (momentum buffers, Adam's moments) and belongs to one network.
 *
 * <p>Numerical contract: hyper-parameters are doubles checked to be usable as floats (the update runs in float);
 * each element's update is the documented formula evaluated in float, in parameter order, so the same gradients
 * give the same bits.
 */
public abstract sealed class Optimizer permits Sgd, Adam {
    final Map<Param, float[][]> state = new IdentityHashMap<>();
    /** Updates applied per parameter (Adam's bias correction needs it). */
    final Map<Param, long[]> steps = new IdentityHashMap<>();
    private double lr;

    Optimizer(double lr) {
        this.lr = requireLr(lr);
    }

    /** Plain SGD at learning rate {@code lr}: no momentum, no weight decay ({@code torch.optim.SGD}'s defaults). */
    public static Sgd sgd(double lr) {
        return new Sgd(lr);
    }

    /**
     * Adam at learning rate {@code lr} with {@code torch.optim.Adam}'s defaults: betas (0.9, 0.999), eps 1e-8, no
     * weight decay.
     */
    public static Adam adam(double lr) {
        return new Adam(lr, false);
    }

    /**
     * AdamW (decoupled weight decay, Loshchilov and Hutter) at learning rate {@code lr} with weight decay
     * {@code weightDecay} (PyTorch's default is 0.01), betas (0.9, 0.999), eps 1e-8.
     */
    public static Adam adamW(double lr, double weightDecay) {
        return new Adam(lr, true).weightDecay(weightDecay);
    }

    /** The learning rate: the rate of every step, before a trainer's schedule and warm-up modify it. */
    public final double lr() {
        return lr;
    }

    /**
     * Sets the learning rate and keeps the state (momentum, moments): as setting a PyTorch parameter group's
     * {@code lr}, for example when a run continues from a checkpoint with another rate.
     *
     * @throws IllegalArgumentException if {@code lr} is not positive and finite as a float
     */
    public final void setLr(double lr) {
        this.lr = requireLr(lr);
    }

    /** One update of every parameter at {@link #lr()}. */
    public final void step(List<Param> params) {
        step(params, lr);
    }

    /** One update at rate {@code lr} (the trainer's scheduled rate). */
    final void step(List<Param> params, double lr) {
        float rate = checkedLr(lr);
        for (Param p : params) {
            prepare(p);
            update(p, rate, 0, p.size());
        }
    }

    /** The step's rate as a float, checked: for {@link #step(List, double)} and callers that update in ranges. */
    final float checkedLr(double lr) {
        if (Double.isNaN(this.lr)) {
            throw new IllegalStateException("lr: this optimizer was loaded from a checkpoint written before the learning rate was "
                    + "stored; call setLr first");
        }
        requireFloat("lr", lr);
        return (float) lr;
    }

    /**
     * Starts one step of {@code p}: allocates its state and counts the step. Called once per parameter and step,
     * before any of its {@link #update} ranges, on the stepping thread.
     */
    abstract void prepare(Param p);

    /**
     * Updates elements [from, to) of {@code p} after {@link #prepare}. Element-wise, so the ranges of one step
     * may run concurrently and in any order with the same bits as one pass; must not change the maps.
     */
    abstract void update(Param p, float lr, int from, int to);

    /** {@link #update} of [from, to), then whether every updated value is finite. */
    boolean updateAndCheck(Param p, float lr, int from, int to, Reductions check) {
        update(p, lr, from, to);
        return check.allFinite(p.value, from, to - from);
    }

    /** The optimizer and its settings, for logs and reports, e.g. {@code sgd(lr 0.05, momentum 0.9)}. */
    public abstract String describe();

    @Override
    public String toString() {
        return describe();
    }

    /** {@code sgd} or {@code adam}: with {@link #hyperparameters()} enough to rebuild the optimizer. */
    abstract String kind();

    /** The settings besides the learning rate, as {@link #of} reads them back. */
    abstract double[] hyperparameters();

    /** Rebuilds an optimizer from {@link #kind()}, its learning rate (NaN: unknown) and {@link #hyperparameters()}. */
    static Optimizer of(String kind, double lr, double[] h) {
        Optimizer o;
        switch (kind) {
            case "sgd":
                if (h.length != 3) throw new IllegalArgumentException(kind + ": wrong number of hyperparameters: " + h.length);
                Sgd s = new Sgd(1).momentum(h[0]).weightDecay(h[2]);
                o = h[1] != 0 ? s.nesterov() : s;
                break;
            case "adam":
                if (h.length != 5) throw new IllegalArgumentException(kind + ": wrong number of hyperparameters: " + h.length);
                o = new Adam(1, h[4] != 0).betas(h[0], h[1]).eps(h[2]).weightDecay(h[3]);
                break;
            default:
                throw new IllegalArgumentException("unknown optimizer kind '" + kind + "'");
        }
        if (Double.isNaN(lr)) o.lr = Double.NaN;
        else o.setLr(lr);
        return o;
    }

    final float[][] state(Param p, int slots) {
        return state.computeIfAbsent(p, k -> new float[slots][k.size()]);
    }

    /** Settings change the update's meaning, so they are fixed once state exists. */
    final void requireUnused(String setting) {
        if (!state.isEmpty() || !steps.isEmpty()) {
            throw new IllegalStateException(setting + ": set it before the first step (this optimizer already holds state)");
        }
    }

    static double requireLr(double lr) {
        if (!(lr > 0) || !Float.isFinite((float) lr) || (float) lr == 0f) {
            throw new IllegalArgumentException("lr must be > 0 and finite as a float (between " + Float.MIN_VALUE + " and "
                    + Float.MAX_VALUE + "), was " + lr);
        }
        return lr;
    }

    /**
     * Hyper-parameters are used as floats: a value must be {@code >= 0} and finite after the cast, or the update
     * would silently write infinities.
     */
    static double requireFloat(String name, double v) {
        if (!(v >= 0) || !Float.isFinite((float) v)) {
            throw new IllegalArgumentException(name + " must be >= 0 and finite as a float (at most " + Float.MAX_VALUE
                    + "), was " + v);
        }
        return v;
    }

    /** A setting as a user typed it: 0.0001, not 1.0E-4. */
    static String number(double v) {
        return Double.isFinite(v) ? java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString() : Double.toString(v);
    }
}
