package dev.rectify.kernels;

/**
 * An element-wise activation with its parameters, validated when it is made. The meaning of
 * {@code alpha} and {@code beta} depends on the algorithm, as in oneDNN's eltwise primitive:
 *
 * <table>
 * <caption>Formulas</caption>
 * <tr><th>algorithm</th><th>f(x)</th><th>alpha</th><th>beta</th></tr>
 * <tr><td>relu</td><td>max(0, x)</td><td>-</td><td>-</td></tr>
 * <tr><td>leakyRelu</td><td>x &gt; 0 ? x : alpha x</td><td>slope (0.01)</td><td>-</td></tr>
 * <tr><td>rrelu (inference)</td><td>x &gt; 0 ? x : (alpha + beta)/2 x</td><td>lower (1/8)</td><td>upper (1/3)</td></tr>
 * <tr><td>elu</td><td>x &gt; 0 ? x : alpha (e^x - 1)</td><td>alpha (1)</td><td>-</td></tr>
 * <tr><td>selu</td><td>lambda (x &gt; 0 ? x : alpha (e^x - 1))</td><td>-</td><td>-</td></tr>
 * <tr><td>celu</td><td>x &gt; 0 ? x : alpha (e^(x/alpha) - 1)</td><td>alpha (1)</td><td>-</td></tr>
 * <tr><td>geluErf</td><td>x Phi(x)</td><td>-</td><td>-</td></tr>
 * <tr><td>geluTanh</td><td>x / (1 + e^(-2u)), u = sqrt(2/pi)(x + 0.044715 x^3)</td><td>-</td><td>-</td></tr>
 * <tr><td>silu</td><td>x sigmoid(x)</td><td>-</td><td>-</td></tr>
 * <tr><td>mish</td><td>x tanh(softplus(x))</td><td>-</td><td>-</td></tr>
 * <tr><td>softplus</td><td>alpha x &gt; beta ? x : log(1 + e^(alpha x)) / alpha</td><td>beta (1)</td><td>threshold (20)</td></tr>
 * <tr><td>sigmoid</td><td>1 / (1 + e^-x)</td><td>-</td><td>-</td></tr>
 * <tr><td>tanh</td><td>tanh x</td><td>-</td><td>-</td></tr>
 * <tr><td>hardTanh</td><td>min(max(x, alpha), beta)</td><td>min (-1)</td><td>max (1)</td></tr>
 * <tr><td>relu6</td><td>min(max(x, 0), 6)</td><td>-</td><td>-</td></tr>
 * <tr><td>hardSigmoid</td><td>min(max(x/6 + 1/2, 0), 1)</td><td>-</td><td>-</td></tr>
 * <tr><td>hardSwish</td><td>x hardSigmoid(x)</td><td>-</td><td>-</td></tr>
 * </table>
 *
 * @param algorithm the function
 * @param alpha the first parameter (see the table), 0 when unused
 * @param beta the second parameter (see the table), 0 when unused
 */
public record Eltwise(Algorithm algorithm, float alpha, float beta) {
    /** PyTorch's default negative slope for leaky ReLU. */
    public static final float DEFAULT_LEAKY_SLOPE = 0.01f;
    /** PyTorch's default RReLU bounds. */
    public static final float DEFAULT_RRELU_LOWER = 1f / 8, DEFAULT_RRELU_UPPER = 1f / 3;
    /** SELU's constants from Klambauer et al. (2017), rounded to float. */
    public static final float SELU_ALPHA = 1.6732632423543772f, SELU_LAMBDA = 1.0507009873554805f;

    /**
     * Validates the parameters for the algorithm.
     *
     * @throws NullPointerException if algorithm is null
     * @throws IllegalArgumentException naming the parameter when it is non-finite or out of range
     */
    public Eltwise {
        if (algorithm == null) {
            throw new NullPointerException("algorithm");
        }
        String name = algorithm.apiName();
        switch (algorithm) {
            case LEAKY_RELU:
                requireFinite(name, "alpha (negative slope)", alpha);
                break;
            case RRELU:
                requireFinite(name, "alpha (lower)", alpha);
                requireFinite(name, "beta (upper)", beta);
                if (alpha < 0f) {
                    throw new IllegalArgumentException(name + ": alpha (lower) must be >= 0, was " + alpha);
                }
                if (beta < alpha) {
                    throw new IllegalArgumentException(
                            name + ": beta (upper) must be >= alpha (lower), was " + beta + " < " + alpha);
                }
                break;
            case ELU:
                requireFinite(name, "alpha", alpha);
                break;
            case CELU:
                requireFinite(name, "alpha", alpha);
                if (!(alpha > 0f)) {
                    throw new IllegalArgumentException(name + ": alpha must be > 0, was " + alpha);
                }
                break;
            case SOFTPLUS:
                requireFinite(name, "alpha (beta)", alpha);
                requireFinite(name, "beta (threshold)", beta);
                if (!(alpha > 0f)) {
                    throw new IllegalArgumentException(name + ": alpha (beta) must be > 0, was " + alpha);
                }
                break;
            case HARD_TANH:
                requireFinite(name, "alpha (min)", alpha);
                requireFinite(name, "beta (max)", beta);
                if (beta < alpha) {
                    throw new IllegalArgumentException(
                            name + ": beta (max) must be >= alpha (min), was " + beta + " < " + alpha);
                }
                break;
            default:
                if (alpha != 0f || beta != 0f) {
                    throw new IllegalArgumentException(name + " takes no parameters; alpha and beta must be 0");
                }
        }
    }

    private static void requireFinite(String algorithm, String what, float v) {
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException(algorithm + ": " + what + " must be finite, was " + v);
        }
    }

    /** The slope used for non-positive inputs by leakyRelu and rrelu (inference); 0 for relu. */
    public float negativeSlope() {
        switch (algorithm) {
            case LEAKY_RELU:
                return alpha;
            case RRELU:
                return (alpha + beta) * 0.5f;
            default:
                return 0f;
        }
    }

    /** A short description such as {@code leakyRelu(alpha=0.01)}. */
    @Override
    public String toString() {
        switch (algorithm) {
            case LEAKY_RELU: case ELU: case CELU:
                return algorithm.apiName() + "(alpha=" + alpha + ")";
            case RRELU:
                return "rrelu(lower=" + alpha + ", upper=" + beta + ")";
            case SOFTPLUS:
                return "softplus(beta=" + alpha + ", threshold=" + beta + ")";
            case HARD_TANH:
                return "hardTanh(min=" + alpha + ", max=" + beta + ")";
            default:
                return algorithm.apiName();
        }
    }

    public static Eltwise relu() { return new Eltwise(Algorithm.RELU, 0f, 0f); }
    public static Eltwise leakyRelu() { return leakyRelu(DEFAULT_LEAKY_SLOPE); }
    public static Eltwise leakyRelu(float slope) { return new Eltwise(Algorithm.LEAKY_RELU, slope, 0f); }
    /** RReLU in inference mode: a leaky ReLU with the mean slope (lower + upper) / 2. */
    public static Eltwise rrelu() { return rrelu(DEFAULT_RRELU_LOWER, DEFAULT_RRELU_UPPER); }
    public static Eltwise rrelu(float lower, float upper) { return new Eltwise(Algorithm.RRELU, lower, upper); }
    public static Eltwise elu() { return elu(1f); }
    public static Eltwise elu(float alpha) { return new Eltwise(Algorithm.ELU, alpha, 0f); }
    public static Eltwise selu() { return new Eltwise(Algorithm.SELU, 0f, 0f); }
    public static Eltwise celu() { return celu(1f); }
    public static Eltwise celu(float alpha) { return new Eltwise(Algorithm.CELU, alpha, 0f); }
    public static Eltwise geluErf() { return new Eltwise(Algorithm.GELU_ERF, 0f, 0f); }
    public static Eltwise geluTanh() { return new Eltwise(Algorithm.GELU_TANH, 0f, 0f); }
    public static Eltwise silu() { return new Eltwise(Algorithm.SILU, 0f, 0f); }
    public static Eltwise mish() { return new Eltwise(Algorithm.MISH, 0f, 0f); }
    public static Eltwise softplus() { return softplus(1f, 20f); }
    public static Eltwise softplus(float beta, float threshold) { return new Eltwise(Algorithm.SOFTPLUS, beta, threshold); }
    public static Eltwise sigmoid() { return new Eltwise(Algorithm.SIGMOID, 0f, 0f); }
    public static Eltwise tanh() { return new Eltwise(Algorithm.TANH, 0f, 0f); }
    public static Eltwise hardTanh() { return hardTanh(-1f, 1f); }
    public static Eltwise hardTanh(float min, float max) { return new Eltwise(Algorithm.HARD_TANH, min, max); }
    public static Eltwise relu6() { return new Eltwise(Algorithm.RELU6, 0f, 0f); }
    public static Eltwise hardSigmoid() { return new Eltwise(Algorithm.HARD_SIGMOID, 0f, 0f); }
    public static Eltwise hardSwish() { return new Eltwise(Algorithm.HARD_SWISH, 0f, 0f); }

    /** The algorithm's default parameters, e.g. slope 0.01 for leakyRelu. */
    public static Eltwise defaults(Algorithm algorithm) {
        switch (algorithm) {
            case LEAKY_RELU: return leakyRelu();
            case RRELU: return rrelu();
            case ELU: return elu();
            case CELU: return celu();
            case SOFTPLUS: return softplus();
            case HARD_TANH: return hardTanh();
            default: return new Eltwise(algorithm, 0f, 0f);
        }
    }
}
