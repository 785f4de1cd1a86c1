package dev.rectify.kernels;

/**
 * Double-precision definitions of every activation, written from the formulas (not from the kernels),
 * used as the accuracy reference. Piecewise branches are decided on the float input exactly as the
 * documented conventions say.
 */
public final class Reference {
    private Reference() {}

    static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    static final double SELU_LAMBDA = 1.0507009873554804934193349852946;

    /** f(x) in double. */
    public static double forward(Eltwise op, float xf) {
        double x = xf, a = op.alpha(), b = op.beta();
        if (xf == Float.NEGATIVE_INFINITY && vanishesAtMinusInfinity(op.algorithm())) {
            return -0.0; // the documented limit x g(x) -> -0 where the double formula gives -inf * 0 = NaN
        }
        switch (op.algorithm()) {
            case RELU: return Math.max(x, 0);
            case LEAKY_RELU: case RRELU: return x > 0 ? x : x * op.negativeSlope();
            case ELU: return x > 0 ? x : a * Math.expm1(x);
            case SELU: return SELU_LAMBDA * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
            case CELU: return x > 0 ? x : a * Math.expm1(x / a);
            case GELU_ERF: return x * normalCdf(x);
            case GELU_TANH: {
                double u = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
                return x / (1 + Math.exp(-2 * u));
            }
            case SILU: return x / (1 + Math.exp(-x));
            case MISH: return x * Math.tanh(softplus(x));
            case SOFTPLUS: return (float) (a * xf) > b ? x : softplus(a * x) / a;
            case SIGMOID: return 1 / (1 + Math.exp(-x));
            case TANH: return Math.tanh(x);
            case HARD_TANH: return Math.min(Math.max(x, a), b);
            case RELU6: return Math.min(Math.max(x, 0), 6);
            case HARD_SIGMOID: return hardSigmoid(x);
            case HARD_SWISH: return x * hardSigmoid(x);
            default: throw new AssertionError(op);
        }
    }

    /** f'(x) in double, with the library's kink conventions. */
    public static double derivative(Eltwise op, float xf) {
        double x = xf, a = op.alpha(), b = op.beta();
        if (Float.isInfinite(xf) && vanishesAtMinusInfinity(op.algorithm())) {
            return xf > 0 ? 1 : 0; // limits of the self-gated functions' slopes
        }
        switch (op.algorithm()) {
            case RELU: return x > 0 ? 1 : 0;
            case LEAKY_RELU: case RRELU: return x > 0 ? 1 : op.negativeSlope();
            case ELU: return x > 0 ? 1 : a * Math.exp(x);
            case SELU: return SELU_LAMBDA * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x));
            case CELU: return x > 0 ? 1 : Math.exp(x / a);
            case GELU_ERF: return normalCdf(x) + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
            case GELU_TANH: {
                double c = Math.sqrt(2 / Math.PI);
                double z = 2 * c * (x + 0.044715 * x * x * x);
                double s = 1 / (1 + Math.exp(-z));
                return s + x * s * (1 - s) * 2 * c * (1 + 3 * 0.044715 * x * x);
            }
            case SILU: {
                double s = 1 / (1 + Math.exp(-x));
                return s * (1 + x * (1 - s));
            }
            case MISH: {
                double sp = softplus(x), t = Math.tanh(sp);
                return t + x * (1 - t * t) / (1 + Math.exp(-x));
            }
            case SOFTPLUS: return (float) (a * xf) > b ? 1 : 1 / (1 + Math.exp(-a * x));
            case SIGMOID: {
                double s = 1 / (1 + Math.exp(-x));
                return x > 0 ? s * (1 / (1 + Math.exp(x))) : s * (1 - s);
            }
            case TANH: {
                double c = Math.cosh(x);
                return 1 / (c * c);
            }
            case HARD_TANH: return x > a && x < b ? 1 : 0;
            case RELU6: return x > 0 && x < 6 ? 1 : 0;
            case HARD_SIGMOID: return x > -3 && x < 3 ? 1.0 / 6 : 0;
            case HARD_SWISH: return x > 3 ? 1 : x >= -3 ? x / 3 + 0.5 : 0;
            default: throw new AssertionError(op);
        }
    }

    static boolean vanishesAtMinusInfinity(Algorithm a) {
        return a == Algorithm.GELU_ERF || a == Algorithm.GELU_TANH || a == Algorithm.SILU || a == Algorithm.MISH
                || a == Algorithm.HARD_SWISH;
    }

    static double hardSigmoid(double x) {
        return Math.min(Math.max(x / 6 + 0.5, 0), 1);
    }

    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** Phi(x) = erfc(-x / sqrt 2) / 2. */
    public static double normalCdf(double x) {
        double z = -x / Math.sqrt(2);
        return 0.5 * erfc(z);
    }

    /**
     * erfc in double, to about 1e-13 relative: the Maclaurin series of erf below |z| = 2.5 (the alternating
     * terms peak near e^6, costing ~3 of 16 digits) and a Lentz continued fraction above.
     */
    public static double erfc(double z) {
        if (Double.isNaN(z)) return Double.NaN;
        if (z < 0) return 2 - erfc(-z);
        if (z < 2.5) {
            double sum = 0, term = z, z2 = z * z;
            for (int n = 0; n < 200; n++) {
                double t = term / (2 * n + 1);
                sum += t;
                if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
                term *= -z2 / (n + 1);
            }
            return 1 - 2 / Math.sqrt(Math.PI) * sum;
        }
        if (z > 27) return 0;
        // erfc(z) = exp(-z^2)/sqrt(pi) * 1/(z + 1/2/(z + 1/(z + 3/2/(z + ...)))) via modified Lentz.
        double tiny = 1e-300;
        double f = z, c = z, d = 0;
        for (int n = 1; n < 500; n++) {
            double an = n / 2.0;
            d = z + an * d;
            d = d == 0 ? tiny : d;
            c = z + an / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
    }

    /**
     * Error of {@code got} in units of the last place of the float nearest to {@code exact}; NaN-for-NaN
     * and equal infinities count as exact; a NaN where a number was expected is infinitely wrong.
     */
    public static double ulpError(float got, double exact) {
        if (Double.isNaN(exact)) return Float.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        if (Float.isNaN(got)) return Double.POSITIVE_INFINITY;
        float rounded = (float) exact;
        if (Float.isInfinite(rounded) || Float.isInfinite(got)) return got == rounded ? 0 : Double.POSITIVE_INFINITY;
        return Math.abs(got - exact) / Math.ulp(rounded);
    }
}
