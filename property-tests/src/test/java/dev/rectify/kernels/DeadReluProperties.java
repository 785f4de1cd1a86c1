package dev.rectify.kernels;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.util.List;

import static dev.rectify.kernels.KernelFixtures.check;
import static dev.rectify.kernels.KernelFixtures.floatsWithSpecials;
import static dev.rectify.kernels.KernelFixtures.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Dead means dead: wherever a ReLU's input is <= 0 (and for NaN), the gradient is exactly +0.0f for every
 * dy, finite, infinite or NaN, on every path; and likewise for every leaky variant at slope 0.
 */
class DeadReluProperties {
    static final int PLUS_ZERO = Float.floatToRawIntBits(0f);

    /** Non-positive inputs: the negative reals, -0, +0, -Infinity, and NaN (which takes that branch too). */
    static Gen<Float> nonPositive() {
        return floatsWithSpecials().map(v -> Float.isNaN(v) ? v : -Math.abs(v))
                .mix(org.quicktheories.generators.Generate.pick(List.of(0f, -0f, Float.NEGATIVE_INFINITY)), 20);
    }

    @Test
    void aDeadUnitPassesExactlyPlusZeroWhateverTheGradient() {
        check("dead ReLU", () -> qt(2000).forAll(nonPositive(), floatsWithSpecials()).checkAssert((x, dy) -> {
            for (ActivationKernels k : KernelFixtures.implementations()) {
                for (Eltwise op : List.of(Eltwise.relu(), Eltwise.leakyRelu(0f), Eltwise.rrelu(0f, 0f))) {
                    // a full vector of the same case, so the SIMD loop body (not only the tail) is exercised
                    float[] xs = filled(x), dys = filled(dy), dx = filled(Float.NaN), y = new float[xs.length];
                    k.backward(op, xs, 0, dys, 0, dx, 0, xs.length);
                    assertPlusZero(k, op + " backward", x, dy, dx);
                    k.forward(op, xs, 0, y, 0, xs.length);
                    dx = filled(Float.NaN);
                    k.backwardFromOutput(op, y, 0, dys, 0, dx, 0, xs.length);
                    assertPlusZero(k, op + " backwardFromOutput", x, dy, dx);
                    k.derivative(op, xs, 0, dx, 0, xs.length);
                    assertPlusZero(k, op + " derivative", x, dy, dx);
                }
                float[] xs = filled(x), dys = filled(dy), dx = filled(Float.NaN);
                float[] slope = new float[xs.length], dSlope = new float[xs.length];
                k.preluBackward(xs, 0, slope, 0, xs.length, dys, 0, dx, 0, dSlope, 0, xs.length);
                assertPlusZero(k, "prelu(slope 0) backward", x, dy, dx);
                float[] noise = new float[xs.length], y = new float[xs.length];
                k.rreluTrainingForward(Eltwise.rrelu(0f, 0f), 42L, xs, 0, noise, 0, y, 0, xs.length);
                dx = filled(Float.NaN);
                k.rreluTrainingBackward(xs, 0, noise, 0, dys, 0, dx, 0, xs.length);
                assertPlusZero(k, "rrelu training (0, 0) backward", x, dy, dx);
            }
        }));
    }

    static float[] filled(float v) {
        float[] a = new float[37];
        java.util.Arrays.fill(a, v);
        return a;
    }

    static void assertPlusZero(ActivationKernels k, String what, float x, float dy, float[] dx) {
        for (float v : dx) {
            assertEquals(PLUS_ZERO, Float.floatToRawIntBits(v), k.name() + " " + what + " x=" + x + " dy=" + dy + " gave " + v);
        }
    }
}
