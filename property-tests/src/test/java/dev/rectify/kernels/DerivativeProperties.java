package dev.rectify.kernels;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import static dev.rectify.kernels.KernelFixtures.check;
import static dev.rectify.kernels.KernelFixtures.qt;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.floats;

/**
 * Each kernel's derivative is the slope of the function: it agrees with a central finite difference of
 * the double-precision forward function, away from kinks and branch thresholds; and backward is
 * exactly dy times the derivative wherever no zero-slope branch is taken.
 */
class DerivativeProperties {
    /** Points where a function is not differentiable or switches branch; finite differences skip them. */
    static final float[] KINKS = {0f, -1f, 1f, 6f, 3f, -3f, 20f, -20f, -0.5f, 2f, -0.25f, 0.5f, -1.5f};

    /** x in [-12, 12], moved off any kink by at least 4h. */
    static Gen<Float> smoothPoints() {
        return floats().between(-12f, 12f).map(x -> {
            float h = step(x);
            for (float k : KINKS) {
                if (Math.abs(x - k) < 4 * h) return k + 8 * h;
            }
            return x;
        });
    }

    static float step(float x) {
        return 1e-3f * Math.max(1f, Math.abs(x));
    }

    @Test
    void derivativeMatchesACentralDifference() {
        check("f' ~ central difference", () -> qt(3000).forAll(KernelFixtures.eltwise(), smoothPoints()).checkAssert((op, x) -> {
            double h = step(x);
            double fd = (Reference.forward(op, (float) (x + h)) - Reference.forward(op, (float) (x - h)))
                    / ((float) (x + h) - (float) (x - h));
            // softplus switches to the identity above its threshold: skip the neighbourhood of the switch
            if (op.algorithm() == Algorithm.SOFTPLUS && Math.abs(op.alpha() * x - op.beta()) < 1) return;
            for (ActivationKernels k : KernelFixtures.implementations()) {
                float[] d = new float[1];
                k.derivative(op, new float[] {x}, 0, d, 0, 1);
                // O(h^2 f''') truncation plus float rounding of the derivative itself
                double tol = 2e-3 * Math.max(1, Math.abs(fd));
                assertTrue(Math.abs(d[0] - fd) <= tol,
                        k.name() + " " + op + "'(" + x + ") = " + d[0] + " but finite difference " + fd);
            }
        }));
    }

    @Test
    void backwardIsGradientTimesDerivative() {
        check("backward == dy * f'", () -> qt(1000).forAll(KernelFixtures.eltwise(), KernelFixtures.floatArrays(1, 40))
                .checkAssert((op, x) -> {
                    float[] dy = SimdScalarAgreementProperties.reversed(x);
                    for (ActivationKernels k : KernelFixtures.implementations()) {
                        float[] d = new float[x.length], dx = new float[x.length];
                        k.derivative(op, x, 0, d, 0, x.length);
                        k.backward(op, x, 0, dy, 0, dx, 0, x.length);
                        for (int i = 0; i < x.length; i++) {
                            float expected = flatBranch(op, x[i]) ? 0f : dy[i] * d[i];
                            assertTrue(KernelFixtures.sameBits(expected, dx[i]),
                                    k.name() + " " + op + " x=" + x[i] + " dy=" + dy[i] + ": backward " + dx[i] + ", expected " + expected);
                        }
                    }
                }));
    }

    /**
     * The documented zero-slope branches, where backward selects exactly +0 instead of multiplying (NaN
     * inputs take them too, because the kernels test x &gt; bound).
     */
    static boolean flatBranch(Eltwise op, float x) {
        switch (op.algorithm()) {
            case RELU: return !(x > 0);
            case LEAKY_RELU: case RRELU: return op.negativeSlope() == 0f && !(x > 0);
            case HARD_TANH: return !(x > op.alpha() && x < op.beta());
            case RELU6: return !(x > 0 && x < 6);
            case HARD_SIGMOID: return !(x > -3 && x < 3);
            case HARD_SWISH: return !(x > 3) && !(x >= -3);
            default: return false;
        }
    }
}
