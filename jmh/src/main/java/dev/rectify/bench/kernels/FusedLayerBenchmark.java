package dev.rectify.bench.kernels;

import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.GemmEpilogue;
import dev.rectify.kernels.Kernels;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
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
 * One dense layer's forward pass, Y = relu(X W + bias): Rectify's GEMM with the fused epilogue
 * ({@code fused}) against OpenBLAS sgemm followed by a bias + ReLU pass with Rectify's kernels
 * ({@code openblas}), which is the best a JVM user can do with a native BLAS: X and W stay in native memory, and
 * only Y is copied to the heap for the pass (JavaCPP's float[] overload would copy all three on every call). Shapes are "MxKxN" (batch x
 * inputs x units); single thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
public class FusedLayerBenchmark {
    @Param({"fused", "openblas"})
    public String impl;

    @Param({"256x784x256", "256x256x256", "256x256x10"})
    public String shape;

    int m, n, k;
    float[] x, w, bias, y;
    FloatPointer nx, nw, ny;
    Gemm gemm;
    ActivationKernels act;
    GemmEpilogue epilogue;

    @Setup(Level.Trial)
    public void setUp() {
        int[] s = GemmBenchmark.parse(shape);
        m = s[0];
        k = s[1];
        n = s[2];
        x = GemmBenchmark.random(m * k, 1);
        w = GemmBenchmark.random(k * n, 2);
        bias = GemmBenchmark.random(n, 3);
        y = new float[m * n];
        gemm = Kernels.simdGemm(Kernels.preferredBits()).withParallelism(1);
        act = Kernels.simd();
        epilogue = GemmEpilogue.biasPerColumn(bias, 0).withActivation(Eltwise.relu());
        org.bytedeco.openblas.global.openblas_full.openblas_set_num_threads(1);
        if (impl.equals("openblas")) {
            nx = new FloatPointer(x);
            nw = new FloatPointer(w);
            ny = new FloatPointer(y);
        }
    }

    @Benchmark
    public float[] run() {
        if (impl.equals("fused")) {
            gemm.sgemm(false, false, m, n, k, 1f, x, 0, k, w, 0, n, 0f, y, 0, n, epilogue);
            return y;
        }
        openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, m, n, k, 1f,
                nx, k, nw, n, 0f, ny, n);
        ny.get(y);
        for (int i = 0; i < m; i++) {
            int row = i * n;
            for (int j = 0; j < n; j++) y[row + j] += bias[j];
            act.forward(Eltwise.relu(), y, row, y, row, n);
        }
        return y;
    }
}
