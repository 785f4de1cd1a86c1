package dev.rectify.kernels.internal.simd;

import static dev.rectify.kernels.Reductions.SUMMARY_MAX;
import static dev.rectify.kernels.Reductions.SUMMARY_MIN;
import static dev.rectify.kernels.Reductions.SUMMARY_NONPOSITIVE;
import static dev.rectify.kernels.Reductions.SUMMARY_SUM;
import static dev.rectify.kernels.Reductions.SUMMARY_ZEROS;
import dev.rectify.kernels.internal.ActivationSupport;
import dev.rectify.kernels.internal.ReductionSupport;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.internal.scalar.ScalarActivations;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static dev.rectify.kernels.internal.scalar.ScalarActivations.GELU_C1;
import static dev.rectify.kernels.internal.scalar.ScalarActivations.GELU_C2;
import static dev.rectify.kernels.internal.scalar.ScalarActivations.GELU_C2x3;
import static dev.rectify.kernels.internal.scalar.ScalarActivations.GELU_LOW;
import static dev.rectify.kernels.internal.scalar.ScalarActivations.HARD_SWISH_LOW;
import static dev.rectify.kernels.internal.scalar.ScalarActivations.INV_SQRT_2PI;
import static dev.rectify.kernels.internal.scalar.ScalarActivations.MISH_HIGH;
import static dev.rectify.kernels.internal.scalar.ScalarActivations.SELU_LAMBDA_ALPHA;
import static dev.rectify.kernels.internal.scalar.ScalarActivations.SILU_LIMIT;
import static dev.rectify.kernels.internal.scalar.ScalarActivations.SIXTH;
import static dev.rectify.kernels.internal.simd.SimdMath.atLeast;
import static dev.rectify.kernels.internal.simd.SimdMath.atMost;
import static dev.rectify.kernels.internal.simd.SimdMath.bc;
import static dev.rectify.kernels.internal.simd.SimdMath.max0;
import static dev.rectify.kernels.internal.simd.SimdMath.positive;

/**
 * Vector API kernels for one vector size. Each algorithm has its own loop (the switch is outside the
 * loop, so C2 sees one straight vector body), and the remainder of a range is finished by the scalar
 * formulas, which compute the same bits.
 *
 * <p>One class serves 128-, 256- and 512-bit vectors through {@link #species()}. C2 keeps the code
 * intrinsified and the species constant as long as a JVM uses one width (production, one benchmark fork);
 * tests that mix widths in one JVM run slower but compute the same results.
 */
abstract class SimdActivations implements ActivationSupport, ReductionSupport {
    /**
     * The species, from one final subclass per width that returns a {@code static final} constant. C2
     * inlines this call wherever one width is in use (production, a benchmark fork) and then knows the
     * vector shape at compile time; a species from an instance field, whose value C2 does not treat as a
     * constant, made the loops slower (docs/design.md).
     */
    abstract VectorSpecies<Float> species();

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

    private static final float[] ZEROS = new float[16];

    /**
     * A zero vector. C2 does not intrinsify the static factories (zero, broadcast) for a species held in a
     * field, and a vector it cannot intrinsify is boxed; a load from a constant array is intrinsified, and
     * broadcasts are taken from the vector it gives.
     */
    private FloatVector zeros() {
        return FloatVector.fromArray(species(), ZEROS, 0);
    }

    private FloatVector load(float[] a, int i) {
        return FloatVector.fromArray(species(), a, i);
    }

    // ---- forward ----------------------------------------------------------------------------------

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
                i = eluForward(x, xo, y, yo, n, a, b);
                break;
            case SELU:
                i = seluForward(x, xo, y, yo, n, a, b);
                break;
            case CELU:
                i = celuForward(x, xo, y, yo, n, a, b);
                break;
            case GELU_ERF:
                i = geluErfForward(x, xo, y, yo, n, a, b);
                break;
            case GELU_TANH:
                i = geluTanhForward(x, xo, y, yo, n, a, b);
                break;
            case SILU:
                i = siluForward(x, xo, y, yo, n, a, b);
                break;
            case MISH:
                i = mishForward(x, xo, y, yo, n, a, b);
                break;
            case SOFTPLUS:
                i = softplusForward(x, xo, y, yo, n, a, b);
                break;
            case SIGMOID:
                i = sigmoidForward(x, xo, y, yo, n, a, b);
                break;
            case TANH:
                i = tanhForward(x, xo, y, yo, n, a, b);
                break;
            case HARD_TANH:
                i = hardTanhForward(x, xo, y, yo, n, a, b);
                break;
            case RELU6:
                i = relu6Forward(x, xo, y, yo, n, a, b);
                break;
            case HARD_SIGMOID:
                i = hardSigmoidForward(x, xo, y, yo, n, a, b);
                break;
            case HARD_SWISH:
                i = hardSwishForward(x, xo, y, yo, n, a, b);
                break;
            default:
                throw new AssertionError(op);
        }
        if (i < n) {
            ScalarActivations.forwardRange(op, x, xo + i, y, yo + i, n - i);
        }
    }

    /** Arrays at least this long get their stores aligned by {@link #storeAlignmentPeel}. */
    private static final int ALIGN_MIN_LENGTH = 1 << 16;

    /**
     * How many leading elements the memory-bound piecewise-linear loops leave to the scalar code so that their
     * vector stores start on a vector-size boundary. Java cannot see an array's address, so this assumes the
     * layout of large arrays under G1 (the default collector): an array of half a region or more starts a
     * region, so its data sits 16 bytes (the array header) past a 32- and 64-byte boundary. Unaligned, every
     * other 256-bit store splits a cache line; aligned, the loops keep level with C2's auto-vectorized
     * Math.max loop, which aligns its stores the same way (docs/design.md). A wrong guess costs at most lanes-1 scalar elements. The bits do not change: these functions
     * are bit-identical on both paths.
     */
    private int storeAlignmentPeel(int yo, int n) {
        if (n < ALIGN_MIN_LENGTH) {
            return 0;
        }
        final int lanes = species().length();
        return (lanes - 4 - yo) & (lanes - 1); // (16 bytes + 4 * (yo + peel)) % (4 * lanes) == 0
    }

    // Unrolled four vectors deep: the memory-bound ReLU must keep pace with C2's auto-vectorized
    // Math.max loop, which it unrolls too.
    private int reluForward(float[] x, int xo, float[] y, int yo, int n) {
        return species().length() == 8 ? reluForward8(x, xo, y, yo, n) : reluForwardAnyWidth(x, xo, y, yo, n);
    }

    // The stride of a loop must be a compile-time constant for C2 to treat it as a counted loop, hoist its
    // bounds checks and unroll it; species.length() read from a field was not one (the loop above kept a
    // bounds check per load and store, seen with hsdis). This copy spells out the 8 lanes of 256-bit vectors,
    // the width of AVX2 machines such as this project's CI machine.
    private int reluForward8(float[] x, int xo, float[] y, int yo, int n) {
        final VectorSpecies<Float> sp = species();
        int i = 0;
        for (; i <= n - 32; i += 32) {
            FloatVector a = FloatVector.fromArray(sp, x, xo + i), b = FloatVector.fromArray(sp, x, xo + i + 8);
            FloatVector c = FloatVector.fromArray(sp, x, xo + i + 16), d = FloatVector.fromArray(sp, x, xo + i + 24);
            max0(a).intoArray(y, yo + i);
            max0(b).intoArray(y, yo + i + 8);
            max0(c).intoArray(y, yo + i + 16);
            max0(d).intoArray(y, yo + i + 24);
        }
        for (; i <= n - 8; i += 8) {
            max0(FloatVector.fromArray(sp, x, xo + i)).intoArray(y, yo + i);
        }
        return i;
    }

    /** reluBackward with the 8-lane stride spelled out (see reluForward8). */
    private int reluBackward8(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        final VectorSpecies<Float> sp = species();
        final FloatVector zero = zeros();
        int i = 0;
        for (; i <= n - 16; i += 16) {
            FloatVector g0 = FloatVector.fromArray(sp, dy, dyo + i), g1 = FloatVector.fromArray(sp, dy, dyo + i + 8);
            VectorMask<Float> p0 = positive(FloatVector.fromArray(sp, x, xo + i));
            VectorMask<Float> p1 = positive(FloatVector.fromArray(sp, x, xo + i + 8));
            zero.blend(g0, p0).intoArray(dx, dxo + i);
            zero.blend(g1, p1).intoArray(dx, dxo + i + 8);
        }
        for (; i <= n - 8; i += 8) {
            zero.blend(FloatVector.fromArray(sp, dy, dyo + i), positive(FloatVector.fromArray(sp, x, xo + i)))
                    .intoArray(dx, dxo + i);
        }
        return i;
    }

    /**
     * leakyForward with the 8-lane stride spelled out (see reluForward8). The slope arrives as a vector: with
     * {@code v.mul(float)} inside this loop C2 kept the loop boxed in some JVMs; broadcast once outside, every
     * fork ran at full speed (docs/design.md).
     */
    private int leakyForward8(float[] x, int xo, float[] y, int yo, int n, FloatVector slope) {
        final VectorSpecies<Float> sp = species();
        int i = 0;
        for (; i <= n - 32; i += 32) {
            FloatVector a = FloatVector.fromArray(sp, x, xo + i), b = FloatVector.fromArray(sp, x, xo + i + 8);
            FloatVector c = FloatVector.fromArray(sp, x, xo + i + 16), d = FloatVector.fromArray(sp, x, xo + i + 24);
            a.mul(slope).blend(a, positive(a)).intoArray(y, yo + i);
            b.mul(slope).blend(b, positive(b)).intoArray(y, yo + i + 8);
            c.mul(slope).blend(c, positive(c)).intoArray(y, yo + i + 16);
            d.mul(slope).blend(d, positive(d)).intoArray(y, yo + i + 24);
        }
        for (; i <= n - 8; i += 8) {
            FloatVector v = FloatVector.fromArray(sp, x, xo + i);
            v.mul(slope).blend(v, positive(v)).intoArray(y, yo + i);
        }
        return i;
    }

    /**
     * All PReLU rows with the 8-lane stride spelled out, for channels a multiple of 8: both loops in one
     * method, so a row costs no call and no empty scalar-tail call (docs/design.md). The mask comes from an
     * inline compare: in an unrolled variant C2 refused to inline the mask-returning helper {@code positive}
     * ("unloaded signature classes") and the loop ran boxed. The species is the constant one:
     * only the 8-lane build calls this.
     */
    private static void preluRows8(float[] x, int xo, float[] slope, int so, int channels, float[] y, int yo, int n) {
        final VectorSpecies<Float> sp = FloatVector.SPECIES_256;
        for (int row = 0; row < n; row += channels) {
            final int xr = xo + row, yr = yo + row;
            for (int c = 0; c <= channels - 8; c += 8) {
                FloatVector v = FloatVector.fromArray(sp, x, xr + c);
                v.mul(FloatVector.fromArray(sp, slope, so + c)).blend(v, v.compare(VectorOperators.GT, 0f))
                        .intoArray(y, yr + c);
            }
        }
    }

    private int reluForwardAnyWidth(float[] x, int xo, float[] y, int yo, int n) {
        final int step = species().length(), ub4 = n - 4 * step;
        int i = 0;
        for (; i <= ub4; i += 4 * step) {
            FloatVector a = load(x, xo + i), b = load(x, xo + i + step);
            FloatVector c = load(x, xo + i + 2 * step), d = load(x, xo + i + 3 * step);
            max0(a).intoArray(y, yo + i);
            max0(b).intoArray(y, yo + i + step);
            max0(c).intoArray(y, yo + i + 2 * step);
            max0(d).intoArray(y, yo + i + 3 * step);
        }
        for (final int ub = species().loopBound(n); i < ub; i += step) {
            max0(load(x, xo + i)).intoArray(y, yo + i);
        }
        return i;
    }

    private int leakyForward(float[] x, int xo, float[] y, int yo, int n, float s) {
        if (species().length() == 8) {
            return leakyForward8(x, xo, y, yo, n, zeros().broadcast(s));
        }
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) leaky(load(x, xo + i), s).intoArray(y, yo + i);
        return i;
    }

    /**
     * The piecewise-linear forward activations (ReLU, Leaky/RReLU inference, hard tanh, ReLU6) on one vector,
     * the same bits as {@link #forwardImpl}: for GEMM epilogues that apply them in registers.
     */
    static FloatVector piecewiseLinear(Eltwise op, FloatVector v) {
        switch (op.algorithm()) {
            case RELU: return max0(v);
            case LEAKY_RELU: case RRELU: return leaky(v, op.negativeSlope());
            case HARD_TANH: return v.max(op.alpha()).min(op.beta());
            case RELU6: return atMost(max0(v), 6f);
            default: throw new IllegalArgumentException(op + " is not piecewise linear");
        }
    }

    private static FloatVector leaky(FloatVector v, float s) {
        return v.mul(s).blend(v, positive(v));
    }

    private static FloatVector elu(FloatVector v, float alpha) {
        return SimdMath.expm1NonPositive(v).mul(alpha).blend(v, v.compare(VectorOperators.GE, 0f));
    }

    private static FloatVector selu(FloatVector v) {
        return SimdMath.expm1NonPositive(v).mul(SELU_LAMBDA_ALPHA)
                .blend(v.mul(Eltwise.SELU_LAMBDA), v.compare(VectorOperators.GE, 0f));
    }

    private static FloatVector celu(FloatVector v, float alpha) {
        return SimdMath.expm1NonPositive(v.div(alpha)).mul(alpha).blend(v, v.compare(VectorOperators.GE, 0f));
    }

    private static FloatVector geluTanh(FloatVector v) {
        FloatVector xl = atLeast(v, GELU_LOW);
        FloatVector z = xl.mul(xl.mul(xl).fma(GELU_C2, GELU_C1));
        FloatVector e = SimdMath.exp(z.abs().neg());
        FloatVector num = xl.mul(e).blend(xl, z.compare(VectorOperators.GE, 0f));
        return num.div(e.add(1f));
    }

    private static FloatVector silu(FloatVector v) {
        FloatVector xl = atLeast(v, -SILU_LIMIT);
        FloatVector e = SimdMath.exp(xl.abs().neg());
        FloatVector num = xl.mul(e).blend(xl, xl.compare(VectorOperators.GE, 0f));
        return num.div(e.add(1f));
    }

    private static FloatVector mish(FloatVector v) {
        FloatVector xl = atLeast(v, -SILU_LIMIT);
        FloatVector e = SimdMath.exp(atMost(xl, MISH_HIGH));
        FloatVector nn = e.mul(e.add(2f));
        FloatVector t = nn.div(nn.add(2f));
        return xl.mul(t).blend(v, v.compare(VectorOperators.GT, MISH_HIGH));
    }

    private static FloatVector softplus(FloatVector v, float beta, float threshold) {
        FloatVector z = v.mul(beta);
        FloatVector sp = max0(z).add(SimdMath.log1pUnit(SimdMath.exp(z.abs().neg())));
        return sp.div(beta).blend(v, z.compare(VectorOperators.GT, threshold));
    }

    private static FloatVector hardSigmoid(FloatVector v) {
        return atMost(max0(v.add(3f)), 6f).div(6f);
    }

    // ---- derivative -------------------------------------------------------------------------------

    @Override
    public void derivative(Eltwise op, float[] x, int xo, float[] d, int dOff, int n) {
        final float a = op.alpha(), b = op.beta();
        int i = 0;
        switch (op.algorithm()) {
            case RELU:
                i = reluDerivative(x, xo, d, dOff, n, a, b);
                break;
            case LEAKY_RELU: case RRELU:
                i = leakyDerivative(x, xo, d, dOff, n, op.negativeSlope());
                break;
            case ELU:
                i = eluDerivative(x, xo, d, dOff, n, a, b);
                break;
            case SELU:
                i = seluDerivative(x, xo, d, dOff, n, a, b);
                break;
            case CELU:
                i = celuDerivative(x, xo, d, dOff, n, a, b);
                break;
            case GELU_ERF:
                i = geluErfDerivative(x, xo, d, dOff, n, a, b);
                break;
            case GELU_TANH:
                i = geluTanhDerivative(x, xo, d, dOff, n, a, b);
                break;
            case SILU:
                i = siluDerivative(x, xo, d, dOff, n, a, b);
                break;
            case MISH:
                i = mishDerivative(x, xo, d, dOff, n, a, b);
                break;
            case SOFTPLUS:
                i = softplusDerivative(x, xo, d, dOff, n, a, b);
                break;
            case SIGMOID:
                i = sigmoidDerivative(x, xo, d, dOff, n, a, b);
                break;
            case TANH:
                i = tanhDerivative(x, xo, d, dOff, n, a, b);
                break;
            case HARD_TANH:
                i = hardTanhDerivative(x, xo, d, dOff, n, a, b);
                break;
            case RELU6:
                i = relu6Derivative(x, xo, d, dOff, n, a, b);
                break;
            case HARD_SIGMOID:
                i = hardSigmoidDerivative(x, xo, d, dOff, n, a, b);
                break;
            case HARD_SWISH:
                i = hardSwishDerivative(x, xo, d, dOff, n, a, b);
                break;
            default:
                throw new AssertionError(op);
        }
        if (i < n) {
            ScalarActivations.derivativeRange(op, x, xo + i, d, dOff + i, n - i);
        }
    }

    private static VectorMask<Float> inside(FloatVector v, float min, float max) {
        return v.compare(VectorOperators.GT, min).and(v.compare(VectorOperators.LT, max));
    }

    private static FloatVector dElu(FloatVector v, float alpha) {
        return SimdMath.exp(v).mul(alpha).blend(1f, positive(v));
    }

    private static FloatVector dSelu(FloatVector v) {
        return SimdMath.exp(v).mul(SELU_LAMBDA_ALPHA).blend(Eltwise.SELU_LAMBDA, positive(v));
    }

    private static FloatVector dCelu(FloatVector v, float alpha) {
        return SimdMath.exp(v.div(alpha)).blend(1f, positive(v));
    }

    private static FloatVector dGeluTanh(FloatVector v) {
        FloatVector xc = atMost(atLeast(v, GELU_LOW), -GELU_LOW);
        FloatVector x2 = xc.mul(xc);
        FloatVector z = xc.mul(x2.fma(GELU_C2, GELU_C1));
        FloatVector e = SimdMath.exp(z.abs().neg());
        FloatVector den = e.add(1f);
        VectorMask<Float> pos = z.compare(VectorOperators.GE, 0f);
        FloatVector s = e.blend(1f, pos).div(den);
        FloatVector sc = bc(e, 1f).blend(e, pos).div(den);
        return xc.mul(s).mul(sc).fma(x2.fma(GELU_C2x3, GELU_C1), s);
    }

    private static FloatVector dSilu(FloatVector v) {
        FloatVector xc = atMost(atLeast(v, -SILU_LIMIT), SILU_LIMIT);
        FloatVector e = SimdMath.exp(xc.abs().neg());
        FloatVector den = e.add(1f);
        VectorMask<Float> pos = xc.compare(VectorOperators.GE, 0f);
        FloatVector s = e.blend(1f, pos).div(den);
        FloatVector sc = bc(e, 1f).blend(e, pos).div(den);
        return xc.mul(s).fma(sc, s);
    }

    private static FloatVector dMish(FloatVector v) {
        FloatVector xc = atLeast(v, -SILU_LIMIT);
        FloatVector e = SimdMath.exp(atMost(xc, MISH_HIGH));
        FloatVector nn = e.mul(e.add(2f));
        FloatVector w = nn.add(2f);
        FloatVector t = nn.div(w);
        FloatVector g = nn.add(1f).mul(4f).mul(e).div(w.mul(w).mul(e.add(1f)));
        return xc.fma(g, t).blend(1f, v.compare(VectorOperators.GT, MISH_HIGH));
    }

    private static FloatVector dSoftplus(FloatVector v, float beta, float threshold) {
        FloatVector z = v.mul(beta);
        return SimdMath.sigmoid(z).blend(1f, z.compare(VectorOperators.GT, threshold));
    }

    private static FloatVector dSigmoid(FloatVector v) {
        FloatVector e = SimdMath.exp(v.abs().neg());
        FloatVector den = e.add(1f);
        return e.div(den.mul(den));
    }

    private static FloatVector dTanh(FloatVector v) {
        FloatVector e = SimdMath.exp(v.abs().mul(-2f));
        FloatVector den = e.add(1f);
        return e.mul(4f).div(den.mul(den));
    }

    private static FloatVector hardSwishSlope(FloatVector v) {
        return v.mul(2f).add(3f).div(6f);
    }

    private static FloatVector dHardSwish(FloatVector v, FloatVector one) {
        FloatVector mid = hardSwishSlope(v).blend(0f, v.compare(VectorOperators.GE, -3f).not());
        return mid.blend(one, v.compare(VectorOperators.GT, 3f));
    }

    // ---- backward ---------------------------------------------------------------------------------

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
                i = relu6Backward(x, xo, dy, dyo, dx, dxo, n, a, b);
                break;
            case HARD_SIGMOID:
                i = hardSigmoidBackward(x, xo, dy, dyo, dx, dxo, n, a, b);
                break;
            case HARD_SWISH:
                i = hardSwishBackward(x, xo, dy, dyo, dx, dxo, n, a, b);
                break;
            case ELU:
                i = eluBackward(x, xo, dy, dyo, dx, dxo, n, a, b);
                break;
            case SELU:
                i = seluBackward(x, xo, dy, dyo, dx, dxo, n, a, b);
                break;
            case CELU:
                i = celuBackward(x, xo, dy, dyo, dx, dxo, n, a, b);
                break;
            case GELU_ERF:
                i = geluErfBackward(x, xo, dy, dyo, dx, dxo, n, a, b);
                break;
            case GELU_TANH:
                i = geluTanhBackward(x, xo, dy, dyo, dx, dxo, n, a, b);
                break;
            case SILU:
                i = siluBackward(x, xo, dy, dyo, dx, dxo, n, a, b);
                break;
            case MISH:
                i = mishBackward(x, xo, dy, dyo, dx, dxo, n, a, b);
                break;
            case SOFTPLUS:
                i = softplusBackward(x, xo, dy, dyo, dx, dxo, n, a, b);
                break;
            case SIGMOID:
                i = sigmoidBackward(x, xo, dy, dyo, dx, dxo, n, a, b);
                break;
            case TANH:
                i = tanhBackward(x, xo, dy, dyo, dx, dxo, n, a, b);
                break;
            default:
                throw new AssertionError(op);
        }
        if (i < n) {
            ScalarActivations.backwardRange(op, x, xo + i, dy, dyo + i, dx, dxo + i, n - i);
        }
    }

    // Selection, not multiplication by a mask: a dead unit passes exactly +0 even for infinite or NaN dy.
    private int reluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int ub) {
        if (species().length() == 8) {
            return reluBackward8(x, xo, dy, dyo, dx, dxo, ub);
        }
        final int step = species().length();
        final FloatVector zero = zeros();
        int i = 0;
        for (; i < ub; i += step) {
            zero.blend(load(dy, dyo + i), positive(load(x, xo + i))).intoArray(dx, dxo + i);
        }
        return i;
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

    // ---- one loop per algorithm and pass ---------------------------------------------------------
    // Each loop is its own method, so C2 compiles it as its own unit: a JVM that uses several activations
    // never grows one huge method whose inlining budget runs out inside a vector loop (which would box
    // every vector). No vector crosses these method boundaries, only arrays (the measurement: docs/design.md).

    // Lane-wise MIN/MAX have Math.min/max semantics, signed zeros included, for any bounds.
    private int hardTanhForward(float[] x, int xo, float[] y, int yo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) load(x, xo + i).max(a).min(b).intoArray(y, yo + i);
        return i;
    }

    private int hardSwishForward(float[] x, int xo, float[] y, int yo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) {
            FloatVector v = load(x, xo + i);
            atLeast(v, HARD_SWISH_LOW).mul(hardSigmoid(v)).intoArray(y, yo + i);
        }
        return i;
    }

    private int leakyDerivative(float[] x, int xo, float[] d, int dOff, int n, float slope) {
        final int step = species().length(), ub = species().loopBound(n);
        final FloatVector s = zeros().broadcast(slope), one = zeros().broadcast(1f);
        int i = 0;
        for (; i < ub; i += step) s.blend(one, positive(load(x, xo + i))).intoArray(d, dOff + i);
        return i;
    }

    private int hardSigmoidDerivative(float[] x, int xo, float[] d, int dOff, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        final FloatVector zero = zeros(), sixth = zero.broadcast(SIXTH);
        int i = 0;
        for (; i < ub; i += step) zero.blend(sixth, inside(load(x, xo + i), -3f, 3f)).intoArray(d, dOff + i);
        return i;
    }

    /** Leaky backward from x or from y (the sign of y is the sign of x for a positive slope). */
    private int leakyBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float s) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) {
            FloatVector g = load(dy, dyo + i);
            g.mul(s).blend(g, positive(load(x, xo + i))).intoArray(dx, dxo + i);
        }
        return i;
    }

    private int hardSwishBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) {
            FloatVector v = load(x, xo + i), g = load(dy, dyo + i);
            FloatVector mid = g.mul(hardSwishSlope(v)).blend(0f, v.compare(VectorOperators.GE, -3f).not());
            mid.blend(g, v.compare(VectorOperators.GT, 3f)).intoArray(dx, dxo + i);
        }
        return i;
    }

    private int eluBackwardFromOutput(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, int n, float a) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) {
            FloatVector v = load(y, yo + i), g = load(dy, dyo + i);
            g.mul(v.add(a)).blend(g, positive(v)).intoArray(dx, dxo + i);
        }
        return i;
    }

    private int sigmoidBackwardFromOutput(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) {
            FloatVector v = load(y, yo + i);
            load(dy, dyo + i).mul(v.mul(bc(v, 1f).sub(v))).intoArray(dx, dxo + i);
        }
        return i;
    }

    private int tanhBackwardFromOutput(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) {
            FloatVector v = load(y, yo + i);
            load(dy, dyo + i).mul(v.neg().fma(v, bc(v, 1f))).intoArray(dx, dxo + i);
        }
        return i;
    }

    private int eluForward(float[] x, int xo, float[] y, int yo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) elu(load(x, xo + i), a).intoArray(y, yo + i);
        return i;
    }

    private int seluForward(float[] x, int xo, float[] y, int yo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) selu(load(x, xo + i)).intoArray(y, yo + i);
        return i;
    }

    private int celuForward(float[] x, int xo, float[] y, int yo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) celu(load(x, xo + i), a).intoArray(y, yo + i);
        return i;
    }

    private int geluTanhForward(float[] x, int xo, float[] y, int yo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) geluTanh(load(x, xo + i)).intoArray(y, yo + i);
        return i;
    }

    private int siluForward(float[] x, int xo, float[] y, int yo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) silu(load(x, xo + i)).intoArray(y, yo + i);
        return i;
    }

    private int mishForward(float[] x, int xo, float[] y, int yo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) mish(load(x, xo + i)).intoArray(y, yo + i);
        return i;
    }

    private int softplusForward(float[] x, int xo, float[] y, int yo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) softplus(load(x, xo + i), a, b).intoArray(y, yo + i);
        return i;
    }

    private int sigmoidForward(float[] x, int xo, float[] y, int yo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) SimdMath.sigmoid(load(x, xo + i)).intoArray(y, yo + i);
        return i;
    }

    private int tanhForward(float[] x, int xo, float[] y, int yo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) SimdMath.tanh(load(x, xo + i)).intoArray(y, yo + i);
        return i;
    }

    private int relu6Forward(float[] x, int xo, float[] y, int yo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) atMost(max0(load(x, xo + i)), 6f).intoArray(y, yo + i);
        return i;
    }

    private int hardSigmoidForward(float[] x, int xo, float[] y, int yo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) hardSigmoid(load(x, xo + i)).intoArray(y, yo + i);
        return i;
    }

    private int reluDerivative(float[] x, int xo, float[] d, int dOff, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        final FloatVector zero = zeros();
        final FloatVector one = zeros().broadcast(1f);
        int i = 0;
        for (; i < ub; i += step) zero.blend(one, positive(load(x, xo + i))).intoArray(d, dOff + i);
        return i;
    }

    private int eluDerivative(float[] x, int xo, float[] d, int dOff, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) dElu(load(x, xo + i), a).intoArray(d, dOff + i);
        return i;
    }

    private int seluDerivative(float[] x, int xo, float[] d, int dOff, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) dSelu(load(x, xo + i)).intoArray(d, dOff + i);
        return i;
    }

    private int celuDerivative(float[] x, int xo, float[] d, int dOff, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) dCelu(load(x, xo + i), a).intoArray(d, dOff + i);
        return i;
    }

    private int geluTanhDerivative(float[] x, int xo, float[] d, int dOff, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) dGeluTanh(load(x, xo + i)).intoArray(d, dOff + i);
        return i;
    }

    private int siluDerivative(float[] x, int xo, float[] d, int dOff, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) dSilu(load(x, xo + i)).intoArray(d, dOff + i);
        return i;
    }

    private int mishDerivative(float[] x, int xo, float[] d, int dOff, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) dMish(load(x, xo + i)).intoArray(d, dOff + i);
        return i;
    }

    private int softplusDerivative(float[] x, int xo, float[] d, int dOff, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) dSoftplus(load(x, xo + i), a, b).intoArray(d, dOff + i);
        return i;
    }

    private int sigmoidDerivative(float[] x, int xo, float[] d, int dOff, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) dSigmoid(load(x, xo + i)).intoArray(d, dOff + i);
        return i;
    }

    private int tanhDerivative(float[] x, int xo, float[] d, int dOff, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) dTanh(load(x, xo + i)).intoArray(d, dOff + i);
        return i;
    }

    private int hardTanhDerivative(float[] x, int xo, float[] d, int dOff, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        final FloatVector zero = zeros();
        final FloatVector one = zeros().broadcast(1f);
        int i = 0;
        for (; i < ub; i += step) zero.blend(one, inside(load(x, xo + i), a, b)).intoArray(d, dOff + i);
        return i;
    }

    private int relu6Derivative(float[] x, int xo, float[] d, int dOff, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        final FloatVector zero = zeros();
        final FloatVector one = zeros().broadcast(1f);
        int i = 0;
        for (; i < ub; i += step) zero.blend(one, inside(load(x, xo + i), 0f, 6f)).intoArray(d, dOff + i);
        return i;
    }

    private int hardSwishDerivative(float[] x, int xo, float[] d, int dOff, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        final FloatVector one = zeros().broadcast(1f);
        int i = 0;
        for (; i < ub; i += step) dHardSwish(load(x, xo + i), one).intoArray(d, dOff + i);
        return i;
    }

    private int hardTanhBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        final FloatVector zero = zeros();
        int i = 0;
        for (; i < ub; i += step) zero.blend(load(dy, dyo + i), inside(load(x, xo + i), a, b)).intoArray(dx, dxo + i);
        return i;
    }

    private int relu6Backward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        final FloatVector zero = zeros();
        int i = 0;
        for (; i < ub; i += step) zero.blend(load(dy, dyo + i), inside(load(x, xo + i), 0f, 6f)).intoArray(dx, dxo + i);
        return i;
    }

    private int hardSigmoidBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        final FloatVector zero = zeros();
        int i = 0;
        for (; i < ub; i += step) zero.blend(load(dy, dyo + i).mul(SIXTH), inside(load(x, xo + i), -3f, 3f)).intoArray(dx, dxo + i);
        return i;
    }

    private int eluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) load(dy, dyo + i).mul(dElu(load(x, xo + i), a)).intoArray(dx, dxo + i);
        return i;
    }

    private int seluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) load(dy, dyo + i).mul(dSelu(load(x, xo + i))).intoArray(dx, dxo + i);
        return i;
    }

    private int celuBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) load(dy, dyo + i).mul(dCelu(load(x, xo + i), a)).intoArray(dx, dxo + i);
        return i;
    }

    private int geluTanhBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) load(dy, dyo + i).mul(dGeluTanh(load(x, xo + i))).intoArray(dx, dxo + i);
        return i;
    }

    private int siluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) load(dy, dyo + i).mul(dSilu(load(x, xo + i))).intoArray(dx, dxo + i);
        return i;
    }

    private int mishBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) load(dy, dyo + i).mul(dMish(load(x, xo + i))).intoArray(dx, dxo + i);
        return i;
    }

    private int softplusBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) load(dy, dyo + i).mul(dSoftplus(load(x, xo + i), a, b)).intoArray(dx, dxo + i);
        return i;
    }

    private int sigmoidBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) load(dy, dyo + i).mul(dSigmoid(load(x, xo + i))).intoArray(dx, dxo + i);
        return i;
    }

    private int tanhBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) load(dy, dyo + i).mul(dTanh(load(x, xo + i))).intoArray(dx, dxo + i);
        return i;
    }

    // ---- GELU (erf form): chunked, in stages -------------------------------------------------------

    /** Elements per chunk: the scratch (t, then the exponent tail and Phi) stays in L1. */
    private static final int PHI_CHUNK = 512;
    private static final ThreadLocal<float[]> PHI_SCRATCH = ThreadLocal.withInitial(() -> new float[2 * PHI_CHUNK]);

    /**
     * One pass over a chunk of m elements (m a multiple of the vector length). GELU-erf needs more vector
     * code than C2 inlines into one compilation unit (NodeCountInliningCutoff), and a helper left
     * out-of-line boxes every vector; so its work is cut into stages, each a loop of its own, called at
     * one call site that sees three or more stage classes. Such a megamorphic site is never inlined, so
     * every stage is compiled as its own unit, whatever else the JVM runs.
     */
    private abstract class PhiStage {
        abstract void run(float[] x, int xo, float[] dy, int dyo, float[] out, int oo, int m, float[] s);
    }

    /** Stage 1: t into s[0..m), the exponent tail into s[PHI_CHUNK..]. */
    private final class PhiPrepare extends PhiStage {
        @Override
        void run(float[] x, int xo, float[] dy, int dyo, float[] out, int oo, int m, float[] s) {
            final int step = species().length();
            for (int i = 0; i < m; i += step) {
                FloatVector xc = SimdMath.phiClamp(load(x, xo + i));
                FloatVector t = SimdMath.erfcT(xc);
                t.intoArray(s, i);
                SimdMath.erfcExponentTail(xc, t).intoArray(s, PHI_CHUNK + i);
            }
        }
    }

    /** Stage 2: Phi(x) over the exponent tail in s[PHI_CHUNK..]. */
    private final class PhiFinish extends PhiStage {
        @Override
        void run(float[] x, int xo, float[] dy, int dyo, float[] out, int oo, int m, float[] s) {
            final int step = species().length();
            for (int i = 0; i < m; i += step) {
                FloatVector xc = SimdMath.phiClamp(load(x, xo + i));
                SimdMath.normalCdfFinish(xc, load(s, i), load(s, PHI_CHUNK + i)).intoArray(s, PHI_CHUNK + i);
            }
        }
    }

    /** Forward: out = max(x, GELU_LOW) Phi(x). */
    private final class GeluErfApply extends PhiStage {
        @Override
        void run(float[] x, int xo, float[] dy, int dyo, float[] out, int oo, int m, float[] s) {
            final int step = species().length();
            for (int i = 0; i < m; i += step) {
                atLeast(load(x, xo + i), GELU_LOW).mul(load(s, PHI_CHUNK + i)).intoArray(out, oo + i);
            }
        }
    }

    /** Derivative (dy == null) or backward: GELU'(x) = Phi(x) + x phi(x), times dy. */
    private final class GeluErfSlope extends PhiStage {
        @Override
        void run(float[] x, int xo, float[] dy, int dyo, float[] out, int oo, int m, float[] s) {
            final int step = species().length();
            for (int i = 0; i < m; i += step) {
                FloatVector xc = atMost(atLeast(load(x, xo + i), GELU_LOW), -GELU_LOW);
                FloatVector d = xc.fma(SimdMath.gaussian(xc).mul(INV_SQRT_2PI), load(s, PHI_CHUNK + i));
                (dy == null ? d : load(dy, dyo + i).mul(d)).intoArray(out, oo + i);
            }
        }
    }

    private final PhiStage[] geluErfForwardStages = {new PhiPrepare(), new PhiFinish(), new GeluErfApply()};
    private final PhiStage[] geluErfSlopeStages = {new PhiPrepare(), new PhiFinish(), new GeluErfSlope()};

    private int runPhiStages(PhiStage[] stages, float[] x, int xo, float[] dy, int dyo, float[] out, int oo, int n) {
        final int ub = species().loopBound(n);
        final float[] s = PHI_SCRATCH.get();
        for (int c = 0; c < ub; c += PHI_CHUNK) {
            final int m = Math.min(PHI_CHUNK, ub - c);
            for (PhiStage stage : stages) {
                stage.run(x, xo + c, dy, dyo + c, out, oo + c, m, s);
            }
        }
        return ub;
    }

    private int geluErfForward(float[] x, int xo, float[] y, int yo, int n, float a, float b) {
        return runPhiStages(geluErfForwardStages, x, xo, null, 0, y, yo, n);
    }

    private int geluErfDerivative(float[] x, int xo, float[] d, int dOff, int n, float a, float b) {
        return runPhiStages(geluErfSlopeStages, x, xo, null, 0, d, dOff, n);
    }

    private int geluErfBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float a, float b) {
        return runPhiStages(geluErfSlopeStages, x, xo, dy, dyo, dx, dxo, n);
    }

    // ---- PReLU ------------------------------------------------------------------------------------

    @Override
    public void preluForward(float[] x, int xo, float[] slope, int so, int channels, float[] y, int yo, int n) {
        final int step = species().length();
        if (channels == 1) {
            int i = leakyForward(x, xo, y, yo, n, slope[so]);
            ScalarActivations.preluForwardRange(x, xo, slope, so, 1, y, yo, i, n);
            return;
        }
        if (step == 8 && channels % 8 == 0) {
            preluRows8(x, xo, slope, so, channels, y, yo, n);
            return;
        }
        // Rows of `channels` values: vectors run along the channels, the slope vector is loaded once per chunk.
        final int cub = species().loopBound(channels);
        for (int row = 0; row < n; row += channels) {
            int c = 0;
            for (; c < cub; c += step) {
                FloatVector v = load(x, xo + row + c);
                v.mul(load(slope, so + c)).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yo + row + c);
            }
            if (c < channels) {
                ScalarActivations.preluForwardRange(x, xo, slope, so, channels, y, yo, row + c, row + channels);
            }
        }
    }

    @Override
    public void preluDerivative(float[] x, int xo, float[] slope, int so, int channels, float[] d, int dOff, int n) {
        final int step = species().length();
        final FloatVector one = zeros().broadcast(1f);
        final int cub = species().loopBound(channels);
        for (int row = 0; row < n; row += channels) {
            int c = 0;
            for (; c < cub; c += step) {
                load(slope, so + c).blend(one, positive(load(x, xo + row + c))).intoArray(d, dOff + row + c);
            }
            ScalarActivations.preluDerivativeRange(x, xo, slope, so, channels, d, dOff, row + c, row + channels);
        }
    }

    @Override
    public void preluBackward(float[] x, int xo, float[] slope, int so, int channels, float[] dy, int dyo,
                                     float[] dx, int dxo, float[] dSlope, int dso, int n) {
        final int step = species().length();
        final FloatVector zero = zeros();
        final int cub = species().loopBound(channels);
        for (int row = 0; row < n; row += channels) {
            int c = 0;
            for (; c < cub; c += step) {
                FloatVector v = load(x, xo + row + c), g = load(dy, dyo + row + c), s = load(slope, so + c);
                VectorMask<Float> pos = positive(v);
                if (dSlope != null) {
                    // Each lane is one channel accumulated row after row: the scalar order, so the same bits.
                    FloatVector acc = load(dSlope, dso + c);
                    acc.add(g.mul(v)).blend(acc, pos).intoArray(dSlope, dso + c);
                }
                FloatVector neg = g.mul(s).blend(0f, s.compare(VectorOperators.EQ, 0f));
                neg.blend(g, pos).intoArray(dx, dxo + row + c);
            }
            ScalarActivations.preluBackwardRange(x, xo, slope, so, channels, dy, dyo, dx, dxo, dSlope, dso,
                    row + c, row + channels);
        }
    }

    // ---- softmax ----------------------------------------------------------------------------------

    /**
     * Sums the lanes strictly from lane 0 upwards. {@code reduceLanes(ADD)} leaves the order to the
     * implementation, and JDK 25's C2 reduces as a tree while its interpreter goes lane by lane, so the
     * same softmax row gave different bits before and after warm-up: training with one seed was not
     * reproducible within one JVM.
     */
    private static float sumInLaneOrder(FloatVector v) {
        float s = v.lane(0);
        for (int i = 1; i < v.length(); i++) s += v.lane(i);
        return s;
    }

    @Override
    public void softmax(boolean log, float[] x, int xo, float[] y, int yo, int rows, int cols) {
        final int step = species().length(), ub = species().loopBound(cols);
        for (int r = 0; r < rows; r++) {
            final int xr = xo + r * cols, yr = yo + r * cols;
            FloatVector vmax = zeros().broadcast(Float.NEGATIVE_INFINITY);
            int j = 0;
            for (; j < ub; j += step) vmax = vmax.max(load(x, xr + j));
            float max = vmax.reduceLanes(VectorOperators.MAX);
            for (; j < cols; j++) max = Math.max(max, x[xr + j]);
            FloatVector vsum = zeros();
            float sum = 0f;
            if (log) {
                for (j = 0; j < ub; j += step) vsum = vsum.add(SimdMath.exp(load(x, xr + j).sub(max)));
                sum = sumInLaneOrder(vsum);
                for (; j < cols; j++) sum += dev.rectify.kernels.internal.scalar.ScalarMath.exp(x[xr + j] - max);
                float shift = max + ScalarActivations.logSum(sum);
                for (j = 0; j < ub; j += step) load(x, xr + j).sub(shift).intoArray(y, yr + j);
                for (; j < cols; j++) y[yr + j] = x[xr + j] - shift;
            } else {
                for (j = 0; j < ub; j += step) {
                    FloatVector e = SimdMath.exp(load(x, xr + j).sub(max));
                    e.intoArray(y, yr + j);
                    vsum = vsum.add(e);
                }
                sum = sumInLaneOrder(vsum);
                for (; j < cols; j++) {
                    float e = dev.rectify.kernels.internal.scalar.ScalarMath.exp(x[xr + j] - max);
                    y[yr + j] = e;
                    sum += e;
                }
                for (j = 0; j < ub; j += step) load(y, yr + j).div(sum).intoArray(y, yr + j);
                for (; j < cols; j++) y[yr + j] = y[yr + j] / sum;
            }
        }
    }

    @Override
    public void softmaxBackward(boolean log, float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo,
                                       int rows, int cols) {
        final int step = species().length(), ub = species().loopBound(cols);
        for (int r = 0; r < rows; r++) {
            final int yr = yo + r * cols, dyr = dyo + r * cols, dxr = dxo + r * cols;
            FloatVector vs = zeros();
            int j = 0;
            if (log) {
                for (; j < ub; j += step) vs = vs.add(load(dy, dyr + j));
                float s = sumInLaneOrder(vs);
                for (; j < cols; j++) s += dy[dyr + j];
                for (j = 0; j < ub; j += step) {
                    load(dy, dyr + j).sub(SimdMath.exp(load(y, yr + j)).mul(s)).intoArray(dx, dxr + j);
                }
                for (; j < cols; j++) dx[dxr + j] = dy[dyr + j] - dev.rectify.kernels.internal.scalar.ScalarMath.exp(y[yr + j]) * s;
            } else {
                for (; j < ub; j += step) vs = load(dy, dyr + j).fma(load(y, yr + j), vs);
                float s = sumInLaneOrder(vs);
                for (; j < cols; j++) s += dy[dyr + j] * y[yr + j];
                for (j = 0; j < ub; j += step) {
                    load(y, yr + j).mul(load(dy, dyr + j).sub(s)).intoArray(dx, dxr + j);
                }
                for (; j < cols; j++) dx[dxr + j] = y[yr + j] * (dy[dyr + j] - s);
            }
        }
    }

    // ---- sum of squares -----------------------------------------------------------------------------

    @Override
    public double sumOfSquares(float[] x, int xo, int n) {
        final float[] partials = new float[SQUARE_PARTIALS]; // once per call, outside the loops
        final int lanes = species().length();
        double total = 0;
        int i = xo;
        final int end = xo + n;
        while (end - i >= SQUARE_PARTIALS) {
            final int stop = i + Math.min(SQUARE_BLOCK, (end - i) & -SQUARE_PARTIALS);
            // The 32 partials are 32 / lanes accumulators in registers; one loop per width keeps them locals.
            if (lanes == 4) {
                squares4(x, i, stop, partials);
            } else if (lanes == 8) {
                squares8(x, i, stop, partials);
            } else {
                squares16(x, i, stop, partials);
            }
            for (float p : partials) {
                total += p;
            }
            i = stop;
        }
        for (; i < end; i++) {
            total += (double) x[i] * x[i];
        }
        return total;
    }

    private void squares4(float[] x, int from, int stop, float[] partials) {
        FloatVector s0 = zeros(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        for (int j = from; j < stop; j += SQUARE_PARTIALS) {
            FloatVector v0 = load(x, j), v1 = load(x, j + 4), v2 = load(x, j + 8), v3 = load(x, j + 12);
            FloatVector v4 = load(x, j + 16), v5 = load(x, j + 20), v6 = load(x, j + 24), v7 = load(x, j + 28);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
            s2 = v2.fma(v2, s2);
            s3 = v3.fma(v3, s3);
            s4 = v4.fma(v4, s4);
            s5 = v5.fma(v5, s5);
            s6 = v6.fma(v6, s6);
            s7 = v7.fma(v7, s7);
        }
        s0.intoArray(partials, 0);
        s1.intoArray(partials, 4);
        s2.intoArray(partials, 8);
        s3.intoArray(partials, 12);
        s4.intoArray(partials, 16);
        s5.intoArray(partials, 20);
        s6.intoArray(partials, 24);
        s7.intoArray(partials, 28);
    }

    private void squares8(float[] x, int from, int stop, float[] partials) {
        FloatVector s0 = zeros(), s1 = s0, s2 = s0, s3 = s0;
        for (int j = from; j < stop; j += SQUARE_PARTIALS) {
            FloatVector v0 = load(x, j), v1 = load(x, j + 8), v2 = load(x, j + 16), v3 = load(x, j + 24);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
            s2 = v2.fma(v2, s2);
            s3 = v3.fma(v3, s3);
        }
        s0.intoArray(partials, 0);
        s1.intoArray(partials, 8);
        s2.intoArray(partials, 16);
        s3.intoArray(partials, 24);
    }

    private void squares16(float[] x, int from, int stop, float[] partials) {
        FloatVector s0 = zeros(), s1 = s0;
        for (int j = from; j < stop; j += SQUARE_PARTIALS) {
            FloatVector v0 = load(x, j), v1 = load(x, j + 16);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
        }
        s0.intoArray(partials, 0);
        s1.intoArray(partials, 16);
    }

    // ---- summary ------------------------------------------------------------------------------------

    @Override
    public void summarize(float[] x, int xo, int n, double[] summary, int so) {
        final int p = SQUARE_PARTIALS;
        // acc: the 32 partial sums, then two vectors each of minima, maxima, zero and non-positive counts
        // (16 lanes at most).
        final float[] acc = new float[p + 8 * 16];
        float mn = Float.POSITIVE_INFINITY, mx = Float.NEGATIVE_INFINITY;
        double total = 0;
        long zeros = 0, nonPositive = 0;
        int i = xo;
        final int end = xo + n;
        while (end - i >= p) {
            final int stop = i + Math.min(SQUARE_BLOCK, (end - i) & -p);
            summarizeBlock(x, i, stop, acc);
            for (int q = 0; q < p; q++) {
                total += acc[q];
            }
            for (int q = 0, lanes = species().length(); q < 2 * lanes; q++) {
                float lo = acc[p + q], hi = acc[p + 32 + q];
                mn = lo < mn ? lo : mn;
                mx = hi > mx ? hi : mx;
                zeros += (long) acc[p + 64 + q]; // at most 1,024 per block: exact in float
                nonPositive += (long) acc[p + 96 + q];
            }
            i = stop;
        }
        for (; i < end; i++) {
            float e = x[i];
            total += e;
            mn = e < mn ? e : mn;
            mx = e > mx ? e : mx;
            zeros += e == 0f ? 1 : 0;
            nonPositive += e <= 0f ? 1 : 0;
        }
        ScalarActivations.finishSummary(x, xo, n, mn, mx, total, zeros, nonPositive, summary, so);
    }

    /**
     * One block: partial sums through memory (slot {@code (j - from) % 32}, so every width keeps the same 32
     * partials), minima, maxima, zero and non-positive counts in two register chains each (one chain was bound by the
     * compare-blend and add latencies), all stored to acc at the end. Vectors carried across the caller's
     * block loop were boxed by C2; here none outlives the call.
     */
    private void summarizeBlock(float[] x, int from, int stop, float[] acc) {
        final int p = SQUARE_PARTIALS, lanes = species().length();
        java.util.Arrays.fill(acc, 0, p, 0f);
        final FloatVector zero = zeros(), one = zero.broadcast(1f);
        FloatVector mn0 = zero.broadcast(Float.POSITIVE_INFINITY), mn1 = mn0;
        FloatVector mx0 = zero.broadcast(Float.NEGATIVE_INFINITY), mx1 = mx0;
        FloatVector c0 = zero, c1 = zero, d0 = zero, d1 = zero;
        for (int j = from; j < stop; j += 2 * lanes) {
            FloatVector e = load(x, j), f = load(x, j + lanes);
            int slot = (j - from) & (p - 1);
            load(acc, slot).add(e).intoArray(acc, slot);
            load(acc, slot + lanes).add(f).intoArray(acc, slot + lanes);
            mn0 = mn0.blend(e, e.compare(VectorOperators.LT, mn0));
            mn1 = mn1.blend(f, f.compare(VectorOperators.LT, mn1));
            mx0 = mx0.blend(e, e.compare(VectorOperators.GT, mx0));
            mx1 = mx1.blend(f, f.compare(VectorOperators.GT, mx1));
            c0 = c0.add(zero.blend(one, e.compare(VectorOperators.EQ, 0f)));
            c1 = c1.add(zero.blend(one, f.compare(VectorOperators.EQ, 0f)));
            d0 = d0.add(zero.blend(one, e.compare(VectorOperators.LE, 0f)));
            d1 = d1.add(zero.blend(one, f.compare(VectorOperators.LE, 0f)));
        }
        mn0.intoArray(acc, p);
        mn1.intoArray(acc, p + lanes);
        mx0.intoArray(acc, p + 32);
        mx1.intoArray(acc, p + 32 + lanes);
        c0.intoArray(acc, p + 64);
        c1.intoArray(acc, p + 64 + lanes);
        d0.intoArray(acc, p + 96);
        d1.intoArray(acc, p + 96 + lanes);
    }
}
