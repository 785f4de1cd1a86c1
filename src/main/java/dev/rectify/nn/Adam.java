package dev.rectify.nn;

/**
 * Adam (Kingma and Ba) with bias correction, as {@code torch.optim.Adam}; AdamW ({@link Optimizer#adamW}) decays
 * weights directly ({@code w -= lr wd w}, Loshchilov and Hutter) instead of adding {@code wd w} to the gradient.
 * Per element, in float: {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * w -= (lr / (1 - b1^t)) m / (sqrt(v / (1 - b2^t)) + eps)}. Made by {@link Optimizer#adam} or
 * {@link Optimizer#adamW}; the settings below return this optimizer and may be called only before its first step.
 */
public final class Adam extends Optimizer {
    private double beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay;
    private final boolean decoupled;

    Adam(double lr, boolean decoupled) {
        super(lr);
        this.decoupled = decoupled;
    }

    /**
     * The moments' decay rates, each in [0, 1) as a float (defaults 0.9 and 0.999).
     *
     * @throws IllegalArgumentException naming {@code beta1} or {@code beta2} if one is outside [0, 1) as a float
     */
    public Adam betas(double beta1, double beta2) {
        requireUnused("betas");
        // Checked as floats: 0.99999999 rounds to 1f.
        if (!(beta1 >= 0 && (float) beta1 < 1)) throw new IllegalArgumentException("beta1 must be in [0, 1) as a float, was " + beta1);
        if (!(beta2 >= 0 && (float) beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1) as a float, was " + beta2);
        this.beta1 = beta1;
        this.beta2 = beta2;
        return this;
    }

    /** The denominator's guard, {@code > 0} and finite as a float (default 1e-8; 1e-50 would round to 0f). */
    public Adam eps(double eps) {
        requireUnused("eps");
        if (!(eps > 0 && (float) eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be > 0 and finite as a float, was " + eps);
        }
        this.eps = eps;
        return this;
    }

    /** Weight decay, {@code >= 0}: L2 in the gradient for Adam, decoupled for AdamW. */
    public Adam weightDecay(double wd) {
        requireUnused("weightDecay");
        this.weightDecay = requireFloat("weightDecay", wd);
        return this;
    }

    public double beta1() { return beta1; }
    public double beta2() { return beta2; }
    public double eps() { return eps; }
    public double weightDecay() { return weightDecay; }
    /** True for AdamW. */
    public boolean isDecoupled() { return decoupled; }

    @Override
    void prepare(Param p) {
        state(p, 2);
        ++steps.computeIfAbsent(p, k -> new long[1])[0];
    }

    @Override
    void update(Param p, float lr, int from, int to) {
        float[] w = p.value, g = p.grad;
        float[][] s = state.get(p);
        float[] m = s[0], v = s[1];
        long t = steps.get(p)[0];
        double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
        float step = (float) (lr / c1), invC2 = (float) (1 / c2);
        float b1 = (float) beta1, b2 = (float) beta2, e = (float) eps;
        float wd = p.decays ? (float) weightDecay : 0f;
        for (int i = from; i < to; i++) {
            float gi = decoupled ? g[i] : g[i] + wd * w[i];
            if (decoupled) w[i] -= lr * wd * w[i];
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            w[i] -= step * m[i] / ((float) Math.sqrt(v[i] * invC2) + e);
        }
    }

    @Override
    public String describe() {
        return (decoupled ? "adamw" : "adam") + "(lr " + number(lr()) + ", betas " + number(beta1) + " " + number(beta2)
                + (eps == 1e-8 ? "" : ", eps " + number(eps)) + (weightDecay == 0 ? "" : ", weight decay " + number(weightDecay)) + ")";
    }

    @Override String kind() { return "adam"; }
    @Override double[] hyperparameters() { return new double[] {beta1, beta2, eps, weightDecay, decoupled ? 1 : 0}; }
}
