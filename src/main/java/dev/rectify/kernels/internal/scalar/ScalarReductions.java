package dev.rectify.kernels.internal.scalar;

import dev.rectify.kernels.internal.ReductionSupport;

import static dev.rectify.kernels.Reductions.SUMMARY_MAX;
import static dev.rectify.kernels.Reductions.SUMMARY_MIN;
import static dev.rectify.kernels.Reductions.SUMMARY_NONPOSITIVE;
import static dev.rectify.kernels.Reductions.SUMMARY_SUM;
import static dev.rectify.kernels.Reductions.SUMMARY_ZEROS;

/**
 * Not API. The reductions on the scalar path in the summation order {@code Reductions} states; {@link #finishSummary}
 * also finishes the SIMD path's summaries.
 */
public final class ScalarReductions implements ReductionSupport {
    /** The single instance; the class is stateless. */
    public static final ScalarReductions INSTANCE = new ScalarReductions();

    private ScalarReductions() {}

    @Override
    public double sumOfSquares(float[] x, int xo, int n) {
        return blockedSum(x, xo, n, true);
    }

    @Override
    public boolean allFinite(float[] x, int xo, int n) {
        for (int i = xo, end = xo + n; i < end; i++) {
            if (!Float.isFinite(x[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean sgdStep(float[] w, int wo, float[] g, int go, float lr, float wd, int n) {
        boolean finite = true;
        for (int i = 0; i < n; i++) {
            float v = w[wo + i] - lr * (g[go + i] + wd * w[wo + i]);
            w[wo + i] = v;
            finite &= Float.isFinite(v);
        }
        return finite;
    }

    @Override
    public void squarePartials(float[] x, int from, int stop, float[] partials, int po) {
        for (int g = 0; g < SQUARE_PARTIALS; g += 8) {
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
            for (int j = from + g; j < stop; j += SQUARE_PARTIALS) {
                s0 = Math.fma(x[j], x[j], s0);
                s1 = Math.fma(x[j + 1], x[j + 1], s1);
                s2 = Math.fma(x[j + 2], x[j + 2], s2);
                s3 = Math.fma(x[j + 3], x[j + 3], s3);
                s4 = Math.fma(x[j + 4], x[j + 4], s4);
                s5 = Math.fma(x[j + 5], x[j + 5], s5);
                s6 = Math.fma(x[j + 6], x[j + 6], s6);
                s7 = Math.fma(x[j + 7], x[j + 7], s7);
            }
            partials[po + g] = s0;
            partials[po + g + 1] = s1;
            partials[po + g + 2] = s2;
            partials[po + g + 3] = s3;
            partials[po + g + 4] = s4;
            partials[po + g + 5] = s5;
            partials[po + g + 6] = s6;
            partials[po + g + 7] = s7;
        }
    }

    /**
     * The sum (or sum of squares, as fma chains) of x[xo ..+n) in the order the contract of
     * {@code sumOfSquares} fixes: 32 float partials per block of 1,024, added to a double in partial order,
     * then the remainder in double. The flag is loop-invariant, so C2 unswitches the loop on it.
     */
    private static double blockedSum(float[] x, int xo, int n, boolean squares) {
        double total = 0;
        int i = xo;
        final int end = xo + n;
        while (end - i >= SQUARE_PARTIALS) {
            final int stop = i + Math.min(SQUARE_BLOCK, (end - i) & -SQUARE_PARTIALS);
            // Eight partials per sweep keep eight chains in flight; the block is in L1 for all four sweeps.
            for (int g = 0; g < SQUARE_PARTIALS; g += 8) {
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
                for (int j = i + g; j < stop; j += SQUARE_PARTIALS) {
                    s0 = squares ? Math.fma(x[j], x[j], s0) : s0 + x[j];
                    s1 = squares ? Math.fma(x[j + 1], x[j + 1], s1) : s1 + x[j + 1];
                    s2 = squares ? Math.fma(x[j + 2], x[j + 2], s2) : s2 + x[j + 2];
                    s3 = squares ? Math.fma(x[j + 3], x[j + 3], s3) : s3 + x[j + 3];
                    s4 = squares ? Math.fma(x[j + 4], x[j + 4], s4) : s4 + x[j + 4];
                    s5 = squares ? Math.fma(x[j + 5], x[j + 5], s5) : s5 + x[j + 5];
                    s6 = squares ? Math.fma(x[j + 6], x[j + 6], s6) : s6 + x[j + 6];
                    s7 = squares ? Math.fma(x[j + 7], x[j + 7], s7) : s7 + x[j + 7];
                }
                total += s0;
                total += s1;
                total += s2;
                total += s3;
                total += s4;
                total += s5;
                total += s6;
                total += s7;
            }
            i = stop;
        }
        for (; i < end; i++) {
            total += squares ? (double) x[i] * x[i] : x[i];
        }
        return total;
    }

    @Override
    public void summarize(float[] x, int xo, int n, double[] summary, int so) {
        float mn = Float.POSITIVE_INFINITY, mx = Float.NEGATIVE_INFINITY;
        double total = blockedSum(x, xo, n, false);
        long zeros = 0, nonPositive = 0;
        final int end = xo + n;
        for (int j = xo; j < end; j++) {
            float e = x[j];
            mn = e < mn ? e : mn;
            mx = e > mx ? e : mx;
            zeros += e == 0f ? 1 : 0;
            nonPositive += e <= 0f ? 1 : 0;
        }
        finishSummary(x, xo, n, mn, mx, total, zeros, nonPositive, summary, so);
    }

    /**
     * The last step of {@code summarize} on both paths. Minimum and maximum were taken with {@code <} and
     * {@code >}, which skip NaN and do not order -0.0 and +0.0 (a blend on those compares costs a third of
     * the lane-wise MIN/MAX, whose Math.min rules need a longer sequence): a zero becomes +0.0, and when the
     * sum is NaN (a NaN element, or both infinities) a scan decides whether both become NaN.
     */
    public static void finishSummary(float[] x, int xo, int n, float mn, float mx, double total, long zeros,
                                     long nonPositive, double[] summary, int so) {
        if (Double.isNaN(total)) {
            for (int i = xo, end = xo + n; i < end; i++) {
                if (Float.isNaN(x[i])) {
                    mn = Float.NaN;
                    mx = Float.NaN;
                    break;
                }
            }
        }
        summary[so + SUMMARY_MIN] = mn + 0f;
        summary[so + SUMMARY_MAX] = mx + 0f;
        summary[so + SUMMARY_SUM] = total;
        summary[so + SUMMARY_ZEROS] = zeros;
        summary[so + SUMMARY_NONPOSITIVE] = nonPositive;
    }
}
