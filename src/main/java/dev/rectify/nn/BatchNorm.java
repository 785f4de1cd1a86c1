package dev.rectify.nn;

import java.util.Arrays;
import java.util.List;

/**
 * 1-D batch normalization (Ioffe and Szegedy 2015) over the features of a {@code batch x features} mini-batch,
 * with PyTorch's {@code BatchNorm1d} conventions: training normalizes with the batch mean and biased variance
 * and updates running estimates ({@code running = (1 - momentum) running + momentum batch}, the variance
 * estimate unbiased); inference normalizes with the running estimates. {@code y = gamma * xhat + beta}, gamma
 * starting at 1 and beta at 0, neither weight-decayed. Statistics are accumulated in double.
 */
public final class BatchNorm extends Layer {
    public static final double DEFAULT_EPS = 1e-5, DEFAULT_MOMENTUM = 0.1;

    private final int features;
    private final double eps, momentum;
    final Param gamma, beta;
    private final float[] runningMean, runningVar;
    private float[] xhat, y, dx;
    private final double[] mean, var, invStd, sumDy, sumDyXhat;
    private int lastBatch = -1;

    public BatchNorm(int features, double eps, double momentum) {
        if (features <= 0) throw new IllegalArgumentException("features must be > 0, was " + features);
        if (!(eps > 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("eps must be finite and > 0, was " + eps);
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("momentum must be in [0, 1], was " + momentum);
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        this.gamma = new Param("gamma", features, false);
        this.beta = new Param("beta", features, false);
        Arrays.fill(gamma.value, 1f);
        this.runningMean = new float[features];
        this.runningVar = new float[features];
        Arrays.fill(runningVar, 1f);
        this.mean = new double[features];
        this.var = new double[features];
        this.invStd = new double[features];
        this.sumDy = new double[features];
        this.sumDyXhat = new double[features];
    }

    public BatchNorm(int features) {
        this(features, DEFAULT_EPS, DEFAULT_MOMENTUM);
    }

    @Override public int inputs() { return features; }
    @Override public int outputs() { return features; }

    double eps() { return eps; }
    double momentum() { return momentum; }

    /** The running mean (live). */
    public float[] runningMean() { return runningMean; }
    /** The running variance (live). */
    public float[] runningVar() { return runningVar; }

    @Override
    public float[] forward(float[] in, int batch, boolean training) {
        int n = batch * features;
        y = ensure(y, n);
        if (!training) {
            for (int f = 0; f < features; f++) invStd[f] = 1 / Math.sqrt(runningVar[f] + eps);
            for (int r = 0; r < batch; r++) {
                int o = r * features;
                for (int f = 0; f < features; f++) {
                    y[o + f] = (float) ((in[o + f] - runningMean[f]) * invStd[f]) * gamma.value[f] + beta.value[f];
                }
            }
            return y;
        }
        if (batch < 2) {
            throw new IllegalArgumentException("batch norm needs at least 2 samples per training batch, got " + batch);
        }
        xhat = ensure(xhat, n);
        Arrays.fill(mean, 0);
        Arrays.fill(var, 0);
        for (int r = 0; r < batch; r++) {
            int o = r * features;
            for (int f = 0; f < features; f++) mean[f] += in[o + f];
        }
        for (int f = 0; f < features; f++) mean[f] /= batch;
        for (int r = 0; r < batch; r++) {
            int o = r * features;
            for (int f = 0; f < features; f++) {
                double d = in[o + f] - mean[f];
                var[f] += d * d;
            }
        }
        for (int f = 0; f < features; f++) {
            double biased = var[f] / batch;
            invStd[f] = 1 / Math.sqrt(biased + eps);
            runningMean[f] = (float) ((1 - momentum) * runningMean[f] + momentum * mean[f]);
            runningVar[f] = (float) ((1 - momentum) * runningVar[f] + momentum * var[f] / (batch - 1));
        }
        for (int r = 0; r < batch; r++) {
            int o = r * features;
            for (int f = 0; f < features; f++) {
                float h = (float) ((in[o + f] - mean[f]) * invStd[f]);
                xhat[o + f] = h;
                y[o + f] = h * gamma.value[f] + beta.value[f];
            }
        }
        lastBatch = batch;
        return y;
    }

    /**
     * {@code dbeta = sum dy}, {@code dgamma = sum dy * xhat},
     * {@code dx = gamma * invStd / N * (N dy - dbeta - xhat * dgamma)}.
     */
    @Override
    public float[] backward(float[] dOut, int batch) {
        if (batch != lastBatch) throw new IllegalStateException("backward without a matching training forward pass");
        Arrays.fill(sumDy, 0);
        Arrays.fill(sumDyXhat, 0);
        for (int r = 0; r < batch; r++) {
            int o = r * features;
            for (int f = 0; f < features; f++) {
                sumDy[f] += dOut[o + f];
                sumDyXhat[f] += (double) dOut[o + f] * xhat[o + f];
            }
        }
        for (int f = 0; f < features; f++) {
            beta.grad[f] = (float) sumDy[f];
            gamma.grad[f] = (float) sumDyXhat[f];
        }
        dx = ensure(dx, batch * features);
        for (int r = 0; r < batch; r++) {
            int o = r * features;
            for (int f = 0; f < features; f++) {
                double scale = gamma.value[f] * invStd[f] / batch;
                dx[o + f] = (float) (scale * ((double) batch * dOut[o + f] - sumDy[f] - xhat[o + f] * sumDyXhat[f]));
            }
        }
        return dx;
    }

    @Override public List<Param> params() { return List.of(gamma, beta); }
    @Override public List<float[]> buffers() { return List.of(runningMean, runningVar); }
    @Override public String describe() { return "batchNorm(" + features + ")"; }
}
