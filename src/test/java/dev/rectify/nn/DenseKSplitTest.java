package dev.rectify.nn;

import dev.rectify.kernels.Algorithm;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.Kernels;
import dev.rectify.kernels.Reductions;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dense's forward contract: a large layer sums its two k halves' products (scalar GEMM here, as the reference)
 * and then adds the bias; a small one makes one product. Checked bit for bit against references built from the
 * scalar GEMM and plain float arithmetic, on the SIMD path and one to three threads.
 */
class DenseKSplitTest {
    static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }

    static Dense layer(int in, int out, int threads) {
        Dense d = new Dense(in, out, Eltwise.defaults(Algorithm.RELU), Kernels.gemm().withParallelism(threads), Kernels.activations());
        System.arraycopy(random(in * out, 1), 0, d.weight.value, 0, in * out);
        System.arraycopy(random(out, 2), 0, d.bias.value, 0, out);
        return d;
    }

    /** (x[:, :h] W[:h] + ... ) as the contract states, from the scalar GEMM. */
    static float[] splitReference(float[] x, float[] w, float[] b, int batch, int in, int out) {
        Gemm s = Kernels.scalarGemm().withParallelism(1);
        int h = in / 2;
        float[] lo = new float[batch * out], hi = new float[batch * out], z = new float[batch * out];
        s.sgemm(false, false, batch, out, h, 1f, x, 0, in, w, 0, out, 0f, lo, 0, out);
        s.sgemm(false, false, batch, out, in - h, 1f, x, h, in, w, h * out, out, 0f, hi, 0, out);
        for (int r = 0; r < batch; r++) for (int j = 0; j < out; j++) z[r * out + j] = (hi[r * out + j] + lo[r * out + j]) + b[j];
        return z;
    }

    static float[] oneProductReference(float[] x, float[] w, float[] b, int batch, int in, int out) {
        float[] z = new float[batch * out];
        Kernels.scalarGemm().withParallelism(1).sgemm(false, false, batch, out, in, 1f, x, 0, in, w, 0, out, 0f, z, 0, out);
        for (int r = 0; r < batch; r++) for (int j = 0; j < out; j++) z[r * out + j] += b[j];
        return z;
    }

    static void assertBits(String what, float[] want, float[] got, int n) {
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), what + " element " + i + ": " + got[i] + " vs " + want[i]);
        }
    }

    @Test
    void aLargeLayerAddsItsTwoHalfProductsThenTheBias() {
        int in = 300, out = 256;
        assertTrue(Dense.splitsK(in, out));
        for (int batch : new int[] {1, 7, 32}) {
            float[] x = random(batch * in, 3 + batch);
            for (int threads = 1; threads <= 3; threads++) {
                Dense d = layer(in, out, threads);
                float[] y = d.forward(x, batch, true);
                float[] z = splitReference(x, d.weight.value, d.bias.value, batch, in, out);
                assertBits("z, batch " + batch + ", " + threads + " threads", z, d.preActivations(), batch * out);
                float[] relu = new float[batch * out];
                for (int i = 0; i < relu.length; i++) relu[i] = Math.max(0f, z[i]);
                assertBits("y, batch " + batch + ", " + threads + " threads", relu, y, batch * out);
            }
        }
    }

    /** The split changes roundings: on random data some element differs from one product, so the test above can fail. */
    @Test
    void theSplitIsNotTheOneProduct() {
        int in = 300, out = 256, batch = 32;
        float[] x = random(batch * in, 5), w = random(in * out, 1), b = random(out, 2);
        float[] split = splitReference(x, w, b, batch, in, out), one = oneProductReference(x, w, b, batch, in, out);
        boolean differs = false;
        for (int i = 0; i < split.length && !differs; i++) differs = Float.floatToRawIntBits(split[i]) != Float.floatToRawIntBits(one[i]);
        assertTrue(differs);
    }

    @Test
    void aSmallLayerMakesOneProduct() {
        int in = 100, out = 256, batch = 32;
        assertFalse(Dense.splitsK(in, out));
        assertFalse(Dense.splitsK(127, 1024));
        float[] x = random(batch * in, 6);
        Dense d = layer(in, out, 2);
        d.forward(x, batch, true);
        assertBits("z", oneProductReference(x, d.weight.value, d.bias.value, batch, in, out), d.preActivations(), batch * out);
    }

    /**
     * A split layer's squared gradient norm is the sum of its halves' sums of squares (rows [0, h) of dW, then the
     * rest), whoever computed them: on two threads each owner sums its rows in the backward pass.
     */
    @Test
    void aSplitLayersGradientNormSumsItsTwoHalves() {
        int in = 300, out = 256, batch = 32, h = in / 2;
        float[] x = random(batch * in, 7), dy = random(batch * out, 8);
        Reductions scalar = Reductions.of(Kernels.scalar());
        for (int threads = 1; threads <= 3; threads++) {
            Dense d = layer(in, out, threads);
            d.forward(x, batch, true);
            d.backward(dy, batch);
            float[] g = d.weight.grad;
            double want = scalar.sumOfSquares(g, 0, h * out) + scalar.sumOfSquares(g, h * out, (in - h) * out);
            assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(d.weight.gradientSquares(scalar)),
                    threads + " threads");
        }
    }

    /** Sums from the backward pass are used once, and not after the gradient was handed out (it may have changed). */
    @Test
    void theOwnersSumsAreNotUsedAfterTheGradientWasHandedOut() {
        int in = 300, out = 256, batch = 32;
        Dense d = layer(in, out, 2);
        d.forward(random(batch * in, 7), batch, true);
        d.backward(random(batch * out, 8), batch);
        Reductions scalar = Reductions.of(Kernels.scalar());
        double before = d.weight.gradientSquares(scalar);
        d.backward(random(batch * out, 8), batch);
        d.weight.grad()[0] = 1000f;
        double after = d.weight.gradientSquares(scalar);
        assertTrue(after >= 1e6 && after < before + 1e6 + 1, "after " + after + ", before " + before);
    }
    /**
     * db is each column of dZ summed in float from +0.0, row 0 first: checked on a linear layer (dZ = dy) with
     * magnitudes that make the order matter, signed zeros and a NaN, below and above one GEMM k block of rows.
     */
    @Test
    void theBiasGradientSumsEachColumnOfDzInRowOrder() {
        int out = 40;
        for (int in : new int[] {20, 300}) {
            for (int batch : new int[] {1, 32, Gemm.KC + 3}) {
                float[] dy = random(batch * out, 11);
                for (int r = 0; r < batch; r++) {
                    dy[r * out] = r % 3 == 0 ? 1e8f : r % 3 == 1 ? 1f : -1e8f; // sums to 1 or 0 by order
                    dy[r * out + 1] = -0f;                                    // +0.0 + -0.0 = +0.0
                    dy[r * out + 2] = r == batch / 2 ? Float.NaN : dy[r * out + 2] * 1e-30f;
                }
                float[] want = new float[out];
                for (int r = 0; r < batch; r++) for (int j = 0; j < out; j++) want[j] += dy[r * out + j];
                for (int threads = 1; threads <= 2; threads++) {
                    Dense d = new Dense(in, out, null, Kernels.gemm().withParallelism(threads), Kernels.activations());
                    d.forward(random(batch * in, 12), batch, true);
                    d.backward(dy, batch);
                    assertBits("db, " + in + " inputs, batch " + batch + ", " + threads + " threads", want, d.bias.grad, out);
                }
            }
        }
    }
}
