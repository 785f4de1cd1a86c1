package dev.rectify.nn;

import dev.rectify.kernels.Algorithm;
import dev.rectify.kernels.Eltwise;

import java.util.SplittableRandom;

/**
 * Weight initializers for a dense layer with {@code fanIn} inputs and {@code fanOut} outputs, following PyTorch's
 * {@code torch.nn.init} definitions. The gain depends on the activation that follows (see {@link #gain}).
 */
public enum Init {
    /** He/Kaiming normal: N(0, (gain^2 / fanIn)). */
    HE_NORMAL,
    /** He/Kaiming uniform: U(-b, b), b = gain * sqrt(3 / fanIn). */
    HE_UNIFORM,
    /** Xavier/Glorot normal: N(0, gain^2 * 2 / (fanIn + fanOut)). */
    XAVIER_NORMAL,
    /** Xavier/Glorot uniform: U(-b, b), b = gain * sqrt(6 / (fanIn + fanOut)). */
    XAVIER_UNIFORM,
    /** LeCun normal: N(0, 1 / fanIn), the initialization SELU's self-normalization assumes. */
    LECUN_NORMAL,
    /** N(0, scale^2), no fan scaling: scale 1 is the classic way to blow up or kill a deep ReLU net. */
    NORMAL,
    /** U(-scale, scale). */
    UNIFORM;

    /**
     * The gain for an activation (PyTorch's {@code calculate_gain}): sqrt(2) for ReLU and its smooth relatives
     * (ELU, CELU, GELU, SiLU, Mish, softplus, RReLU at its mean slope treated as leaky), sqrt(2 / (1 + a^2)) for a
     * leaky slope a, 5/3 for tanh, 3/4 for SELU (PyTorch's value, only used with He/Xavier; SELU's intended
     * init is {@link #LECUN_NORMAL}), 1 for sigmoid, hard sigmoid and linear (null).
     */
    public static double gain(Eltwise activation) {
        if (activation == null) return 1;
        Algorithm a = activation.algorithm();
        switch (a) {
            case LEAKY_RELU: case RRELU: {
                double s = activation.negativeSlope();
                return Math.sqrt(2 / (1 + s * s));
            }
            case TANH: case HARD_TANH: return 5.0 / 3;
            case SELU: return 0.75;
            case SIGMOID: case HARD_SIGMOID: return 1;
            default: return Math.sqrt(2);
        }
    }

    /** Fills {@code w} (fanIn x fanOut) from this distribution; {@code scale} is used by NORMAL and UNIFORM only. */
    public void fill(float[] w, int fanIn, int fanOut, double gain, double scale, SplittableRandom random) {
        if ((long) fanIn * fanOut != w.length) throw new IllegalArgumentException("w.length != fanIn * fanOut");
        switch (this) {
            case HE_NORMAL: normal(w, gain / Math.sqrt(fanIn), random); break;
            case HE_UNIFORM: uniform(w, gain * Math.sqrt(3.0 / fanIn), random); break;
            case XAVIER_NORMAL: normal(w, gain * Math.sqrt(2.0 / (fanIn + fanOut)), random); break;
            case XAVIER_UNIFORM: uniform(w, gain * Math.sqrt(6.0 / (fanIn + fanOut)), random); break;
            case LECUN_NORMAL: normal(w, 1 / Math.sqrt(fanIn), random); break;
            case NORMAL: normal(w, scale, random); break;
            case UNIFORM: uniform(w, scale, random); break;
            default: throw new AssertionError(this);
        }
    }

    static void normal(float[] w, double std, SplittableRandom random) {
        for (int i = 0; i < w.length; i++) w[i] = (float) (std * random.nextGaussian());
    }

    static void uniform(float[] w, double bound, SplittableRandom random) {
        for (int i = 0; i < w.length; i++) w[i] = (float) (bound * (2 * random.nextDouble() - 1));
    }

    /** The lower-case name with dashes, e.g. {@code he-normal}. */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
