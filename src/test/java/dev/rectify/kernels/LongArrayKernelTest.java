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

    /**
     * Arrays long enough for the store-alignment peel of the memory-bound forward passes (a few scalar
     * elements first, then aligned vectors), at every offset within a 512-bit vector, writing to a different
     * offset than they read: the same bits as the scalar path, and nothing outside the output range touched.
     */
    @Test
    void alignedLongForwardPassesMatchScalar() {
        final int n = (1 << 16) + 77, pad = 16;
        float[] x = new float[n + 2 * pad];
        SplittableRandom r = new SplittableRandom(KernelFixtures.seed());
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 3);
        }
        x[pad + 3] = Float.NaN;
        x[pad + 9] = -0f;
        float[] slope = new float[256];
        for (int c = 0; c < slope.length; c++) {
            slope[c] = (float) r.nextDouble() - 0.5f;
        }
        Eltwise[] ops = {Eltwise.defaults(Algorithm.RELU), Eltwise.defaults(Algorithm.LEAKY_RELU),
                Eltwise.defaults(Algorithm.RRELU), Eltwise.leakyRelu(-0.3f)};
        for (int xo = 0; xo < pad; xo += 3) {
            for (int yo = 0; yo < pad; yo++) {
                for (Eltwise op : ops) {
                    final int fxo = xo, fyo = yo;
                    checkLong(op + " forward xo=" + xo + " yo=" + yo, x, n, yo,
                            (k, out) -> k.forward(op, x, fxo, out, fyo, n));
                }
                for (int channels : new int[] {256, 40, 8}) {
                    final int fxo = xo, fyo = yo, rows = n / channels;
                    checkLong("prelu(" + channels + ") forward xo=" + xo + " yo=" + yo, x, rows * channels, yo,
                            (k, out) -> k.preluForward(x, fxo, slope, 0, channels, out, fyo, rows * channels));
                }
            }
        }
    }

    interface LongPass {
        void run(ActivationKernels k, float[] out);
    }

    private static void checkLong(String what, float[] x, int n, int yo, LongPass pass) {
        float[] expected = new float[x.length];
        java.util.Arrays.fill(expected, 42f);
        pass.run(Kernels.scalar(), expected);
        for (ActivationKernels k : KernelFixtures.implementations()) {
            float[] out = new float[x.length];
            java.util.Arrays.fill(out, 42f);
            pass.run(k, out);
            for (int i = 0; i < out.length; i++) {
                if (!KernelFixtures.sameBits(expected[i], out[i])) {
                    fail(what + " on " + k.name() + ": index " + i + " expected " + expected[i] + " but was " + out[i]);
                }
                if ((i < yo || i >= yo + n) && out[i] != 42f) {
                    fail(what + " on " + k.name() + ": wrote outside the output range at " + i);
                }
            }
        }
    }
}
