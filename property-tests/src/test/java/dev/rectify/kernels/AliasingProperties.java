package dev.rectify.kernels;

import org.junit.jupiter.api.Test;

import static dev.rectify.kernels.KernelFixtures.check;
import static dev.rectify.kernels.KernelFixtures.qt;
import static dev.rectify.kernels.KernelFixtures.sameBits;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In place equals out of place, for every pass; and back-propagating from the output equals
 * back-propagating from the input: bit for bit for the ReLU family, and within the error that rounding
 * y = f(x) to float carries into the formula for elu, sigmoid and tanh.
 */
class AliasingProperties {
    @Test
    void inPlaceEqualsOutOfPlace() {
        check("in place == out of place", () -> qt(500).forAll(KernelFixtures.eltwise(), KernelFixtures.floatArrays())
                .checkAssert((op, x) -> {
                    int n = x.length;
                    float[] dy = SimdScalarAgreementProperties.reversed(x);
                    for (ActivationKernels k : KernelFixtures.implementations()) {
                        float[] out = new float[n], inPlace = x.clone();
                        k.forward(op, x, 0, out, 0, n);
                        k.forward(op, inPlace, 0, inPlace, 0, n);
                        same(k, op + " forward", out, inPlace);
                        inPlace = x.clone();
                        k.derivative(op, x, 0, out, 0, n);
                        k.derivative(op, inPlace, 0, inPlace, 0, n);
                        same(k, op + " derivative", out, inPlace);
                        k.backward(op, x, 0, dy, 0, out, 0, n);
                        float[] overSrc = x.clone(), overDy = dy.clone();
                        k.backward(op, overSrc, 0, dy, 0, overSrc, 0, n);
                        k.backward(op, x, 0, overDy, 0, overDy, 0, n);
                        same(k, op + " backward into src", out, overSrc);
                        same(k, op + " backward into diffDst", out, overDy);
                    }
                }));
    }

    @Test
    void backwardFromOutputEqualsBackwardFromInput() {
        check("backwardFromOutput == backward", () -> qt(800).forAll(KernelFixtures.eltwise(), KernelFixtures.floatArrays())
                .checkAssert((op, x) -> {
                    if (!op.algorithm().hasBackwardFromOutput() || op.alpha() < 0) return;
                    int n = x.length;
                    float[] dy = SimdScalarAgreementProperties.reversed(x);
                    for (ActivationKernels k : KernelFixtures.implementations()) {
                        float[] y = new float[n], fromX = new float[n], fromY = new float[n];
                        k.forward(op, x, 0, y, 0, n);
                        k.backward(op, x, 0, dy, 0, fromX, 0, n);
                        k.backwardFromOutput(op, y, 0, dy, 0, fromY, 0, n);
                        for (int i = 0; i < n; i++) {
                            if (op.algorithm().isPiecewiseLinear()) {
                                assertTrue(sameBits(fromX[i], fromY[i]), k.name() + " " + op + " x=" + x[i] + " dy=" + dy[i]
                                        + ": " + fromX[i] + " vs " + fromY[i]);
                            } else if (Float.isFinite(x[i]) && Float.isFinite(dy[i]) && Float.isFinite(fromX[i])) {
                                // y carries a relative error of a few 2^-24; f'(x) written in y moves by at most
                                // max|d f'/dy| times that: 1 for sigmoid, 2 for tanh, 1 for elu (scaled by alpha + |y|).
                                double scale = 1 + Math.abs(y[i]) + Math.abs(op.alpha());
                                double tol = Math.abs(dy[i]) * scale * 0x1p-21 + Math.ulp(fromX[i]) * 4;
                                assertTrue(Math.abs(fromX[i] - fromY[i]) <= tol, k.name() + " " + op + " x=" + x[i]
                                        + " dy=" + dy[i] + ": from x " + fromX[i] + ", from y " + fromY[i]);
                            }
                        }
                    }
                }));
    }

    static void same(ActivationKernels k, String what, float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            assertTrue(sameBits(a[i], b[i]), k.name() + " " + what + " at " + i + ": " + a[i] + " vs " + b[i]);
        }
    }
}
