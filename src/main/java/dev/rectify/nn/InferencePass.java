package dev.rectify.nn;

import dev.rectify.data.Dataset;

import java.util.Arrays;
import java.util.List;

/**
 * One inference pass over a data set with every hidden layer's ever-active mask recording: what the born-dead
 * check and a dead-unit monitor's first reference need. Batch norm runs on its running statistics, dropout is the
 * identity; the data's rows are read in place.
 */
final class InferencePass {
    private InferencePass() { }

    /** Per hidden layer the units active on some sample, and whether every output was the same for every sample. */
    record Activity(boolean[][] everActive, boolean outputConstant) { }

    static Activity activity(Network net, Dataset data, int batchSize) {
        List<Network.Hidden> hidden = net.hidden();
        boolean[][] masks = new boolean[hidden.size()][];
        for (int i = 0; i < masks.length; i++) {
            masks[i] = new boolean[hidden.get(i).units().outputs()];
            hidden.get(i).units().recordActivity(masks[i]);
        }
        int outs = net.outputs();
        float[] first = null;
        boolean constant = true;
        try {
            for (int start = 0; start < data.rows(); start += batchSize) {
                int b = Math.min(batchSize, data.rows() - start);
                float[] out = net.forward(data.x(), start * data.features(), b, false);
                if (first == null) first = Arrays.copyOf(out, outs);
                for (int r = 0; r < b && constant; r++) {
                    for (int j = 0; j < outs; j++) {
                        if (Float.floatToIntBits(out[r * outs + j]) != Float.floatToIntBits(first[j])) {
                            constant = false;
                            break;
                        }
                    }
                }
            }
        } finally {
            for (Network.Hidden h : hidden) h.units().recordActivity(null);
        }
        return new Activity(masks, constant);
    }

    /**
     * {@link #activity} with every batch-norm layer normalizing by the data's own per-feature mean and (biased)
     * variance instead of its running statistics, layer after layer: what batch norm does in training, so a unit
     * counts as dead only if it is dead after normalization. For a network that has not been trained yet, whose
     * running statistics are still 0 and 1. The running statistics are restored afterwards.
     */
    static Activity activityWithDataStatistics(Network net, Dataset data, int batchSize) {
        List<Layer> layers = net.layers();
        java.util.Map<BatchNorm, float[][]> saved = new java.util.LinkedHashMap<>();
        try {
            for (int k = 0; k < layers.size(); k++) {
                if (!(layers.get(k) instanceof BatchNorm)) continue;
                BatchNorm bn = (BatchNorm) layers.get(k);
                saved.put(bn, new float[][] {bn.runningMean().clone(), bn.runningVar().clone()});
                int f = bn.inputs();
                double[] sum = new double[f], sq = new double[f];
                for (int pass = 0; pass < 2; pass++) {
                    for (int start = 0; start < data.rows(); start += batchSize) {
                        int b = Math.min(batchSize, data.rows() - start);
                        float[] h = inputOf(layers, k, data, start, b);
                        for (int r = 0; r < b; r++) {
                            for (int j = 0; j < f; j++) {
                                if (pass == 0) {
                                    sum[j] += h[r * f + j];
                                } else {
                                    double d = h[r * f + j] - sum[j] / data.rows();
                                    sq[j] += d * d;
                                }
                            }
                        }
                    }
                }
                for (int j = 0; j < f; j++) {
                    bn.runningMean()[j] = (float) (sum[j] / data.rows());
                    bn.runningVar()[j] = (float) (sq[j] / data.rows());
                }
            }
            return activity(net, data, batchSize);
        } finally {
            for (java.util.Map.Entry<BatchNorm, float[][]> e : saved.entrySet()) {
                System.arraycopy(e.getValue()[0], 0, e.getKey().runningMean(), 0, e.getValue()[0].length);
                System.arraycopy(e.getValue()[1], 0, e.getKey().runningVar(), 0, e.getValue()[1].length);
            }
        }
    }

    /** The input of layer {@code k} for rows [start, start + b) of the data, in inference mode. */
    private static float[] inputOf(List<Layer> layers, int k, Dataset data, int start, int b) {
        float[] h = data.x();
        int off = start * data.features();
        for (int j = 0; j < k; j++) {
            h = layers.get(j).forward(h, off, b, false);
            off = 0;
        }
        if (k == 0) h = Arrays.copyOfRange(h, off, off + b * data.features());
        return h;
    }

    /** The born-dead reference: {@link #activityWithDataStatistics} for batch norm before the first step, else {@link #activity}. */
    static Activity reference(Network net, Dataset data, int batchSize, boolean beforeFirstStep) {
        return beforeFirstStep && net.hasBatchNorm() ? activityWithDataStatistics(net, data, batchSize) : activity(net, data, batchSize);
    }

    /** Per layer, the units a mask leaves inactive. */
    static int[] countInactive(boolean[][] masks) {
        int[] n = new int[masks.length];
        for (int i = 0; i < masks.length; i++) for (boolean active : masks[i]) if (!active) n[i]++;
        return n;
    }
}
