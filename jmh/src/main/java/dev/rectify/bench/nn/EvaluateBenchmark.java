package dev.rectify.bench.nn;

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
 * One inference pass over a data set, single thread, batch 32, in milliseconds: {@code evaluate} (loss and
 * accuracy, as after every epoch) and {@code bornDead} (the dead-unit check). Run with {@code -prof gc} to see
 * what a pass allocates ({@code digits}: 1,797 rows of 64-128-128-10; {@code mnist}: 4,096 MNIST-shaped rows of
 * 784-256-256-10).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
public class EvaluateBenchmark {
    @Param({"digits", "mnist"})
    public String data;

    Dataset set;
    Trainer trainer;

    @Setup
    public void setUp() {
        set = data.equals("digits") ? Digits.load() : Synthetic.mnistShaped(4096, 1);
        int[] sizes = data.equals("digits") ? new int[] {64, 128, 128, 10} : new int[] {784, 256, 256, 10};
        Gemm gemm = Kernels.gemm().withParallelism(1);
        ActivationKernels k = Kernels.activations();
        Network net = Network.builder(sizes).seed(1).kernels(gemm, k).build();
        trainer = Trainer.builder(net, Loss.softmaxCrossEntropy(k), Optimizer.sgd(0.01)).batchSize(32).build();
    }

    @Benchmark
    public double evaluate() {
        return trainer.evaluate(set).loss();
    }

    @Benchmark
    public int bornDead() {
        return trainer.bornDead(set).dead();
    }
}
