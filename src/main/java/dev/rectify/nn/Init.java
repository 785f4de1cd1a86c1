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
    UNIFORM,
    /**
     * Randomized asymmetric initialization (RAI) of Lu, Shin, Su and Karniadakis, "Dying ReLU and Initialization:
     * Theory and Numerical Examples" (arXiv 1903.06733, Commun. Comput. Phys. 28, 2020), Section 4, with sigma from
     * its second-moment analysis (Section 4.2) for P = Beta(2, 1): each unit's
     * {@code fanIn} weights and its bias form one row of {@code fanIn + 1} parameters; one position of the row,
     * chosen uniformly, is drawn from the asymmetric P = Beta(2, 1) (mean 2/3, second moment 1/2), every other
     * position from N(0, sigma^2 / fanIn) with the paper's sigma = {@value #RAI_SIGMA} for that P. So each
     * parameter has mean (2/3) / (fanIn + 1) and second moment (1/2 + sigma^2) / (fanIn + 1). The positive entry
     * makes a unit active on part of any input set with high probability, so a deep narrow ReLU net is rarely born
     * dead. It always sets the bias; the bias rule is ignored.
     */
    RAI,
    /**
     * RAI with the symmetric part drawn from N(0, sigma^2 / (fanIn + 1)) instead of N(0, sigma^2 / fanIn): the
     * variant Rectify shipped as {@code rai} until 2026-12, kept so earlier results can be reproduced. It differs
     * from {@link #RAI} only by the factor sqrt(fanIn / (fanIn + 1)) on the symmetric part.
     */
    RAI_FAN_IN_PLUS_ONE;

    /** RAI's sigma for P = Beta(2, 1): the symmetric part's standard deviation is sigma / sqrt(fanIn). */
    public static final double RAI_SIGMA = 0.6007;

    /** Whether this is {@link #RAI} or its variant: weights and biases drawn together, the bias rule ignored. */
    public boolean isRai() {
        return this == RAI || this == RAI_FAN_IN_PLUS_ONE;
    }

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

    /** How a layer's biases start. */
    public record Bias(Kind kind, double value) {
        public enum Kind { CONSTANT, LIKE_WEIGHTS }

        public Bias {
            java.util.Objects.requireNonNull(kind, "kind");
            // Biases are floats: 1e39 is a finite double but would start every unit at infinity.
            if (!Float.isFinite((float) value)) {
                throw new IllegalArgumentException("bias value must be finite as a float (|value| <= " + Float.MAX_VALUE + "), was " + value);
            }
        }

        /** Every bias 0. */
        public static Bias zero() { return new Bias(Kind.CONSTANT, 0); }

        /** Every bias the same value; a negative one is how dead units are reproduced on purpose. */
        public static Bias constant(double value) { return new Bias(Kind.CONSTANT, value); }

        /** Each bias drawn from the weights' distribution, as if it were one more weight of its unit. */
        public static Bias likeWeights() { return new Bias(Kind.LIKE_WEIGHTS, 0); }

        @Override
        public String toString() {
            return kind == Kind.LIKE_WEIGHTS ? "init" : Double.toString(value);
        }
    }

    /**
     * Fills a dense layer's weights {@code w} (fanIn x fanOut, row-major: unit j's weights are column j) and
     * biases {@code b} (fanOut). {@code scale} is used by NORMAL and UNIFORM only; RAI ignores {@code bias}.
     */
    public void fill(float[] w, float[] b, int fanIn, int fanOut, double gain, double scale, Bias bias,
                     SplittableRandom random) {
        if (b.length != fanOut) throw new IllegalArgumentException("b.length != fanOut");
        if (isRai()) {
            if ((long) fanIn * fanOut != w.length) throw new IllegalArgumentException("w.length != fanIn * fanOut");
            double std = RAI_SIGMA / Math.sqrt(this == RAI ? fanIn : fanIn + 1.0);
            for (int j = 0; j < fanOut; j++) {
                for (int i = 0; i < fanIn; i++) w[i * fanOut + j] = (float) (std * random.nextGaussian());
                b[j] = (float) (std * random.nextGaussian());
                int k = random.nextInt(fanIn + 1);
                float positive = (float) Math.sqrt(random.nextDouble()); // Beta(2, 1): CDF x^2, so sqrt(U)
                if (k == fanIn) b[j] = positive;
                else w[k * fanOut + j] = positive;
            }
            return;
        }
        fill(w, fanIn, fanOut, gain, scale, random);
        if (bias.kind() == Bias.Kind.CONSTANT) {
            java.util.Arrays.fill(b, (float) bias.value());
        } else {
            draw(b, spread(fanIn, fanOut, gain, scale), random);
        }
    }

    /**
     * Fills {@code w} (fanIn x fanOut) from this distribution; {@code scale} is used by NORMAL and UNIFORM only.
     * Not for RAI, which needs the biases: see {@link #fill(float[], float[], int, int, double, double, Bias, SplittableRandom)}.
     */
    public void fill(float[] w, int fanIn, int fanOut, double gain, double scale, SplittableRandom random) {
        if ((long) fanIn * fanOut != w.length) throw new IllegalArgumentException("w.length != fanIn * fanOut");
        if (isRai()) throw new IllegalArgumentException("RAI initializes weights and biases together: use the fill that takes b");
        draw(w, spread(fanIn, fanOut, gain, scale), random);
    }

    /** The standard deviation (normal kinds) or the bound (uniform kinds) for a layer's weights. */
    private double spread(int fanIn, int fanOut, double gain, double scale) {
        switch (this) {
            case HE_NORMAL: return gain / Math.sqrt(fanIn);
            case HE_UNIFORM: return gain * Math.sqrt(3.0 / fanIn);
            case XAVIER_NORMAL: return gain * Math.sqrt(2.0 / (fanIn + fanOut));
            case XAVIER_UNIFORM: return gain * Math.sqrt(6.0 / (fanIn + fanOut));
            case LECUN_NORMAL: return 1 / Math.sqrt(fanIn);
            case NORMAL: case UNIFORM: return scale;
            default: throw new AssertionError(this);
        }
    }

    private void draw(float[] a, double spread, SplittableRandom random) {
        boolean uniform = this == HE_UNIFORM || this == XAVIER_UNIFORM || this == UNIFORM;
        if (uniform) uniform(a, spread, random);
        else normal(a, spread, random);
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
