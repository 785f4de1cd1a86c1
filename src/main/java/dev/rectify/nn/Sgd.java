package dev.rectify.nn;

import dev.rectify.kernels.Reductions;

/**
 * Stochastic gradient descent as {@code torch.optim.SGD} (dampening 0): with momentum {@code mu},
 * {@code v = mu v + g; w -= lr v}; with Nesterov momentum {@code w -= lr (g + mu v)}; weight decay {@code wd}
 * adds {@code wd w} to the gradient of weights (biases, slopes and batch-norm shifts do not decay). Made by
 * {@link Optimizer#sgd}; the settings below return this optimizer and may be called only before its first step.
 */
public final class Sgd extends Optimizer {
    private double momentum, weightDecay;
    private boolean nesterov;

    Sgd(double lr) {
        super(lr);
    }

    /**
     * Momentum {@code mu} in [0, 1) (0: plain SGD).
     *
     * @throws IllegalArgumentException if {@code mu} is outside [0, 1) as a float, or 0 with Nesterov momentum on
     */
    public Sgd momentum(double mu) {
        requireUnused("momentum");
        if (!(mu >= 0 && (float) mu < 1)) throw new IllegalArgumentException("momentum must be in [0, 1) as a float, was " + mu);
        if (nesterov && mu == 0) throw new IllegalArgumentException("momentum: nesterov needs momentum > 0");
        this.momentum = mu;
        return this;
    }

    /**
     * Nesterov momentum (after {@link #momentum}, which it needs).
     *
     * @throws IllegalStateException if the momentum is 0
     */
    public Sgd nesterov() {
        requireUnused("nesterov");
        if (momentum == 0) throw new IllegalStateException("nesterov needs momentum > 0: call momentum(mu) first");
        this.nesterov = true;
        return this;
    }

    /** Weight decay (L2 penalty added to the gradient), {@code >= 0}. */
    public Sgd weightDecay(double wd) {
        requireUnused("weightDecay");
        this.weightDecay = requireFloat("weightDecay", wd);
        return this;
    }

    public double momentum() { return momentum; }
    public boolean isNesterov() { return nesterov; }
    public double weightDecay() { return weightDecay; }

    @Override
    void prepare(Param p) {
        if ((float) momentum != 0f) state(p, 1);
    }

    @Override
    void update(Param p, float lr, int from, int to) {
        float[] w = p.value, g = p.grad;
        float wd = p.decays ? (float) weightDecay : 0f;
        if ((float) momentum == 0f) {
            for (int i = from; i < to; i++) w[i] -= lr * (g[i] + wd * w[i]);
            return;
        }
        float mu = (float) momentum;
        float[] v = state.get(p)[0];
        for (int i = from; i < to; i++) {
            float gi = g[i] + wd * w[i];
            v[i] = mu * v[i] + gi;
            w[i] -= lr * (nesterov ? gi + mu * v[i] : v[i]);
        }
    }

    @Override
    boolean updateAndCheck(Param p, float lr, int from, int to, Reductions check) {
        if ((float) momentum != 0f) return super.updateAndCheck(p, lr, from, to, check);
        return check.sgdStep(p.value, from, p.grad, from, lr, p.decays ? (float) weightDecay : 0f, to - from);
    }

    @Override
    public String describe() {
        return "sgd(lr " + number(lr()) + (momentum == 0 ? "" : (nesterov ? ", nesterov " : ", momentum ") + number(momentum))
                + (weightDecay == 0 ? "" : ", weight decay " + number(weightDecay)) + ")";
    }

    @Override String kind() { return "sgd"; }
    @Override double[] hyperparameters() { return new double[] {momentum, nesterov ? 1 : 0, weightDecay}; }
}
