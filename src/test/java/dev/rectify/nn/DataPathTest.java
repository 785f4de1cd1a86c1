package dev.rectify.nn;

import dev.rectify.kernels.Eltwise;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.rectify.nn.TrainerTest.GEMM;
import static dev.rectify.nn.TrainerTest.K;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The data path without detours gives the bits of the path with them: offsets instead of copies, loss without gradient. */
class DataPathTest {
    static float[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (3 * r.nextGaussian());
        return a;
    }

    static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Float.floatToRawIntBits(a[i]);
        return b;
    }

    @Test
    void aForwardPassThroughAnOffsetEqualsOneOnACopiedSlice() {
        float[] data = gaussian(50 * 6, 1);
        List<Network> nets = List.of(Network.builder(6, 9, 5, 3).seed(2).kernels(GEMM, K).build(),
                Network.builder(6, 9, 5, 3).batchNorm(true).prelu(0.2f).seed(3).kernels(GEMM, K).build(),
                new Network(List.of(new Activation(6, Eltwise.elu(), K, 1), new Dense(6, 3, null, GEMM, K))));
        for (Network net : nets) {
            for (int start : new int[] {0, 7, 33}) {
                int rows = 50 - start;
                float[] copied = net.forward(Arrays.copyOfRange(data, start * 6, 50 * 6), rows, false).clone();
                float[] inPlace = net.forward(data, start * 6, rows, false);
                assertArrayEquals(bits(Arrays.copyOf(copied, rows * 3)), bits(Arrays.copyOf(inPlace, rows * 3)), net + " from row " + start);
            }
        }
    }

    @Test
    void theLossWithoutItsGradientHasTheSameBits() {
        int batch = 13, width = 7;
        float[] out = gaussian(batch * width, 4), targets = gaussian(batch * width + 5, 5);
        int[] labels = new int[batch + 3];
        for (int i = 0; i < labels.length; i++) labels[i] = (i * 5) % width;
        float[] grad = new float[batch * width];
        Loss ce = Loss.softmaxCrossEntropy(K), mse = Loss.meanSquaredError();
        assertEquals(Double.doubleToLongBits(ce.lossAndGradient(out, batch, width, labels, 3, null, 0, grad)),
                Double.doubleToLongBits(ce.loss(out, batch, width, labels, 3, null, 0)));
        assertEquals(Double.doubleToLongBits(mse.lossAndGradient(out, batch, width, null, 0, targets, 5, grad)),
                Double.doubleToLongBits(mse.loss(out, batch, width, null, 0, targets, 5)));
    }
}
