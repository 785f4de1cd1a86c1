package dev.rectify.kernels;

/**
 * The element-wise activation functions. Each has a forward pass, a derivative and a backward pass
 * from its input; those marked {@link #hasBackwardFromOutput()} can also back-propagate from their
 * output, so a trainer need not keep the input.
 *
 * <p>{@link #apiName()} is the stable lower-camel name used by benchmarks, reports and the command line.
 * PReLU (learned per-channel slopes) and RReLU in training mode (a random slope per element) need extra
 * arrays and have their own methods on {@link ActivationKernels}; {@link #RRELU} here is RReLU's
 * inference mode, a leaky ReLU with slope (lower + upper) / 2.
 */
public enum Algorithm {
    RELU("relu", true, true),
    LEAKY_RELU("leakyRelu", true, true),
    RRELU("rrelu", true, true),
    ELU("elu", false, true),
    SELU("selu", false, false),
    CELU("celu", false, false),
    GELU_ERF("geluErf", false, false),
    GELU_TANH("geluTanh", false, false),
    SILU("silu", false, false),
    MISH("mish", false, false),
    SOFTPLUS("softplus", false, false),
    SIGMOID("sigmoid", false, true),
    TANH("tanh", false, true),
    HARD_TANH("hardTanh", true, false),
    RELU6("relu6", true, false),
    HARD_SIGMOID("hardSigmoid", true, false),
    HARD_SWISH("hardSwish", false, false);

    private final String apiName;
    private final boolean piecewiseLinear;
    private final boolean backwardFromOutput;

    Algorithm(String apiName, boolean piecewiseLinear, boolean backwardFromOutput) {
        this.apiName = apiName;
        this.piecewiseLinear = piecewiseLinear;
        this.backwardFromOutput = backwardFromOutput;
    }

    /** The stable name, e.g. {@code "leakyRelu"}. */
    public String apiName() {
        return apiName;
    }

    /** True for functions made of linear pieces; their results never round differently between paths. */
    public boolean isPiecewiseLinear() {
        return piecewiseLinear;
    }

    /** True when {@link ActivationKernels#backwardFromOutput} supports this function. */
    public boolean hasBackwardFromOutput() {
        return backwardFromOutput;
    }

    /**
     * The algorithm a person means by {@code name}: its {@link #apiName()} in any letter case, with or without
     * {@code -} or {@code _} between the words ({@code leakyRelu}, {@code leaky-relu}, {@code LEAKY_RELU}), or one
     * of the aliases {@code leaky} (leakyRelu), {@code gelu} (geluErf, PyTorch's default GELU) and {@code swish}
     * (silu). The one parser of activation names for the command line and configuration files; checkpoints use
     * the strict {@link #fromApiName}.
     *
     * @throws IllegalArgumentException naming the known names when there is no such algorithm
     */
    public static Algorithm fromName(String name) {
        java.util.Objects.requireNonNull(name, "name");
        String k = normalized(name);
        switch (k) {
            case "leaky": return LEAKY_RELU;
            case "gelu": return GELU_ERF;
            case "swish": return SILU;
            default: break;
        }
        for (Algorithm a : values()) {
            if (normalized(a.apiName).equals(k)) {
                return a;
            }
        }
        return fromApiName(name); // throws, naming the known names
    }

    private static String normalized(String name) {
        return name.trim().toLowerCase(java.util.Locale.ROOT).replace("-", "").replace("_", "");
    }

    /**
     * The algorithm with this {@link #apiName()}.
     *
     * @throws IllegalArgumentException naming the known names when there is no such algorithm
     */
    public static Algorithm fromApiName(String name) {
        for (Algorithm a : values()) {
            if (a.apiName.equals(name)) {
                return a;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Algorithm a : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(a.apiName);
        }
        throw new IllegalArgumentException("name: unknown activation '" + name + "'; known: " + known);
    }
}
