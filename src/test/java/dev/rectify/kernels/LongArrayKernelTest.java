package dev.rectify.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Arrays long enough to cross the SIMD path's internal chunks (GELU-erf works in 512-element chunks with
 * scratch space), at odd offsets, out of place and in place: every pass must equal the scalar path bit for
 * bit. The property tests use short arrays, where a chunk boundary never falls.
 */
class LongArrayKernelTest {
    static final int N = 3 * 512 + 13;
    static final int OFF = 5;

    static float[] input(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[N + 2 * OFF];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (r.nextGaussian() * 6);
        }
        a[OFF + 700] = Float.NaN;
        a[OFF + 1100] = -30f;   // Phi's subnormal range: the wide exp path inside one vector
        a[OFF + 1300] = Float.NEGATIVE_INFINITY;
        return a;
    }

    interface Pass {
        void run(ActivationKernels k, float[] x, float[] dy, float[] out);
    }

    static void checkAllPaths(String what, Pass pass, boolean inPlaceOverX, boolean inPlaceOverDy) {
        float[] x = input(KernelFixtures.seed()), dy = input(KernelFixtures.seed() + 1);
        float[] expected = new float[x.length];
        pass.run(Kernels.scalar(), x.clone(), dy.clone(), expected);
        for (ActivationKernels k : KernelFixtures.implementations()) {
            float[] xs = x.clone(), dys = dy.clone(), out = new float[x.length];
            pass.run(k, xs, dys, out);
            compare(what + " out of place on " + k.name(), expected, out);
            if (inPlaceOverX) {
                float[] inPlace = x.clone();
                pass.run(k, inPlace, dy.clone(), inPlace);
                compare(what + " in place over x on " + k.name(), expected, inPlace);
            }
            if (inPlaceOverDy) {
                float[] inPlace = dy.clone();
                pass.run(k, x.clone(), inPlace, inPlace);
                compare(what + " in place over dy on " + k.name(), expected, inPlace);
            }
        }
    }

    static void compare(String what, float[] expected, float[] got) {
        for (int i = OFF; i < OFF + N; i++) {
            if (!KernelFixtures.sameBits(expected[i], got[i])) {
                fail(what + ": index " + (i - OFF) + " expected " + expected[i] + " but was " + got[i]);
            }
        }
    }

    @Test
    void everyActivationAcrossChunksMatchesScalar() {
        for (Algorithm a : Algorithm.values()) {
            Eltwise op = Eltwise.defaults(a);
            // The in-place runs start from the copy that is overwritten, so they compare against the same input.
            checkAllPaths(a + " forward", (k, x, dy, out) -> k.forward(op, x, OFF, out, OFF, N), true, false);
            checkAllPaths(a + " derivative", (k, x, dy, out) -> k.derivative(op, x, OFF, out, OFF, N), true, false);
            checkAllPaths(a + " backward", (k, x, dy, out) -> k.backward(op, x, OFF, dy, OFF, out, OFF, N), true, true);
        }
    }
}
