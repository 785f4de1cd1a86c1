package dev.rectify.kernels.internal.scalar;

import static dev.rectify.kernels.internal.Formulas.bPrelu;
import static dev.rectify.kernels.internal.Formulas.fLeaky;

/**
 * Not API. PReLU on the scalar path, a slope per channel over rows of {@code channels} values; also the remainder of
 * the SIMD PReLU loops. Rows are accumulated in order for the slope gradient, so it is bit-identical on both paths.
 */
public final class ScalarPrelu {
    private ScalarPrelu() {}

    /** PReLU forward over elements {@code [from, to)} of the call, for the SIMD path's remainders. */
    public static void preluForwardRange(float[] x, int xo, float[] slope, int so, int channels,
                                         float[] y, int yo, int from, int to) {
        // one division per call, not per element: the SIMD path calls this for a few elements per row
        for (int i = from, c = from % channels; i < to; i++) {
            y[yo + i] = fLeaky(x[xo + i], slope[so + c]);
            if (++c == channels) {
                c = 0;
            }
        }
    }

    /** PReLU derivative over elements {@code [from, to)} of the call. */
    public static void preluDerivativeRange(float[] x, int xo, float[] slope, int so, int channels,
                                            float[] d, int dOff, int from, int to) {
        for (int i = from; i < to; i++) {
            d[dOff + i] = x[xo + i] > 0f ? 1f : slope[so + i % channels];
        }
    }

    /**
     * PReLU backward over elements {@code [from, to)} of the call; the slope gradient of each channel is
     * accumulated in element order, the order the SIMD path keeps too.
     */
    public static void preluBackwardRange(float[] x, int xo, float[] slope, int so, int channels, float[] dy, int dyo,
                                          float[] dx, int dxo, float[] dSlope, int dso, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = i % channels;
            float v = x[xo + i];
            float g = dy[dyo + i];
            float s = slope[so + c];
            // The slope gradient is read before dx is written: dx may be x or dy (in place).
            if (dSlope != null && !(v > 0f)) {
                dSlope[dso + c] += g * v;
            }
            dx[dxo + i] = bPrelu(v, g, s);
        }
    }
}
