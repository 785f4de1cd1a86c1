package dev.rectify.kernels.internal.simd;

import dev.rectify.kernels.Eltwise;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static dev.rectify.kernels.internal.Formulas.GELU_C1;
import static dev.rectify.kernels.internal.Formulas.GELU_C2;
import static dev.rectify.kernels.internal.Formulas.GELU_C2x3;
import static dev.rectify.kernels.internal.Formulas.GELU_LOW;
import static dev.rectify.kernels.internal.Formulas.MISH_HIGH;
import static dev.rectify.kernels.internal.Formulas.SELU_LAMBDA_ALPHA;
import static dev.rectify.kernels.internal.Formulas.SILU_LIMIT;
import static dev.rectify.kernels.internal.simd.SimdMath.atLeast;
import static dev.rectify.kernels.internal.simd.SimdMath.atMost;
import static dev.rectify.kernels.internal.simd.SimdMath.bc;
import static dev.rectify.kernels.internal.simd.SimdMath.max0;
import static dev.rectify.kernels.internal.simd.SimdMath.positive;

/**
 * Not API. The smooth exp family on vectors: ELU, SELU, CELU, GELU (tanh form), SiLU, Mish, softplus, sigmoid and
 * tanh, each lane formula next to its loops and mirroring the scalar formula in {@code Formulas} operation for
 * operation, so both paths give the same bits. Each loop is its own method, so C2 compiles it as its own unit: a JVM
 * that uses several activations never grows one huge method whose inlining budget runs out inside a vector loop
 * (which would box every vector). No vector crosses these method boundaries, only arrays.
 */
abstract class SimdSmoothFamily extends SimdReluFamily {
    static FloatVector elu(FloatVector v, float alpha) {
        return SimdMath.expm1NonPositive(v).mul(alpha).blend(v, v.compare(VectorOperators.GE, 0f));
    }

    static FloatVector selu(FloatVector v) {
        return SimdMath.expm1NonPositive(v).mul(SELU_LAMBDA_ALPHA)
                .blend(v.mul(Eltwise.SELU_LAMBDA), v.compare(VectorOperators.GE, 0f));
    }

    static FloatVector celu(FloatVector v, float alpha) {
        return SimdMath.expm1NonPositive(v.div(alpha)).mul(alpha).blend(v, v.compare(VectorOperators.GE, 0f));
    }

    static FloatVector geluTanh(FloatVector v) {
        FloatVector xl = atLeast(v, GELU_LOW);
        FloatVector z = xl.mul(xl.mul(xl).fma(GELU_C2, GELU_C1));
        FloatVector e = SimdMath.expBounded(z.abs().neg());
        FloatVector num = xl.mul(e).blend(xl, z.compare(VectorOperators.GE, 0f));
        return num.div(e.add(1f));
    }

    static FloatVector silu(FloatVector v) {
        FloatVector xl = atLeast(v, -SILU_LIMIT);
        FloatVector e = SimdMath.expBounded(xl.abs().neg());
        FloatVector num = xl.mul(e).blend(xl, xl.compare(VectorOperators.GE, 0f));
        return num.div(e.add(1f));
    }

    /** Keeps exp's rare path, as sigmoid does, for the same measured reason. */
    static FloatVector mish(FloatVector v) {
        FloatVector xl = atLeast(v, -SILU_LIMIT);
        FloatVector e = SimdMath.exp(atMost(xl, MISH_HIGH));
        FloatVector nn = e.mul(e.add(2f));
        FloatVector t = nn.div(nn.add(2f));
        return xl.mul(t).blend(v, v.compare(VectorOperators.GT, MISH_HIGH));
    }

    static FloatVector softplus(FloatVector v, float beta, float threshold) {
        FloatVector z = v.mul(beta);
        FloatVector sp = max0(z).add(SimdMath.log1pUnit(SimdMath.expBounded(z.abs().neg())));
        return sp.div(beta).blend(v, z.compare(VectorOperators.GT, threshold));
    }

    static FloatVector dElu(FloatVector v, float alpha) {
        return SimdMath.expBounded(v).mul(alpha).blend(1f, positive(v));
    }

    static FloatVector dSelu(FloatVector v) {
        return SimdMath.expBounded(v).mul(SELU_LAMBDA_ALPHA).blend(Eltwise.SELU_LAMBDA, positive(v));
    }

    static FloatVector dCelu(FloatVector v, float alpha) {
        return SimdMath.expBounded(v.div(alpha)).blend(1f, positive(v));
    }

    static FloatVector dGeluTanh(FloatVector v) {
        FloatVector xc = atMost(atLeast(v, GELU_LOW), -GELU_LOW);
        FloatVector x2 = xc.mul(xc);
        FloatVector z = xc.mul(x2.fma(GELU_C2, GELU_C1));
        FloatVector e = SimdMath.expBounded(z.abs().neg());
        FloatVector den = e.add(1f);
        VectorMask<Float> pos = z.compare(VectorOperators.GE, 0f);
        FloatVector s = e.blend(1f, pos).div(den);
        FloatVector sc = bc(e, 1f).blend(e, pos).div(den);
        return xc.mul(s).mul(sc).fma(x2.fma(GELU_C2x3, GELU_C1), s);
    }

    static FloatVector dSilu(FloatVector v) {
        FloatVector xc = atMost(atLeast(v, -SILU_LIMIT), SILU_LIMIT);
        FloatVector e = SimdMath.expBounded(xc.abs().neg());
        FloatVector den = e.add(1f);
        VectorMask<Float> pos = xc.compare(VectorOperators.GE, 0f);
        FloatVector s = e.blend(1f, pos).div(den);
        FloatVector sc = bc(e, 1f).blend(e, pos).div(den);
        return xc.mul(s).fma(sc, s);
    }

    static FloatVector dMish(FloatVector v) {
        FloatVector xc = atLeast(v, -SILU_LIMIT);
        FloatVector e = SimdMath.expBounded(atMost(xc, MISH_HIGH));
        FloatVector nn = e.mul(e.add(2f));
        FloatVector w = nn.add(2f);
        FloatVector t = nn.div(w);
        FloatVector g = nn.add(1f).mul(4f).mul(e).div(w.mul(w).mul(e.add(1f)));
        return xc.fma(g, t).blend(1f, v.compare(VectorOperators.GT, MISH_HIGH));
    }

    static FloatVector dSoftplus(FloatVector v, float beta, float threshold) {
        FloatVector z = v.mul(beta);
        return SimdMath.sigmoid(z).blend(1f, z.compare(VectorOperators.GT, threshold));
    }

    static FloatVector dSigmoid(FloatVector v) {
        FloatVector e = SimdMath.expBounded(v.abs().neg());
        FloatVector den = e.add(1f);
        return e.div(den.mul(den));
    }

    static FloatVector dTanh(FloatVector v) {
        FloatVector e = SimdMath.expBounded(v.abs().mul(-2f));
        FloatVector den = e.add(1f);
        return e.mul(4f).div(den.mul(den));
    }

    final int eluBackwardFromOutput(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, int n, float a) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) {
            FloatVector v = load(y, yo + i), g = load(dy, dyo + i);
            g.mul(v.add(a)).blend(g, positive(v)).intoArray(dx, dxo + i);
        }
        return i;
    }

    final int sigmoidBackwardFromOutput(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) {
            FloatVector v = load(y, yo + i);
            load(dy, dyo + i).mul(v.mul(bc(v, 1f).sub(v))).intoArray(dx, dxo + i);
        }
        return i;
    }

    final int tanhBackwardFromOutput(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) {
            FloatVector v = load(y, yo + i);
            load(dy, dyo + i).mul(v.neg().fma(v, bc(v, 1f))).intoArray(dx, dxo + i);
        }
        return i;
    }

    final int eluForward(float[] x, int xo, float[] y, int yo, int n, float a) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) elu(load(x, xo + i), a).intoArray(y, yo + i);
        return i;
    }

    final int seluForward(float[] x, int xo, float[] y, int yo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) selu(load(x, xo + i)).intoArray(y, yo + i);
        return i;
    }

    final int celuForward(float[] x, int xo, float[] y, int yo, int n, float a) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) celu(load(x, xo + i), a).intoArray(y, yo + i);
        return i;
    }

    final int geluTanhForward(float[] x, int xo, float[] y, int yo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) geluTanh(load(x, xo + i)).intoArray(y, yo + i);
        return i;
    }

    final int siluForward(float[] x, int xo, float[] y, int yo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) silu(load(x, xo + i)).intoArray(y, yo + i);
        return i;
    }

    final int mishForward(float[] x, int xo, float[] y, int yo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) mish(load(x, xo + i)).intoArray(y, yo + i);
        return i;
    }

    final int softplusForward(float[] x, int xo, float[] y, int yo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) softplus(load(x, xo + i), a, b).intoArray(y, yo + i);
        return i;
    }

    final int sigmoidForward(float[] x, int xo, float[] y, int yo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) SimdMath.sigmoid(load(x, xo + i)).intoArray(y, yo + i);
        return i;
    }

    final int tanhForward(float[] x, int xo, float[] y, int yo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) SimdMath.tanh(load(x, xo + i)).intoArray(y, yo + i);
        return i;
    }

    final int eluDerivative(float[] x, int xo, float[] d, int dOff, int n, float a) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) dElu(load(x, xo + i), a).intoArray(d, dOff + i);
        return i;
    }

    final int seluDerivative(float[] x, int xo, float[] d, int dOff, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) dSelu(load(x, xo + i)).intoArray(d, dOff + i);
        return i;
    }

    final int celuDerivative(float[] x, int xo, float[] d, int dOff, int n, float a) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) dCelu(load(x, xo + i), a).intoArray(d, dOff + i);
        return i;
    }

    final int geluTanhDerivative(float[] x, int xo, float[] d, int dOff, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) dGeluTanh(load(x, xo + i)).intoArray(d, dOff + i);
        return i;
    }

    final int siluDerivative(float[] x, int xo, float[] d, int dOff, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) dSilu(load(x, xo + i)).intoArray(d, dOff + i);
        return i;
    }

    final int mishDerivative(float[] x, int xo, float[] d, int dOff, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) dMish(load(x, xo + i)).intoArray(d, dOff + i);
        return i;
    }

    final int softplusDerivative(float[] x, int xo, float[] d, int dOff, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) dSoftplus(load(x, xo + i), a, b).intoArray(d, dOff + i);
        return i;
    }

    final int sigmoidDerivative(float[] x, int xo, float[] d, int dOff, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) dSigmoid(load(x, xo + i)).intoArray(d, dOff + i);
        return i;
    }

    final int tanhDerivative(float[] x, int xo, float[] d, int dOff, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) dTanh(load(x, xo + i)).intoArray(d, dOff + i);
        return i;
    }

    final int eluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float a) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) load(dy, dyo + i).mul(dElu(load(x, xo + i), a)).intoArray(dx, dxo + i);
        return i;
    }

    final int seluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) load(dy, dyo + i).mul(dSelu(load(x, xo + i))).intoArray(dx, dxo + i);
        return i;
    }

    final int celuBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float a) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) load(dy, dyo + i).mul(dCelu(load(x, xo + i), a)).intoArray(dx, dxo + i);
        return i;
    }

    final int geluTanhBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) load(dy, dyo + i).mul(dGeluTanh(load(x, xo + i))).intoArray(dx, dxo + i);
        return i;
    }

    final int siluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) load(dy, dyo + i).mul(dSilu(load(x, xo + i))).intoArray(dx, dxo + i);
        return i;
    }

    final int mishBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) load(dy, dyo + i).mul(dMish(load(x, xo + i))).intoArray(dx, dxo + i);
        return i;
    }

    final int softplusBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float a, float b) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) load(dy, dyo + i).mul(dSoftplus(load(x, xo + i), a, b)).intoArray(dx, dxo + i);
        return i;
    }

    final int sigmoidBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) load(dy, dyo + i).mul(dSigmoid(load(x, xo + i))).intoArray(dx, dxo + i);
        return i;
    }

    final int tanhBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        final int step = species().length(), ub = species().loopBound(n);
        int i = 0;
        for (; i < ub; i += step) load(dy, dyo + i).mul(dTanh(load(x, xo + i))).intoArray(dx, dxo + i);
        return i;
    }
}
