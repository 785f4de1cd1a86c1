package dev.rectify.nn;

import dev.rectify.kernels.ActivationKernels;

/** A loss over a mini-batch of network outputs; {@link #lossAndGradient} writes dLoss/dOutput. */
public abstract class Loss {
    /**
     * Returns the mean loss over the batch and writes its gradient with respect to {@code out} into {@code grad}.
     *
     * @param labels class labels (classification losses) or null
     * @param targets row-major targets (regression losses) or null
     */
    public abstract double lossAndGradient(float[] out, int batch, int width, int[] labels, int labelsOff,
                                           float[] targets, int targetsOff, float[] grad);

    /**
     * The mean loss over the batch, without its gradient: what evaluation needs. The same bits as
     * {@link #lossAndGradient}'s return value for the same arguments.
     */
    public abstract double loss(float[] out, int batch, int width, int[] labels, int labelsOff, float[] targets, int targetsOff);

    public abstract String name();

    /**
     * Softmax followed by cross-entropy, fused: loss = mean over rows of {@code -log softmax(out)[label]},
     * computed from a max-subtracted log-softmax, so large logits neither overflow nor lose the loss;
     * gradient = (softmax(out) - onehot(label)) / batch.
     */
    public static Loss softmaxCrossEntropy(ActivationKernels kernels) {
        return new Loss() {
            private float[] logp = new float[0];

            @Override
            public double lossAndGradient(float[] out, int batch, int width, int[] labels, int labelsOff,
                                          float[] targets, int targetsOff, float[] grad) {
                if (labels == null) throw new IllegalArgumentException("softmax cross-entropy needs class labels");
                if (logp.length < batch * width) logp = new float[batch * width];
                kernels.logSoftmax(out, 0, logp, 0, batch, width);
                double loss = 0;
                float inv = 1f / batch;
                for (int r = 0; r < batch; r++) {
                    int label = labels[labelsOff + r], o = r * width;
                    loss -= logp[o + label];
                    for (int j = 0; j < width; j++) grad[o + j] = (float) Math.exp(logp[o + j]) * inv;
                    grad[o + label] -= inv;
                }
                return loss / batch;
            }

            @Override
            public double loss(float[] out, int batch, int width, int[] labels, int labelsOff, float[] targets, int targetsOff) {
                if (labels == null) throw new IllegalArgumentException("softmax cross-entropy needs class labels");
                if (logp.length < batch * width) logp = new float[batch * width];
                kernels.logSoftmax(out, 0, logp, 0, batch, width);
                double loss = 0;
                for (int r = 0; r < batch; r++) loss -= logp[r * width + labels[labelsOff + r]];
                return loss / batch;
            }

            @Override public String name() { return "softmax-cross-entropy"; }
        };
    }

    /** Mean squared error over all elements: {@code mean((out - target)^2)}, gradient {@code 2 (out - target) / (batch * width)}. */
    public static Loss meanSquaredError() {
        return new Loss() {
            @Override
            public double lossAndGradient(float[] out, int batch, int width, int[] labels, int labelsOff,
                                          float[] targets, int targetsOff, float[] grad) {
                if (targets == null) throw new IllegalArgumentException("mean squared error needs float targets");
                int n = batch * width;
                double loss = 0;
                float scale = 2f / n;
                for (int i = 0; i < n; i++) {
                    float d = out[i] - targets[targetsOff + i];
                    loss += (double) d * d;
                    grad[i] = scale * d;
                }
                return loss / n;
            }

            @Override
            public double loss(float[] out, int batch, int width, int[] labels, int labelsOff, float[] targets, int targetsOff) {
                if (targets == null) throw new IllegalArgumentException("mean squared error needs float targets");
                int n = batch * width;
                double loss = 0;
                for (int i = 0; i < n; i++) {
                    float d = out[i] - targets[targetsOff + i];
                    loss += (double) d * d;
                }
                return loss / n;
            }

            @Override public String name() { return "mse"; }
        };
    }
}
