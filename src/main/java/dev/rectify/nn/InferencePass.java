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

    /** Per layer, the units a mask leaves inactive. */
    static int[] countInactive(boolean[][] masks) {
        int[] n = new int[masks.length];
        for (int i = 0; i < masks.length; i++) for (boolean active : masks[i]) if (!active) n[i]++;
        return n;
    }
}
