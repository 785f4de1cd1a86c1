package dev.rectify.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Reductions#withParallelism}: the sum of squares keeps the stated order, so its bits, on every path. */
class ParallelReductionsTest {
    /** The order Reductions#sumOfSquares states, written out here: blocks of 1,024, 32 fma partials, double adds. */
    static double contractOrder(float[] x, int off, int n) {
        double total = 0;
        int i = off;
        final int end = off + n;
        while (end - i >= 32) {
            int len = Math.min(1024, (end - i) & -32);
            float[] partial = new float[32];
            for (int j = 0; j < len; j++) partial[j % 32] = Math.fma(x[i + j], x[i + j], partial[j % 32]);
            for (float p : partial) total += p;
            i += len;
        }
        for (; i < end; i++) total += (double) x[i] * x[i];
        return total;
    }

    @Test
    void splitSumsHaveTheBitsOfTheStatedOrderOnEveryPath() {
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[3 * 65_536 + 1000 + 7 + 5];
        // Magnitudes over 2^-30 .. 2^30, so that the double total rounds and its order shows in the bits.
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * Math.scalb(1.0, r.nextInt(-30, 31)));
        int off = 5, n = x.length - off;
        double want = contractOrder(x, off, n);
        for (ActivationKernels k : KernelFixtures.implementations()) {
            for (int threads : new int[] {1, 2, 5}) {
                double got = Reductions.of(k).withParallelism(threads).sumOfSquares(x, off, n);
                assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got), k.name() + " on " + threads + " threads");
            }
        }
    }

    @Test
    void nanAndInfinityRulesHoldWhenSplit() {
        float[] x = new float[200_000];
        java.util.Arrays.fill(x, 1f);
        Reductions r = Reductions.of(Kernels.activations()).withParallelism(2);
        x[150_000] = Float.POSITIVE_INFINITY;
        assertEquals(Double.POSITIVE_INFINITY, r.sumOfSquares(x, 0, x.length));
        x[10] = Float.NaN;
        assertTrue(Double.isNaN(r.sumOfSquares(x, 0, x.length)));
        x[10] = 3e38f;
        x[150_000] = 3e38f; // float partials overflow: decided in double, finite
        assertTrue(Double.isFinite(r.sumOfSquares(x, 0, x.length)));
    }

    @Test
    void parallelismIsValidatedAndReported() {
        Reductions r = Reductions.of(Kernels.activations());
        assertEquals(1, r.parallelism());
        assertEquals(3, r.withParallelism(3).parallelism());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.withParallelism(0));
        assertTrue(e.getMessage().contains("threads"), e.getMessage());
    }
}
