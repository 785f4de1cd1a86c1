package dev.rectify.bench.baselines;

import dev.rectify.bench.nn.TrainingBenchmark;

import dev.rectify.data.Dataset;

import java.util.SplittableRandom;

/**
 * The baseline of {@link TrainingBenchmark}: a multilayer perceptron written the obvious way a JVM user would,
 * with float arrays and nested loops (weights stored one row per unit, dot products per sample), ReLU hidden
 * layers, softmax cross-entropy and plain SGD on mini-batches. No blocking, no Vector API.
 */
public final class PlainMlp {
    private final int[] sizes;
    private final float[][] w, b, gw, gb; // w[l][j * in + i]
    private final float[][] act, delta;   // per layer: batch x width
    private final int batch;

    public PlainMlp(int[] sizes, int batch, long seed) {
        this.sizes = sizes.clone();
        this.batch = batch;
        int layers = sizes.length - 1;
        w = new float[layers][];
        b = new float[layers][];
        gw = new float[layers][];
        gb = new float[layers][];
        act = new float[sizes.length][];
        delta = new float[sizes.length][];
        SplittableRandom r = new SplittableRandom(seed);
        for (int l = 0; l < layers; l++) {
            int in = sizes[l], out = sizes[l + 1];
            w[l] = new float[in * out];
            gw[l] = new float[in * out];
            b[l] = new float[out];
            gb[l] = new float[out];
            double std = Math.sqrt(2.0 / in);
            for (int i = 0; i < w[l].length; i++) w[l][i] = (float) (std * r.nextGaussian());
        }
        for (int l = 0; l < sizes.length; l++) {
            act[l] = new float[batch * sizes[l]];
            delta[l] = new float[batch * sizes[l]];
        }
    }

    /** One epoch over the data in the given order; returns the mean loss. */
    public double epoch(Dataset d, int[] order, float lr) {
        double loss = 0;
        int f = d.features();
        int[] labels = new int[batch];
        for (int start = 0; start < order.length; start += batch) {
            int n = Math.min(batch, order.length - start);
            for (int s = 0; s < n; s++) {
                System.arraycopy(d.x(), order[start + s] * f, act[0], s * f, f);
                labels[s] = d.labels()[order[start + s]];
            }
            loss += step(n, labels, lr) * n;
        }
        return loss / order.length;
    }

    private double step(int n, int[] labels, float lr) {
        int layers = sizes.length - 1;
        for (int l = 0; l < layers; l++) {
            int in = sizes[l], out = sizes[l + 1];
            float[] x = act[l], y = act[l + 1], wl = w[l], bl = b[l];
            for (int s = 0; s < n; s++) {
                for (int j = 0; j < out; j++) {
                    float z = bl[j];
                    for (int i = 0; i < in; i++) z += wl[j * in + i] * x[s * in + i];
                    y[s * out + j] = l + 1 < layers ? Math.max(0f, z) : z;
                }
            }
        }
        int classes = sizes[layers];
        float[] out = act[layers], dOut = delta[layers];
        double loss = 0;
        for (int s = 0; s < n; s++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) max = Math.max(max, out[s * classes + j]);
            double sum = 0;
            for (int j = 0; j < classes; j++) sum += Math.exp(out[s * classes + j] - max);
            loss += Math.log(sum) - (out[s * classes + labels[s]] - max);
            for (int j = 0; j < classes; j++) {
                dOut[s * classes + j] = (float) (Math.exp(out[s * classes + j] - max) / sum) / n;
            }
            dOut[s * classes + labels[s]] -= 1f / n;
        }
        for (int l = layers - 1; l >= 0; l--) {
            int in = sizes[l], outs = sizes[l + 1];
            float[] x = act[l], dy = delta[l + 1], dx = delta[l], wl = w[l], gwl = gw[l], gbl = gb[l];
            java.util.Arrays.fill(gwl, 0f);
            java.util.Arrays.fill(gbl, 0f);
            java.util.Arrays.fill(dx, 0, n * in, 0f);
            for (int s = 0; s < n; s++) {
                for (int j = 0; j < outs; j++) {
                    float g = dy[s * outs + j];
                    gbl[j] += g;
                    for (int i = 0; i < in; i++) {
                        gwl[j * in + i] += g * x[s * in + i];
                        dx[s * in + i] += g * wl[j * in + i];
                    }
                }
            }
            if (l > 0) {
                for (int i = 0; i < n * in; i++) if (x[i] <= 0f) dx[i] = 0f; // ReLU backward from its output
            }
            for (int i = 0; i < wl.length; i++) wl[i] -= lr * gwl[i];
            for (int j = 0; j < outs; j++) b[l][j] -= lr * gbl[j];
        }
        return loss / n;
    }
}
