package dev.rectify.bench.nn;

import dev.rectify.bench.baselines.DjlMlp;
import dev.rectify.bench.baselines.PlainMlp;
import dev.rectify.bench.baselines.TorchMlp;

import dev.rectify.data.Dataset;
import dev.rectify.data.Digits;
import dev.rectify.data.Synthetic;
import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.Kernels;
import dev.rectify.nn.Loss;
import dev.rectify.nn.Network;
import dev.rectify.nn.Optimizer;
import dev.rectify.nn.Trainer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One training epoch (SGD, lr 0.05, batch 32, ReLU, softmax cross-entropy), single thread, in milliseconds;
 * samples per second = rows / time ({@code digits}: 1,797 rows of 64-128-128-10; {@code mnist}: 4,096
 * MNIST-shaped synthetic rows of 784-256-256-10). {@code simd} and {@code scalar} are Rectify's trainer with
 * the dead-unit diagnostics on, {@code simdNoDiagnostics} with them off (their cost is the ratio), and
 * {@code plain} the obvious float-array MLP ({@link PlainMlp}) as the baseline, and {@code pytorch} the same
 * network in libtorch 2.7.1 through JavaCPP ({@link TorchMlp}; {@code threads} are PyTorch's intra-op threads
 * there), {@code djl} in the official libtorch 2.4.0 build through DJL ({@link DjlMlp}, issue #23's baseline).
 * The two PyTorch cells load different libtorch builds: JMH runs each in its own fork, and they cannot share a JVM.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
public class TrainingBenchmark {
    @Param({"digits", "mnist"})
    public String data;

    @Param({"simd", "simdNoDiagnostics", "scalar", "plain", "pytorch", "djl"})
    public String impl;

    /** GEMM threads of the Rectify cells (1 by default; {@code -p threads=2} for the two-core epoch). */
    @Param({"1"})
    public int threads;

    Dataset set;
    Trainer trainer;
    PlainMlp plain;
    TorchMlp torch;
    DjlMlp djl;
    int[] order;

    @Setup(Level.Trial)
    public void setUp() {
        set = data.equals("digits") ? Digits.load() : Synthetic.mnistShaped(4096, 1);
        int[] sizes = data.equals("digits") ? new int[] {64, 128, 128, 10} : new int[] {784, 256, 256, 10};
        order = new int[set.rows()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Dataset.shuffle(order, new java.util.SplittableRandom(1));
        if (impl.equals("plain")) {
            plain = new PlainMlp(sizes, 32, 1);
            return;
        }
        if (impl.equals("pytorch")) {
            torch = new TorchMlp(sizes, set, order, 32, 0.05f, 1, threads);
            return;
        }
        if (impl.equals("djl")) {
            djl = new DjlMlp(sizes, set, order, 32, 0.05f, threads);
            return;
        }
        boolean scalar = impl.equals("scalar");
        Gemm gemm = (scalar ? Kernels.scalarGemm() : Kernels.simdGemm(Kernels.preferredBits())).withParallelism(threads);
        ActivationKernels k = scalar ? Kernels.scalar() : Kernels.simd();
        Network net = Network.builder(sizes).seed(1).kernels(gemm, k).build();
        Trainer.Builder b = Trainer.builder(net, Loss.softmaxCrossEntropy(k), Optimizer.sgd(0.05))
                .batchSize(32).seed(1);
        if (!impl.equals("simdNoDiagnostics")) b.listener(new dev.rectify.diagnostics.DeadUnitMonitor());
        trainer = b.build();
        trainer.fit(set, null, 1, null); // the one-off born-state pass happens here, not in the measured epochs
    }

    /** Samples per epoch, after {@link #setUp}. */
    public int rows() {
        return set.rows();
    }

    @Benchmark
    public double epoch() {
        if (plain != null) return plain.epoch(set, order, 0.05f);
        if (torch != null) return torch.epoch();
        if (djl != null) return djl.epoch();
        return trainer.fit(set, null, 1, null).get(0).trainLoss();
    }
}
