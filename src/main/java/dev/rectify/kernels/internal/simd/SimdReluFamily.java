package dev.rectify.kernels.internal.simd;

import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.internal.scalar.ScalarActivations;
import dev.rectify.kernels.internal.scalar.ScalarPrelu;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static dev.rectify.kernels.internal.Formulas.HARD_SWISH_LOW;
import static dev.rectify.kernels.internal.Formulas.SIXTH;
import static dev.rectify.kernels.internal.simd.SimdMath.atLeast;
import static dev.rectify.kernels.internal.simd.SimdMath.atMost;
import static dev.rectify.kernels.internal.simd.SimdMath.max0;
import static dev.rectify.kernels.internal.simd.SimdMath.positive;

/**
 * Not API. The piecewise-linear family on vectors: ReLU, Leaky ReLU and RReLU in inference, hard tanh, ReLU6, hard
 * sigmoid and hard swish (forward, derivative, backward, and from the output where it exists), PReLU with a slope
 * per channel, and {@link #piecewiseLinear} for the GEMM epilogue. The functions here
 * are bit-identical on both paths, so the memory-bound loops are free to align their stores and unroll. Dead units
 * take the zero branch by selection.
 */
abstract class SimdReluFamily extends SimdLoops {
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
    final int storeAlignmentPeel(int yo, int n) {
        if (n < ALIGN_MIN_LENGTH) {
            return 0;
        }
        final int lanes = species().length();
        return (lanes - 4 - yo) & (lanes - 1); // (16 bytes + 4 * (yo + peel)) % (4 * lanes) == 0
    }

    // Unrolled four vectors deep: the memory-bound ReLU must keep pace with C2's auto-vectorized
    // Math.max loop, which it unrolls too.
    final int reluForward(float[] x, int xo, float[] y, int yo, int n) {
        return species().length() == 8 ? reluForward8(x, xo, y, yo, n) : reluForwardAnyWidth(x, xo, y, yo, n);
    }

    // The stride of a loop must be a compile-time constant for C2 to treat it as a counted loop, hoist its
    // bounds checks and unroll it; species.length() read from a field was not one (the loop above kept a
    // bounds check per load and store, seen with hsdis). This copy spells out the 8 lanes of 256-bit vectors,
    // the width of AVX2 machines such as this project's CI machine.
    final int reluForward8(float[] x, int xo, float[] y, int yo, int n) {
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
    final int reluBackward8(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
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
    final int leakyForward8(float[] x, int xo, float[] y, int yo, int n, FloatVector slope) {
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
    static void preluRows8(float[] x, int xo, float[] slope, int so, int channels, float[] y, int yo, int n) {
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

    /**
     * {@link #preluRows8} for the 16-lane build (AVX-512), channels a multiple of 16: a copy with its own constant
     * species rather than a species parameter, because C2 specializes the loop only on a constant (docs/design.md).
     */
    static void preluRows16(float[] x, int xo, float[] slope, int so, int channels, float[] y, int yo, int n) {
        final VectorSpecies<Float> sp = FloatVector.SPECIES_512;
        for (int row = 0; row < n; row += channels) {
            final int xr = xo + row, yr = yo + row;
            for (int c = 0; c <= channels - 16; c += 16) {
                FloatVector v = FloatVector.fromArray(sp, x, xr + c);
                v.mul(FloatVector.fromArray(sp, slope, so + c)).blend(v, v.compare(VectorOperators.GT, 0f))
                        .intoArray(y, yr + c);
            }
        }
    }

    final int reluForwardAnyWidth(float[] x, int xo, float[] y, int yo, int n) {
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

    final int leakyForward(float[] x, int xo, float[] y, int yo, int n, float s) {
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

    static FloatVector leaky(FloatVector v, float s) {
        return v.mul(s).blend(v, positive(v));
    }

    static FloatVector hardSigmoid(FloatVector v) {
        return atMost(max0(v.add(3f)), 6f).div(6f);
    }

    static VectorMask<Float> inside(FloatVector v, float min, float max) {
        return v.compare(VectorOperators.GT, min).and(v.compare(VectorOperators.LT, max));
    }

    static FloatVector hardSwishSlope(FloatVector v) {
        return v.mul(2f).add(3f).div(6f);
    }

    static FloatVector dHardSwish(FloatVector v, FloatVector one) {
        FloatVector mid = hardSwishSlope(v).blend(0f, v.compare(VectorOperators.GE, -3f).not());
        return mid.blend(one, v.compare(VectorOperators.GT, 3f));
    }

    // Selection, not multiplication by a mask: a dead unit passes exactly +0 even for infinite or NaN dy.
    final int reluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int ub) {
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

    // Lane-wise MIN/MAX have Math.min/max semantics, signed zeros included, for any bounds.
    final int hardTanhForward(float[] x, int xo, float[] y, int yo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) load(x, xo + i).max(a).min(b).intoArray(y, yo + i);
        return i;
    }

    final int hardSwishForward(float[] x, int xo, float[] y, int yo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) {
            FloatVector v = load(x, xo + i);
            atLeast(v, HARD_SWISH_LOW).mul(hardSigmoid(v)).intoArray(y, yo + i);
        }
        return i;
    }

    final int leakyDerivative(float[] x, int xo, float[] d, int dOff, int n, float slope) {
        final int step = species().length(), ub = species().loopBound(n);
        final FloatVector s = zeros().broadcast(slope), one = zeros().broadcast(1f);
        int i = 0;
        for (; i < ub; i += step) s.blend(one, positive(load(x, xo + i))).intoArray(d, dOff + i);
        return i;
    }

    final int hardSigmoidDerivative(float[] x, int xo, float[] d, int dOff, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        final FloatVector zero = zeros(), sixth = zero.broadcast(SIXTH);
        int i = 0;
        for (; i < ub; i += step) zero.blend(sixth, inside(load(x, xo + i), -3f, 3f)).intoArray(d, dOff + i);
        return i;
    }

    /** Leaky backward from x or from y (the sign of y is the sign of x for a positive slope). */
    final int leakyBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float s) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) {
            FloatVector g = load(dy, dyo + i);
            g.mul(s).blend(g, positive(load(x, xo + i))).intoArray(dx, dxo + i);
        }
        return i;
    }

    final int hardSwishBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) {
            FloatVector v = load(x, xo + i), g = load(dy, dyo + i);
            FloatVector mid = g.mul(hardSwishSlope(v)).blend(0f, v.compare(VectorOperators.GE, -3f).not());
            mid.blend(g, v.compare(VectorOperators.GT, 3f)).intoArray(dx, dxo + i);
        }
        return i;
    }

    final int relu6Forward(float[] x, int xo, float[] y, int yo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) atMost(max0(load(x, xo + i)), 6f).intoArray(y, yo + i);
        return i;
    }

    final int hardSigmoidForward(float[] x, int xo, float[] y, int yo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) hardSigmoid(load(x, xo + i)).intoArray(y, yo + i);
        return i;
    }

    final int reluDerivative(float[] x, int xo, float[] d, int dOff, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        final FloatVector zero = zeros();
        final FloatVector one = zeros().broadcast(1f);
        int i = 0;
        for (; i < ub; i += step) zero.blend(one, positive(load(x, xo + i))).intoArray(d, dOff + i);
        return i;
    }

    final int hardTanhDerivative(float[] x, int xo, float[] d, int dOff, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        final FloatVector zero = zeros();
        final FloatVector one = zeros().broadcast(1f);
        int i = 0;
        for (; i < ub; i += step) zero.blend(one, inside(load(x, xo + i), a, b)).intoArray(d, dOff + i);
        return i;
    }

    final int relu6Derivative(float[] x, int xo, float[] d, int dOff, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        final FloatVector zero = zeros();
        final FloatVector one = zeros().broadcast(1f);
        int i = 0;
        for (; i < ub; i += step) zero.blend(one, inside(load(x, xo + i), 0f, 6f)).intoArray(d, dOff + i);
        return i;
    }

    final int hardSwishDerivative(float[] x, int xo, float[] d, int dOff, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        final FloatVector one = zeros().broadcast(1f);
        int i = 0;
        for (; i < ub; i += step) dHardSwish(load(x, xo + i), one).intoArray(d, dOff + i);
        return i;
    }

    final int hardTanhBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        final FloatVector zero = zeros();
        int i = 0;
        for (; i < ub; i += step) zero.blend(load(dy, dyo + i), inside(load(x, xo + i), a, b)).intoArray(dx, dxo + i);
        return i;
    }

    final int relu6Backward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        final FloatVector zero = zeros();
        int i = 0;
        for (; i < ub; i += step) zero.blend(load(dy, dyo + i), inside(load(x, xo + i), 0f, 6f)).intoArray(dx, dxo + i);
        return i;
    }

    final int hardSigmoidBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        final FloatVector zero = zeros();
        int i = 0;
        for (; i < ub; i += step) zero.blend(load(dy, dyo + i).mul(SIXTH), inside(load(x, xo + i), -3f, 3f)).intoArray(dx, dxo + i);
        return i;
    }

    public void preluForward(float[] x, int xo, float[] slope, int so, int channels, float[] y, int yo, int n) {
        final int step = species().length();
        if (channels == 1) {
            int i = leakyForward(x, xo, y, yo, n, slope[so]);
            ScalarPrelu.preluForwardRange(x, xo, slope, so, 1, y, yo, i, n);
            return;
        }
        if (step == 8 && channels % 8 == 0) {
            preluRows8(x, xo, slope, so, channels, y, yo, n);
            return;
        }
        if (step == 16 && channels % 16 == 0) {
            preluRows16(x, xo, slope, so, channels, y, yo, n);
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
                ScalarPrelu.preluForwardRange(x, xo, slope, so, channels, y, yo, row + c, row + channels);
            }
        }
    }

    public void preluDerivative(float[] x, int xo, float[] slope, int so, int channels, float[] d, int dOff, int n) {
        final int step = species().length();
        final FloatVector one = zeros().broadcast(1f);
        final int cub = species().loopBound(channels);
        for (int row = 0; row < n; row += channels) {
            int c = 0;
            for (; c < cub; c += step) {
                load(slope, so + c).blend(one, positive(load(x, xo + row + c))).intoArray(d, dOff + row + c);
            }
            ScalarPrelu.preluDerivativeRange(x, xo, slope, so, channels, d, dOff, row + c, row + channels);
        }
    }

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
            ScalarPrelu.preluBackwardRange(x, xo, slope, so, channels, dy, dyo, dx, dxo, dSlope, dso,
                    row + c, row + channels);
        }
    }
}
