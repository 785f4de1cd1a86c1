package dev.rectify.kernels.internal.simd;

import jdk.incubator.vector.FloatVector;

import static dev.rectify.kernels.internal.Formulas.GELU_LOW;
import static dev.rectify.kernels.internal.Formulas.INV_SQRT_2PI;
import static dev.rectify.kernels.internal.simd.SimdMath.atLeast;

/**
 * Not API. GELU in its erf form, chunked and in stages: Phi(x) through the erfc pipeline of {@link SimdMath}, then the
 * forward value, the derivative or the backward pass.
 */
abstract class SimdGeluErf extends SimdSmoothFamily {
    /** Elements per chunk: the scratch (t, then the exponent tail and Phi, and the clamped x) stays in L1. */
    private static final int PHI_CHUNK = 512;

    /** Where the clamped x sits in the scratch. */
    private static final int CLAMPED = 2 * PHI_CHUNK;

    private static final ThreadLocal<float[]> PHI_SCRATCH = ThreadLocal.withInitial(() -> new float[3 * PHI_CHUNK]);

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

    /** Stage 1: t into s[0..m), the exponent tail into s[PHI_CHUNK..], the clamped x into s[CLAMPED..]. */
    private final class PhiPrepare extends PhiStage {
        @Override
        void run(float[] x, int xo, float[] dy, int dyo, float[] out, int oo, int m, float[] s) {
            final int step = species().length();
            for (int i = 0; i < m; i += step) {
                FloatVector xc = SimdMath.phiClamp(load(x, xo + i));
                xc.intoArray(s, CLAMPED + i);
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
                FloatVector xc = load(s, CLAMPED + i);
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
                // GELU_LOW = -PHI_LIMIT, so this is the clamp stage 1 stored.
                FloatVector xc = load(s, CLAMPED + i);
                FloatVector d = xc.fma(SimdMath.gaussian(xc).mul(INV_SQRT_2PI), load(s, PHI_CHUNK + i));
                (dy == null ? d : load(dy, dyo + i).mul(d)).intoArray(out, oo + i);
            }
        }
    }

    private final PhiStage[] geluErfForwardStages = {new PhiPrepare(), new PhiFinish(), new GeluErfApply()};

    private final PhiStage[] geluErfSlopeStages = {new PhiPrepare(), new PhiFinish(), new GeluErfSlope()};

    final int runPhiStages(PhiStage[] stages, float[] x, int xo, float[] dy, int dyo, float[] out, int oo, int n) {
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

    final int geluErfForward(float[] x, int xo, float[] y, int yo, int n) {
        return runPhiStages(geluErfForwardStages, x, xo, null, 0, y, yo, n);
    }

    final int geluErfDerivative(float[] x, int xo, float[] d, int dOff, int n) {
        return runPhiStages(geluErfSlopeStages, x, xo, null, 0, d, dOff, n);
    }

    final int geluErfBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        return runPhiStages(geluErfSlopeStages, x, xo, dy, dyo, dx, dxo, n);
    }
}
