package dev.rectify.bench.baselines;

/**
 * The loops a user would write without Rectify: one {@code Math.*} call per element, the formula from
 * the textbook, no tricks. They are the baselines of the benchmark report, not reference values.
 */
public final class PlainLoops {
    private PlainLoops() {}

    public static void forward(String op, float[] x, float[] y, int n) {
        switch (op) {
            case "relu": for (int i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0f; break;
            case "leakyRelu": for (int i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0.01f * x[i]; break;
            case "prelu": for (int i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0.25f * x[i]; break;
            case "rrelu": for (int i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : (0.125f + 1f / 3) / 2 * x[i]; break;
            case "elu": for (int i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : (float) Math.expm1(x[i]); break;
            case "selu": for (int i = 0; i < n; i++) y[i] = 1.0507f * (x[i] > 0 ? x[i] : 1.6733f * (float) Math.expm1(x[i])); break;
            case "celu": for (int i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : (float) Math.expm1(x[i]); break;
            case "geluErf": for (int i = 0; i < n; i++) y[i] = x[i] * 0.5f * (1f + erf(x[i] * 0.70710678f)); break;
            case "geluTanh": for (int i = 0; i < n; i++) {
                float v = x[i];
                y[i] = 0.5f * v * (1f + (float) Math.tanh(0.7978846f * (v + 0.044715f * v * v * v)));
            } break;
            case "silu": for (int i = 0; i < n; i++) y[i] = x[i] / (1f + (float) Math.exp(-x[i])); break;
            case "mish": for (int i = 0; i < n; i++) y[i] = x[i] * (float) Math.tanh(Math.log1p(Math.exp(x[i]))); break;
            case "softplus": for (int i = 0; i < n; i++) y[i] = x[i] > 20 ? x[i] : (float) Math.log1p(Math.exp(x[i])); break;
            case "sigmoid": for (int i = 0; i < n; i++) y[i] = 1f / (1f + (float) Math.exp(-x[i])); break;
            case "tanh": for (int i = 0; i < n; i++) y[i] = (float) Math.tanh(x[i]); break;
            case "hardTanh": for (int i = 0; i < n; i++) y[i] = Math.max(-1f, Math.min(1f, x[i])); break;
            case "relu6": for (int i = 0; i < n; i++) y[i] = Math.min(6f, Math.max(0f, x[i])); break;
            case "hardSigmoid": for (int i = 0; i < n; i++) y[i] = Math.max(0f, Math.min(1f, x[i] / 6f + 0.5f)); break;
            case "hardSwish": for (int i = 0; i < n; i++) y[i] = x[i] * Math.max(0f, Math.min(1f, x[i] / 6f + 0.5f)); break;
            default: throw new IllegalArgumentException("no plain loop for " + op);
        }
    }

    /** ReLU written with Math.max, which C2 auto-vectorizes. */
    public static void reluMax(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) y[i] = Math.max(0f, x[i]);
    }

    public static void backward(String op, float[] x, float[] dy, float[] dx, int n) {
        switch (op) {
            case "relu": for (int i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : 0f; break;
            case "leakyRelu": for (int i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : 0.01f * dy[i]; break;
            case "prelu": for (int i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : 0.25f * dy[i]; break;
            case "rrelu": for (int i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : (0.125f + 1f / 3) / 2 * dy[i]; break;
            case "elu": for (int i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * (float) Math.exp(x[i]); break;
            case "selu": for (int i = 0; i < n; i++) dx[i] = dy[i] * 1.0507f * (x[i] > 0 ? 1f : 1.6733f * (float) Math.exp(x[i])); break;
            case "celu": for (int i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * (float) Math.exp(x[i]); break;
            case "geluErf": for (int i = 0; i < n; i++) {
                float v = x[i];
                float cdf = 0.5f * (1f + erf(v * 0.70710678f));
                dx[i] = dy[i] * (cdf + v * (float) Math.exp(-0.5 * v * v) * 0.3989423f);
            } break;
            case "geluTanh": for (int i = 0; i < n; i++) {
                float v = x[i];
                float t = (float) Math.tanh(0.7978846f * (v + 0.044715f * v * v * v));
                dx[i] = dy[i] * (0.5f * (1 + t) + 0.5f * v * (1 - t * t) * 0.7978846f * (1 + 3 * 0.044715f * v * v));
            } break;
            case "silu": for (int i = 0; i < n; i++) {
                float s = 1f / (1f + (float) Math.exp(-x[i]));
                dx[i] = dy[i] * s * (1 + x[i] * (1 - s));
            } break;
            case "mish": for (int i = 0; i < n; i++) {
                float t = (float) Math.tanh(Math.log1p(Math.exp(x[i])));
                float s = 1f / (1f + (float) Math.exp(-x[i]));
                dx[i] = dy[i] * (t + x[i] * (1 - t * t) * s);
            } break;
            case "softplus": for (int i = 0; i < n; i++) dx[i] = x[i] > 20 ? dy[i] : dy[i] / (1f + (float) Math.exp(-x[i])); break;
            case "sigmoid": for (int i = 0; i < n; i++) {
                float s = 1f / (1f + (float) Math.exp(-x[i]));
                dx[i] = dy[i] * s * (1 - s);
            } break;
            case "tanh": for (int i = 0; i < n; i++) {
                float t = (float) Math.tanh(x[i]);
                dx[i] = dy[i] * (1 - t * t);
            } break;
            case "hardTanh": for (int i = 0; i < n; i++) dx[i] = x[i] > -1 && x[i] < 1 ? dy[i] : 0f; break;
            case "relu6": for (int i = 0; i < n; i++) dx[i] = x[i] > 0 && x[i] < 6 ? dy[i] : 0f; break;
            case "hardSigmoid": for (int i = 0; i < n; i++) dx[i] = x[i] > -3 && x[i] < 3 ? dy[i] / 6f : 0f; break;
            case "hardSwish": for (int i = 0; i < n; i++) dx[i] = x[i] < -3 ? 0f : x[i] > 3 ? dy[i] : dy[i] * (x[i] / 3 + 0.5f); break;
            default: throw new IllegalArgumentException("no plain loop for " + op);
        }
    }

    public static void backwardFromOutput(String op, float[] y, float[] dy, float[] dx, int n) {
        switch (op) {
            case "relu": for (int i = 0; i < n; i++) dx[i] = y[i] > 0 ? dy[i] : 0f; break;
            case "leakyRelu": for (int i = 0; i < n; i++) dx[i] = y[i] > 0 ? dy[i] : 0.01f * dy[i]; break;
            case "rrelu": for (int i = 0; i < n; i++) dx[i] = y[i] > 0 ? dy[i] : (0.125f + 1f / 3) / 2 * dy[i]; break;
            case "elu": for (int i = 0; i < n; i++) dx[i] = y[i] > 0 ? dy[i] : dy[i] * (y[i] + 1f); break;
            case "sigmoid": for (int i = 0; i < n; i++) dx[i] = dy[i] * y[i] * (1 - y[i]); break;
            case "tanh": for (int i = 0; i < n; i++) dx[i] = dy[i] * (1 - y[i] * y[i]); break;
            default: throw new IllegalArgumentException("no plain loop for " + op);
        }
    }

    public static void softmax(boolean log, float[] x, float[] y, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, x[o + j]);
            float sum = 0;
            for (int j = 0; j < cols; j++) sum += (float) Math.exp(x[o + j] - max);
            if (log) {
                float ls = (float) Math.log(sum);
                for (int j = 0; j < cols; j++) y[o + j] = x[o + j] - max - ls;
            } else {
                for (int j = 0; j < cols; j++) y[o + j] = (float) Math.exp(x[o + j] - max) / sum;
            }
        }
    }

    public static void softmaxBackward(boolean log, float[] y, float[] dy, float[] dx, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float s = 0;
            if (log) {
                for (int j = 0; j < cols; j++) s += dy[o + j];
                for (int j = 0; j < cols; j++) dx[o + j] = dy[o + j] - (float) Math.exp(y[o + j]) * s;
            } else {
                for (int j = 0; j < cols; j++) s += dy[o + j] * y[o + j];
                for (int j = 0; j < cols; j++) dx[o + j] = y[o + j] * (dy[o + j] - s);
            }
        }
    }

    /** Abramowitz and Stegun 7.1.26, the erf most Java code copies (|error| <= 1.5e-7). */
    static float erf(float x) {
        float t = 1f / (1f + 0.3275911f * Math.abs(x));
        float p = t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f + t * 1.061405429f))));
        return Math.copySign(1f - p * (float) Math.exp(-x * x), x);
    }

    /** The textbook triple loop, i-j-p order with a float accumulator, as a user would write it. */
    public static void gemm(boolean ta, boolean tb, int m, int n, int k, float[] a, float[] b, float[] c) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float x = ta ? a[p * m + i] : a[i * k + p];
                    float y = tb ? b[j * k + p] : b[p * n + j];
                    sum += x * y;
                }
                c[i * n + j] = sum;
            }
        }
    }
}
