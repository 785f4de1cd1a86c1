package dev.rectify.nn;

import dev.rectify.data.Dataset;
import dev.rectify.data.Synthetic;
import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Algorithm;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.Kernels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The optimizer step and the norms run on the GEMM's threads (UpdatePass): every optimizer must give the bits of
 * one thread. The first layer (784 x 96) is larger than both a range of the update and the size from which the
 * gradient norm is split, so both splits are exercised.
 */
class ThreadedStepTest {
    static final Dataset DATA = Synthetic.mnistShaped(256, 3);

    static List<Param> train(Gemm gemm, ActivationKernels k, Supplier<Optimizer> optimizer, double clipNorm) {
        Network net = Network.mlp(new int[] {784, 96, 10}, Eltwise.defaults(Algorithm.RELU), Init.HE_NORMAL, 0, 0, 5, gemm, k);
        Trainer t = Trainer.builder(net, Loss.softmaxCrossEntropy(k), optimizer.get()).batchSize(32).seed(9)
                .clipNorm(clipNorm).build();
        t.fit(DATA, null, 2, null);
        return net.params();
    }

    static void assertSameBits(String what, List<Param> want, List<Param> got) {
        assertEquals(want.size(), got.size());
        for (int p = 0; p < want.size(); p++) {
            float[] a = want.get(p).value(), b = got.get(p).value();
            for (int i = 0; i < a.length; i++) {
                if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                    throw new AssertionError(what + ": parameter " + p + " element " + i + ": " + b[i] + " != " + a[i]);
                }
            }
        }
    }

    /**
     * 784 x 256 and 256 x 256 layers at batch 32 split their forward products in k halves (Dense), and on two
     * threads each thread takes one half's forward product, rows of dW and columns of dx, and its half of the
     * update; the weights must still be those of one thread.
     */
    @Test
    void aWideHiddenLayersGradientsSideBySideGiveTheBitsOfOneThread() {
        Gemm simd = Kernels.gemm();
        List<Param> one = null;
        for (int threads = 1; threads <= 3; threads++) {
            Network net = Network.mlp(new int[] {784, 256, 256, 10}, Eltwise.defaults(Algorithm.RELU), Init.HE_NORMAL, 0, 0, 5,
                    simd.withParallelism(threads), Kernels.activations());
            Trainer t = Trainer.builder(net, Loss.softmaxCrossEntropy(Kernels.activations()), Optimizer.sgd(0.05)).batchSize(32)
                    .seed(9).build();
            t.fit(DATA, null, 1, null);
            if (one == null) one = net.params();
            else assertSameBits("784-256-256-10 on " + threads + " threads", one, net.params());
        }
    }

    @Test
    void everyOptimizerGivesTheBitsOfOneThread() {
        List<Supplier<Optimizer>> optimizers = List.of(
                () -> Optimizer.sgd(0.05),
                () -> Optimizer.sgd(0.05).momentum(0.9).nesterov().weightDecay(1e-4),
                () -> Optimizer.adam(1e-3),
                () -> Optimizer.adamW(1e-3, 0.01));
        Gemm simd = Kernels.gemm();
        for (Supplier<Optimizer> o : optimizers) {
            String name = o.get().describe();
            List<Param> one = train(simd.withParallelism(1), Kernels.activations(), o, 0);
            assertSameBits(name + " on 2 threads", one, train(simd.withParallelism(2), Kernels.activations(), o, 0));
            assertSameBits(name + " on 3 threads", one, train(simd.withParallelism(3), Kernels.activations(), o, 0));
        }
        // clipping by norm uses the threaded gradient norm: a different norm would scale every gradient differently
        Supplier<Optimizer> sgd = () -> Optimizer.sgd(0.5);
        List<Param> one = train(simd.withParallelism(1), Kernels.activations(), sgd, 0.5);
        assertSameBits("clipped on 2 threads", one, train(simd.withParallelism(2), Kernels.activations(), sgd, 0.5));
        List<Param> unclipped = train(simd.withParallelism(1), Kernels.activations(), sgd, 0);
        assertThrows(AssertionError.class, () -> assertSameBits("clipping took effect", one, unclipped));
        Gemm scalar = Kernels.scalarGemm();
        assertSameBits("scalar path on 2 threads", train(scalar.withParallelism(1), Kernels.scalar(), sgd, 0),
                train(scalar.withParallelism(2), Kernels.scalar(), sgd, 0));
    }

    /**
     * On two threads the owners of a split layer's halves sum the squares of their rows of dW in the backward pass;
     * the norms the listeners see, the clipping they decide and the weights must be those of one thread, where the
     * norm pass sums the same halves.
     */
    @Test
    void theOwnersGradientNormsWithClippingGiveTheBitsOfOneThread() {
        List<double[]> one = null;
        List<Param> oneParams = null;
        for (int threads = 1; threads <= 2; threads++) {
            Network net = Network.mlp(new int[] {784, 256, 256, 10}, Eltwise.defaults(Algorithm.RELU), Init.HE_NORMAL, 0, 0, 5,
                    Kernels.gemm().withParallelism(threads), Kernels.activations());
            List<double[]> norms = new java.util.ArrayList<>();
            Trainer t = Trainer.builder(net, Loss.softmaxCrossEntropy(Kernels.activations()), Optimizer.sgd(0.5)).batchSize(32)
                    .seed(9).clipNorm(0.5).listener(new TrainingListener() {
                        @Override
                        public void gradientsReady(int epoch, int batch, double[] squaredNorms) {
                            norms.add(squaredNorms.clone());
                        }
                    }).build();
            t.fit(DATA, null, 1, null);
            assertEquals(DATA.rows() / 32, norms.size());
            if (one == null) {
                one = norms;
                oneParams = net.params();
                continue;
            }
            for (int s = 0; s < one.size(); s++) {
                for (int p = 0; p < one.get(s).length; p++) {
                    assertEquals(Double.doubleToRawLongBits(one.get(s)[p]), Double.doubleToRawLongBits(norms.get(s)[p]),
                            "step " + s + ", parameter " + p + ": " + norms.get(s)[p] + " vs " + one.get(s)[p]);
                }
            }
            assertSameBits("clipped 784-256-256-10 on 2 threads", oneParams, net.params());
        }
        double clipped = 0;
        for (double[] step : one) clipped += Math.sqrt(java.util.Arrays.stream(step).sum()) > 0.5 ? 1 : 0;
        assertEquals(true, clipped > 0, "some step must clip, or the norms do not reach the weights");
    }
}
