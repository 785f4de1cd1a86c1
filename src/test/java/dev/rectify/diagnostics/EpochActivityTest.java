package dev.rectify.diagnostics;

import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.Kernels;
import dev.rectify.nn.Network;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Activities of disjoint parts of an epoch merge into the activity of the whole (what a data-parallel trainer
 * does with its partitions): masks by OR exactly, counts exactly, extremes exactly, sums up to rounding.
 */
class EpochActivityTest {
    static final Gemm GEMM = Kernels.gemm().withParallelism(1);

    static EpochActivity observe(Network net, float[] x, int from, int to) {
        List<Network.Hidden> hidden = net.hidden();
        int[] units = hidden.stream().mapToInt(h -> h.units().outputs()).toArray();
        EpochActivity a = new EpochActivity(units);
        for (int i = 0; i < hidden.size(); i++) hidden.get(i).units().recordActivity(a.activeMask(i));
        double[] summary = new double[10];
        for (int start = from; start < to; start += 16) {
            int b = Math.min(16, to - start);
            net.forward(x, start * 6, b, true);
            for (int i = 0; i < hidden.size(); i++) a.addBatch(i, hidden.get(i).units(), b, net.reductions(), summary);
        }
        for (Network.Hidden h : hidden) h.units().recordActivity(null);
        return a;
    }

    @Test
    void partitionsMergeIntoTheWhole() {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[96 * 6];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        Network net = Network.builder(6, 24, 12, 3).bias(dev.rectify.nn.Init.Bias.constant(-2.5)).seed(4)
                .kernels(GEMM, Kernels.activations()).build();
        EpochActivity whole = observe(net, x, 0, 96);
        EpochActivity merged = observe(net, x, 0, 32).merge(observe(net, x, 32, 80)).merge(observe(net, x, 80, 96));
        int someInactive = 0;
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(whole.active[l], merged.active[l], "layer " + l + " masks");
            for (boolean a : whole.active[l]) if (!a) someInactive++;
            assertEquals(whole.elements[l], merged.elements[l]);
            assertEquals(whole.zeros[l], merged.zeros[l]);
            assertEquals(whole.preMin[l], merged.preMin[l]);
            assertEquals(whole.preMax[l], merged.preMax[l]);
            assertEquals(whole.preSum[l], merged.preSum[l], 1e-9 * Math.abs(whole.preSum[l]) + 1e-9);
        }
        assertTrue(someInactive > 0, "the bias -2.5 leaves some unit inactive over all the data");
        boolean[] firstPart = observe(net, x, 0, 32).active[0];
        assertTrue(!Arrays.equals(firstPart, whole.active[0]), "some unit is active only outside the first part: the OR matters");
    }

    @Test
    void activitiesOfOtherShapesDoNotMerge() {
        EpochActivity a = new EpochActivity(new int[] {4, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.merge(new EpochActivity(new int[] {4, 2})));
        assertTrue(e.getMessage().contains("hidden layer 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.merge(new EpochActivity(new int[] {4})));
    }
}
