package dev.rectify.kernels.internal.simd;

import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.internal.scalar.ScalarActivations;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import dev.rectify.kernels.internal.ActivationSupport;

/**
 * Not API. The Vector API activation kernels for one vector width, and their dispatch: one switch per pass, outside
 * the loops, so C2 sees one straight vector body per algorithm; the remainder of a range is finished by the scalar
 * formulas, which compute the same bits. The loops live in the family superclasses ({@link SimdReluFamily},
 * {@link SimdSmoothFamily}, {@link SimdGeluErf}, {@link SimdRowwise}); this class adds the final per-width subclasses.
 *
 * <p>C2 keeps the code intrinsified and the species constant as long as a JVM uses one width (production, one
 * benchmark fork); tests that mix widths in one JVM run slower but compute the same results.
 */
abstract class SimdActivations extends SimdRowwise implements ActivationSupport {
    /** Kernels for vectors of the given species (128, 256 or 512 bits). */
    static SimdActivations of(VectorSpecies<Float> species) {
        switch (species.vectorBitSize()) {
            case 128: return new W128();
            case 256: return new W256();
            case 512: return new W512();
            default: throw new IllegalArgumentException("species: no kernels for " + species);
        }
    }

    private static final class W128 extends SimdActivations {
        private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_128;
        @Override VectorSpecies<Float> species() { return SPECIES; }
    }

    private static final class W256 extends SimdActivations {
        private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;
        @Override VectorSpecies<Float> species() { return SPECIES; }
    }

    private static final class W512 extends SimdActivations {
        private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_512;
        @Override VectorSpecies<Float> species() { return SPECIES; }
    }

    @Override
    public String name() {
        return "simd-" + species().vectorBitSize();
    }

    @Override
    public void forward(Eltwise op, float[] x, int xo, float[] y, int yo, int n) {
        final float a = op.alpha(), b = op.beta();
        int i = 0;
        switch (op.algorithm()) {
            case RELU: {
                int p = storeAlignmentPeel(yo, n);
                ScalarActivations.forwardRange(op, x, xo, y, yo, p);
                i = p + reluForward(x, xo + p, y, yo + p, n - p);
                break;
            }
            case LEAKY_RELU: case RRELU: {
                int p = storeAlignmentPeel(yo, n);
                ScalarActivations.forwardRange(op, x, xo, y, yo, p);
                i = p + leakyForward(x, xo + p, y, yo + p, n - p, op.negativeSlope());
                break;
            }
            case ELU:
                i = eluForward(x, xo, y, yo, n, a);
                break;
            case SELU:
                i = seluForward(x, xo, y, yo, n);
                break;
            case CELU:
                i = celuForward(x, xo, y, yo, n, a);
                break;
            case GELU_ERF:
                i = geluErfForward(x, xo, y, yo, n);
                break;
            case GELU_TANH:
                i = geluTanhForward(x, xo, y, yo, n);
                break;
            case SILU:
                i = siluForward(x, xo, y, yo, n);
                break;
            case MISH:
                i = mishForward(x, xo, y, yo, n);
                break;
            case SOFTPLUS:
                i = softplusForward(x, xo, y, yo, n, a, b);
                break;
            case SIGMOID:
                i = sigmoidForward(x, xo, y, yo, n);
                break;
            case TANH:
                i = tanhForward(x, xo, y, yo, n);
                break;
            case HARD_TANH:
                i = hardTanhForward(x, xo, y, yo, n, a, b);
                break;
            case RELU6:
                i = relu6Forward(x, xo, y, yo, n);
                break;
            case HARD_SIGMOID:
                i = hardSigmoidForward(x, xo, y, yo, n);
                break;
            case HARD_SWISH:
                i = hardSwishForward(x, xo, y, yo, n);
                break;
            default:
                throw new AssertionError(op);
        }
        if (i < n) {
            ScalarActivations.forwardRange(op, x, xo + i, y, yo + i, n - i);
        }
    }

    @Override
    public void derivative(Eltwise op, float[] x, int xo, float[] d, int dOff, int n) {
        final float a = op.alpha(), b = op.beta();
        int i = 0;
        switch (op.algorithm()) {
            case RELU:
                i = reluDerivative(x, xo, d, dOff, n);
                break;
            case LEAKY_RELU: case RRELU:
                i = leakyDerivative(x, xo, d, dOff, n, op.negativeSlope());
                break;
            case ELU:
                i = eluDerivative(x, xo, d, dOff, n, a);
                break;
            case SELU:
                i = seluDerivative(x, xo, d, dOff, n);
                break;
            case CELU:
                i = celuDerivative(x, xo, d, dOff, n, a);
                break;
            case GELU_ERF:
                i = geluErfDerivative(x, xo, d, dOff, n);
                break;
            case GELU_TANH:
                i = geluTanhDerivative(x, xo, d, dOff, n);
                break;
            case SILU:
                i = siluDerivative(x, xo, d, dOff, n);
                break;
            case MISH:
                i = mishDerivative(x, xo, d, dOff, n);
                break;
            case SOFTPLUS:
                i = softplusDerivative(x, xo, d, dOff, n, a, b);
                break;
            case SIGMOID:
                i = sigmoidDerivative(x, xo, d, dOff, n);
                break;
            case TANH:
                i = tanhDerivative(x, xo, d, dOff, n);
                break;
            case HARD_TANH:
                i = hardTanhDerivative(x, xo, d, dOff, n, a, b);
                break;
            case RELU6:
                i = relu6Derivative(x, xo, d, dOff, n);
                break;
            case HARD_SIGMOID:
                i = hardSigmoidDerivative(x, xo, d, dOff, n);
                break;
            case HARD_SWISH:
                i = hardSwishDerivative(x, xo, d, dOff, n);
                break;
            default:
                throw new AssertionError(op);
        }
        if (i < n) {
            ScalarActivations.derivativeRange(op, x, xo + i, d, dOff + i, n - i);
        }
    }

    @Override
    public void backward(Eltwise op, float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        final int ub = species().loopBound(n);
        final float a = op.alpha(), b = op.beta();
        int i = 0;
        switch (op.algorithm()) {
            case RELU:
                i = reluBackward(x, xo, dy, dyo, dx, dxo, ub);
                break;
            case LEAKY_RELU: case RRELU: {
                float s = op.negativeSlope();
                i = s == 0f ? reluBackward(x, xo, dy, dyo, dx, dxo, ub) : leakyBackward(x, xo, dy, dyo, dx, dxo, n, s);
                break;
            }
            case HARD_TANH:
                i = hardTanhBackward(x, xo, dy, dyo, dx, dxo, n, a, b);
                break;
            case RELU6:
                i = relu6Backward(x, xo, dy, dyo, dx, dxo, n);
                break;
            case HARD_SIGMOID:
                i = hardSigmoidBackward(x, xo, dy, dyo, dx, dxo, n);
                break;
            case HARD_SWISH:
                i = hardSwishBackward(x, xo, dy, dyo, dx, dxo, n);
                break;
            case ELU:
                i = eluBackward(x, xo, dy, dyo, dx, dxo, n, a);
                break;
            case SELU:
                i = seluBackward(x, xo, dy, dyo, dx, dxo, n);
                break;
            case CELU:
                i = celuBackward(x, xo, dy, dyo, dx, dxo, n, a);
                break;
            case GELU_ERF:
                i = geluErfBackward(x, xo, dy, dyo, dx, dxo, n);
                break;
            case GELU_TANH:
                i = geluTanhBackward(x, xo, dy, dyo, dx, dxo, n);
                break;
            case SILU:
                i = siluBackward(x, xo, dy, dyo, dx, dxo, n);
                break;
            case MISH:
                i = mishBackward(x, xo, dy, dyo, dx, dxo, n);
                break;
            case SOFTPLUS:
                i = softplusBackward(x, xo, dy, dyo, dx, dxo, n, a, b);
                break;
            case SIGMOID:
                i = sigmoidBackward(x, xo, dy, dyo, dx, dxo, n);
                break;
            case TANH:
                i = tanhBackward(x, xo, dy, dyo, dx, dxo, n);
                break;
            default:
                throw new AssertionError(op);
        }
        if (i < n) {
            ScalarActivations.backwardRange(op, x, xo + i, dy, dyo + i, dx, dxo + i, n - i);
        }
    }

    @Override
    public void backwardFromOutput(Eltwise op, float[] y, int yo, float[] dy, int dyo,
                                          float[] dx, int dxo, int n) {
        final int ub = species().loopBound(n);
        int i = 0;
        switch (op.algorithm()) {
            case RELU:
                i = reluBackward(y, yo, dy, dyo, dx, dxo, ub);
                break;
            case LEAKY_RELU: case RRELU: {
                float s = op.negativeSlope();
                i = s == 0f ? reluBackward(y, yo, dy, dyo, dx, dxo, ub) : leakyBackward(y, yo, dy, dyo, dx, dxo, n, s);
                break;
            }
            case ELU:
                i = eluBackwardFromOutput(y, yo, dy, dyo, dx, dxo, n, op.alpha());
                break;
            case SIGMOID:
                i = sigmoidBackwardFromOutput(y, yo, dy, dyo, dx, dxo, n);
                break;
            case TANH:
                i = tanhBackwardFromOutput(y, yo, dy, dyo, dx, dxo, n);
                break;
            default:
                throw new AssertionError(op);
        }
        if (i < n) {
            ScalarActivations.backwardFromOutputRange(op, y, yo + i, dy, dyo + i, dx, dxo + i, n - i);
        }
    }
}
