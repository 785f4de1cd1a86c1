package dev.rectify.nn;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients. Each optimizer instance keeps per-parameter state (momentum, Adam
 * moments) and belongs to one network. Definitions follow PyTorch's {@code torch.optim}.
 */
public abstract class Optimizer {
    protected final double weightDecay;
    protected final Map<Param, float[][]> state = new IdentityHashMap<>();
    /** Updates applied per parameter (Adam's bias correction needs it). */
    protected final Map<Param, long[]> steps = new IdentityHashMap<>();

    protected Optimizer(double weightDecay) {
        requireFloat("weightDecay", weightDecay);
        this.weightDecay = weightDecay;
    }

    /**
     * One update of every parameter with learning rate {@code lr}.
     *
     * @throws IllegalArgumentException if {@code lr} is negative, NaN, or not finite as a float (the precision the
     *         update uses: 1e39 is a finite double but an infinite float)
     */
    public final void step(List<Param> params, double lr) {
        requireFloat("lr", lr);
        for (Param p : params) update(p, (float) lr);
    }

    /**
     * Hyper-parameters are used as floats: a value must be {@code >= 0} and finite after the cast, or the update
     * would silently write infinities.
     */
    static void requireFloat(String name, double v) {
        if (!(v >= 0) || !Float.isFinite((float) v)) {
            throw new IllegalArgumentException(name + " must be >= 0 and finite as a float (at most " + Float.MAX_VALUE
                    + "), was " + v);
        }
    }

    protected abstract void update(Param p, float lr);

    public abstract String describe();

    /** {@code sgd} or {@code adam}: with {@link #hyperparameters()} enough to rebuild the optimizer. */
    abstract String kind();

    /** sgd: momentum, nesterov (0/1), weight decay; adam: beta1, beta2, eps, weight decay, decoupled (0/1). */
    abstract double[] hyperparameters();

    /** Rebuilds an optimizer from {@link #kind()} and {@link #hyperparameters()}. */
    static Optimizer of(String kind, double[] h) {
        switch (kind) {
            case "sgd":
                if (h.length != 3) break;
                return sgd(h[0], h[1] != 0, h[2]);
            case "adam":
                if (h.length != 5) break;
                return adam(h[0], h[1], h[2], h[3], h[4] != 0);
            default:
                throw new IllegalArgumentException("unknown optimizer kind '" + kind + "'");
        }
        throw new IllegalArgumentException(kind + ": wrong number of hyperparameters: " + h.length);
    }

    protected float[][] state(Param p, int slots) {
        return state.computeIfAbsent(p, k -> new float[slots][k.size()]);
    }

    /**
     * SGD, optionally with momentum (PyTorch's form: {@code v = mu v + g; w -= lr v}) or Nesterov momentum
     * ({@code w -= lr (g + mu v)}); weight decay adds {@code wd * w} to the gradient of decaying parameters.
     */
    public static Optimizer sgd(double momentum, boolean nesterov, double weightDecay) {
        if (!(momentum >= 0 && (float) momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1) as a float, was " + momentum);
        if (nesterov && momentum == 0) throw new IllegalArgumentException("nesterov needs momentum > 0");
        final float mu = (float) momentum;
        return new Optimizer(weightDecay) {
            @Override
            protected void update(Param p, float lr) {
                float[] w = p.value, g = p.grad;
                float wd = p.decays ? (float) weightDecay : 0f;
                if (mu == 0f) {
                    for (int i = 0; i < w.length; i++) w[i] -= lr * (g[i] + wd * w[i]);
                    return;
                }
                float[] v = state(p, 1)[0];
                for (int i = 0; i < w.length; i++) {
                    float gi = g[i] + wd * w[i];
                    v[i] = mu * v[i] + gi;
                    w[i] -= lr * (nesterov ? gi + mu * v[i] : v[i]);
                }
            }

            @Override
            public String describe() {
                return momentum == 0 ? "sgd" : (nesterov ? "sgd(nesterov " : "sgd(momentum ") + momentum + ")";
            }

            @Override String kind() { return "sgd"; }
            @Override double[] hyperparameters() { return new double[] {momentum, nesterov ? 1 : 0, weightDecay}; }
        };
    }

    /**
     * Adam (Kingma and Ba) with bias correction; {@code decoupled} selects AdamW (Loshchilov and Hutter):
     * weight decay shrinks the weights directly ({@code w -= lr wd w}) instead of entering the gradient.
     */
    public static Optimizer adam(double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        // Checked as floats: 0.99999999 rounds to 1f, and 1e-50 to 0f (a division by zero in the update).
        if (!(beta1 >= 0 && (float) beta1 < 1)) throw new IllegalArgumentException("beta1 must be in [0, 1) as a float, was " + beta1);
        if (!(beta2 >= 0 && (float) beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1) as a float, was " + beta2);
        if (!(eps > 0 && (float) eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be > 0 and finite as a float, was " + eps);
        }
        return new Optimizer(weightDecay) {
            @Override
            protected void update(Param p, float lr) {
                float[] w = p.value, g = p.grad;
                float[][] s = state(p, 2);
                float[] m = s[0], v = s[1];
                long t = ++steps.computeIfAbsent(p, k -> new long[1])[0];
                double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
                float step = (float) (lr / c1), invC2 = (float) (1 / c2);
                float b1 = (float) beta1, b2 = (float) beta2, e = (float) eps;
                float wd = p.decays ? (float) weightDecay : 0f;
                for (int i = 0; i < w.length; i++) {
                    float gi = decoupled ? g[i] : g[i] + wd * w[i];
                    if (decoupled) w[i] -= lr * wd * w[i];
                    m[i] = b1 * m[i] + (1 - b1) * gi;
                    v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                    w[i] -= step * m[i] / ((float) Math.sqrt(v[i] * invC2) + e);
                }
            }

            @Override
            public String describe() {
                return (decoupled ? "adamw" : "adam") + "(" + beta1 + ", " + beta2 + ")";
            }

            @Override String kind() { return "adam"; }
            @Override double[] hyperparameters() { return new double[] {beta1, beta2, eps, weightDecay, decoupled ? 1 : 0}; }
        };
    }
}
