package dev.rectify.kernels.internal.simd;

import dev.rectify.kernels.internal.Formulas;
import dev.rectify.kernels.internal.scalar.ScalarActivations;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Not API. The row-wise kernels on vectors: softmax and log-softmax with their backward passes. A row is summed in
 * L lane-wise partial sums added from lane 0 to lane L-1, then the remaining values one by one: the order the
 * {@code ActivationKernels} contract states for a width.
 */
abstract class SimdRowwise extends SimdGeluErf {
    /**
     * Sums the lanes strictly from lane 0 upwards. {@code reduceLanes(ADD)} leaves the order to the
     * implementation, and JDK 25's C2 reduces as a tree while its interpreter goes lane by lane, so the
     * same softmax row gave different bits before and after warm-up: training with one seed was not
     * reproducible within one JVM.
     */
    static float sumInLaneOrder(FloatVector v) {
        float s = v.lane(0);
        for (int i = 1; i < v.length(); i++) s += v.lane(i);
        return s;
    }

    public void softmax(boolean log, float[] x, int xo, float[] y, int yo, int rows, int cols) {
        final int step = species().length(), ub = species().loopBound(cols);
        for (int r = 0; r < rows; r++) {
            final int xr = xo + r * cols, yr = yo + r * cols;
            FloatVector vmax = zeros().broadcast(Float.NEGATIVE_INFINITY);
            int j = 0;
            for (; j < ub; j += step) vmax = vmax.max(load(x, xr + j));
            float max = vmax.reduceLanes(VectorOperators.MAX);
            for (; j < cols; j++) max = Math.max(max, x[xr + j]);
            FloatVector vsum = zeros();
            float sum = 0f;
            if (log) {
                for (j = 0; j < ub; j += step) vsum = vsum.add(SimdMath.expBounded(load(x, xr + j).sub(max)));
                sum = sumInLaneOrder(vsum);
                for (; j < cols; j++) sum += dev.rectify.kernels.internal.FloatMath.exp(x[xr + j] - max);
                float shift = max + Formulas.logSum(sum);
                for (j = 0; j < ub; j += step) load(x, xr + j).sub(shift).intoArray(y, yr + j);
                for (; j < cols; j++) y[yr + j] = x[xr + j] - shift;
            } else {
                for (j = 0; j < ub; j += step) {
                    FloatVector e = SimdMath.expBounded(load(x, xr + j).sub(max));
                    e.intoArray(y, yr + j);
                    vsum = vsum.add(e);
                }
                sum = sumInLaneOrder(vsum);
                for (; j < cols; j++) {
                    float e = dev.rectify.kernels.internal.FloatMath.exp(x[xr + j] - max);
                    y[yr + j] = e;
                    sum += e;
                }
                for (j = 0; j < ub; j += step) load(y, yr + j).div(sum).intoArray(y, yr + j);
                for (; j < cols; j++) y[yr + j] = y[yr + j] / sum;
            }
        }
    }

    public void softmaxBackward(boolean log, float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo,
                                       int rows, int cols) {
        final int step = species().length(), ub = species().loopBound(cols);
        for (int r = 0; r < rows; r++) {
            final int yr = yo + r * cols, dyr = dyo + r * cols, dxr = dxo + r * cols;
            FloatVector vs = zeros();
            int j = 0;
            if (log) {
                for (; j < ub; j += step) vs = vs.add(load(dy, dyr + j));
                float s = sumInLaneOrder(vs);
                for (; j < cols; j++) s += dy[dyr + j];
                for (j = 0; j < ub; j += step) {
                    load(dy, dyr + j).sub(SimdMath.exp(load(y, yr + j)).mul(s)).intoArray(dx, dxr + j);
                }
                for (; j < cols; j++) dx[dxr + j] = dy[dyr + j] - dev.rectify.kernels.internal.FloatMath.exp(y[yr + j]) * s;
            } else {
                for (; j < ub; j += step) vs = load(dy, dyr + j).fma(load(y, yr + j), vs);
                float s = sumInLaneOrder(vs);
                for (; j < cols; j++) s += dy[dyr + j] * y[yr + j];
                for (j = 0; j < ub; j += step) {
                    load(y, yr + j).mul(load(dy, dyr + j).sub(s)).intoArray(dx, dxr + j);
                }
                for (; j < cols; j++) dx[dxr + j] = y[yr + j] * (dy[dyr + j] - s);
            }
        }
    }
}
