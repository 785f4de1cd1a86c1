package dev.rectify.bench.kernels;

import dev.rectify.bench.baselines.PlainLoops;

import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.Kernels;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * SGEMM C = A B (or with a transposed operand) through Rectify's SIMD and scalar paths, the plain triple
 * loop, EJML and OpenBLAS. The parameters are a stable interface for reports and scripts:
 * <ul>
 * <li>{@code impl}: simd, scalar, loop, ejml, openblas;</li>
 * <li>{@code shape}: "MxKxN" for op(A) m x k times op(B) k x n, with an optional suffix "_tn" (A transposed),
 * "_nt" (B transposed) or "_tt";</li>
 * <li>{@code threads}: 1 or 2 (loop and EJML are single-threaded and reject 2).</li>
 * </ul>
 * The default shapes are the square sizes and the training shapes of a 784-256-256-10 MLP at batch 256:
 * forward X W, backward dY W^T (_nt) and X^T dY (_tn).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
public class GemmBenchmark {
    @Param({"simd", "scalar", "loop", "ejml", "openblas"})
    public String impl;

    @Param({"64x64x64", "128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
            "256x784x256", "256x256x10", "256x256x784_nt", "256x10x256_nt", "784x256x256_tn", "256x256x10_tn"})
    public String shape;

    /** 2 via {@code -p threads=2}, for simd, scalar and openblas (loop and ejml are single-threaded). */
    @Param({"1"})
    public int threads;

    int m, n, k;
    boolean ta, tb;
    float[] a, b, c;
    /** OpenBLAS's operands in native memory, filled once: see {@link #run}. */
    FloatPointer na, nb, nc;
    Gemm gemm;
    FMatrixRMaj ea, eb, ec;

    /** Parses "MxKxN" with an optional _nn/_nt/_tn/_tt suffix into {m, k, n, transA, transB}. */
    public static int[] parse(String shape) {
        String[] parts = shape.split("_");
        String[] d = parts[0].split("x");
        if (d.length != 3) throw new IllegalArgumentException("shape must be MxKxN[_xy], was " + shape);
        String t = parts.length > 1 ? parts[1] : "nn";
        if (!t.matches("[nt][nt]")) throw new IllegalArgumentException("shape suffix must be nn, nt, tn or tt: " + shape);
        return new int[] {Integer.parseInt(d[0]), Integer.parseInt(d[1]), Integer.parseInt(d[2]),
                t.charAt(0) == 't' ? 1 : 0, t.charAt(1) == 't' ? 1 : 0};
    }

    static float[] random(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }

    @Setup(Level.Trial)
    public void setUp() {
        int[] s = parse(shape);
        m = s[0];
        k = s[1];
        n = s[2];
        ta = s[3] == 1;
        tb = s[4] == 1;
        a = random(m * k, 1);
        b = random(k * n, 2);
        c = new float[m * n];
        switch (impl) {
            case "simd": gemm = Kernels.simdGemm(Kernels.preferredBits()).withParallelism(threads); break;
            case "auto": gemm = Kernels.gemm().withParallelism(threads); break; // as a user gets it (-p impl=auto)
            case "scalar": gemm = Kernels.scalarGemm().withParallelism(threads); break;
            case "loop":
            case "ejml":
                if (threads != 1) throw new IllegalArgumentException(impl + " is single-threaded");
                if (impl.equals("ejml")) {
                    ea = ta ? new FMatrixRMaj(k, m, true, a) : new FMatrixRMaj(m, k, true, a);
                    eb = tb ? new FMatrixRMaj(n, k, true, b) : new FMatrixRMaj(k, n, true, b);
                    ec = new FMatrixRMaj(m, n);
                }
                break;
            case "openblas":
                org.bytedeco.openblas.global.openblas_full.openblas_set_num_threads(threads);
                na = new FloatPointer(a);
                nb = new FloatPointer(b);
                nc = new FloatPointer(c);
                break;
            default: throw new IllegalArgumentException("impl " + impl);
        }
    }

    /**
     * One product. OpenBLAS multiplies operands kept in native memory: JavaCPP's float[] overload copies every
     * array in and out of the heap on each call (1024^3 at a quarter of OpenBLAS's speed, 256^3 at 0.86x on a
     * Zen 5 host; docs/design.md), which would measure the binding, not OpenBLAS.
     */
    @Benchmark
    public Object run() {
        switch (impl) {
            case "simd":
            case "auto":
            case "scalar":
                gemm.sgemm(ta, tb, m, n, k, 1f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0f, c, 0, n);
                return c;
            case "loop":
                PlainLoops.gemm(ta, tb, m, n, k, a, b, c);
                return c;
            case "ejml":
                if (ta && tb) CommonOps_FDRM.multTransAB(ea, eb, ec);
                else if (ta) CommonOps_FDRM.multTransA(ea, eb, ec);
                else if (tb) CommonOps_FDRM.multTransB(ea, eb, ec);
                else CommonOps_FDRM.mult(ea, eb, ec);
                return ec.data;
            default:
                openblas.cblas_sgemm(openblas.CblasRowMajor, ta ? openblas.CblasTrans : openblas.CblasNoTrans,
                        tb ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, k, 1f, na, ta ? m : k, nb, tb ? k : n,
                        0f, nc, n);
                return nc;
        }
    }
}
