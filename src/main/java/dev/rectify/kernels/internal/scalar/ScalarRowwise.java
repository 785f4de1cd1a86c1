package dev.rectify.kernels.internal.scalar;

import dev.rectify.kernels.internal.FloatMath;
import dev.rectify.kernels.internal.Formulas;

/**
 * Not API. Softmax and log-softmax with their backward passes on the scalar path: the row-wise kernels, each row
 * max-subtracted and summed in order (the L = 1 case of the order {@code ActivationKernels} states).
 */
final class ScalarRowwise {
    private ScalarRowwise() {}

    static void softmax(boolean log, float[] x, int xo, float[] y, int yo, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int xr = xo + r * cols, yr = yo + r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, x[xr + j]);
            float sum = 0f;
            if (log) {
                for (int j = 0; j < cols; j++) sum += FloatMath.exp(x[xr + j] - max);
                float shift = max + Formulas.logSum(sum);
                for (int j = 0; j < cols; j++) y[yr + j] = x[xr + j] - shift;
            } else {
                for (int j = 0; j < cols; j++) {
                    float e = FloatMath.exp(x[xr + j] - max);
                    y[yr + j] = e;
                    sum += e;
                }
                for (int j = 0; j < cols; j++) y[yr + j] = y[yr + j] / sum;
            }
        }
    }

    static void softmaxBackward(boolean log, float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo,
                                       int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int yr = yo + r * cols, dyr = dyo + r * cols, dxr = dxo + r * cols;
            float s = 0f;
            if (log) {
                for (int j = 0; j < cols; j++) s += dy[dyr + j];
                for (int j = 0; j < cols; j++) dx[dxr + j] = dy[dyr + j] - FloatMath.exp(y[yr + j]) * s;
            } else {
                for (int j = 0; j < cols; j++) s += dy[dyr + j] * y[yr + j];
                for (int j = 0; j < cols; j++) dx[dxr + j] = y[yr + j] * (dy[dyr + j] - s);
            }
        }
    }
}
