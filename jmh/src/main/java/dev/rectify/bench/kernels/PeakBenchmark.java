package dev.rectify.bench.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * This core's measured fp32 FMA peak, the denominator of the GEMM report's "of peak" column: twelve
 * independent vector FMA chains (enough to cover the FMA latency on both pipes), nothing else. One
 * operation is one vector FMA; GFLOPS = 2 x lanes / (ns per operation). The clock is not derived from it: how many
 * vector FMAs a core retires per cycle depends on the CPU (two on Intel's AVX-512 cores and Zen 5, one 512-bit FMA
 * on Zen 4, which splits it into two 256-bit halves).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class PeakBenchmark {
    static final VectorSpecies<Float> SP = FloatVector.SPECIES_PREFERRED;
    static final int STEPS = 100_000;

    float x = 1.0000001f, y = 0.9999999f;

    @Benchmark
    @OperationsPerInvocation(12 * STEPS)
    public float fma() {
        return fma(STEPS, x, y);
    }

    /**
     * {@code 12 * steps} vector FMAs in twelve independent chains; PairedRatio's {@code peak} cell runs it with as many
     * flops as a GEMM call, in windows alternating with that call, so the fraction of peak is measured at one moment
     * (this project's hosts change clock by up to 1.5x within minutes).
     */
    public static float fma(long steps, float x, float y) {
        FloatVector a = FloatVector.broadcast(SP, x), b = FloatVector.broadcast(SP, y);
        // Twelve different starting values (about 1, 2, ... 12): chains that start equal and do the same
        // operations are one chain to C2's value numbering, and the earlier version (every chain from a or b,
        // and c = c a + b, which costs a register copy per FMA) measured 68-84 GFLOPS for a 102 GFLOPS peak.
        FloatVector c0 = a, c1 = b, c2 = c0.add(c1), c3 = c2.add(c1), c4 = c3.add(c1), c5 = c4.add(c1);
        FloatVector c6 = c5.add(c1), c7 = c6.add(c1), c8 = c7.add(c1), c9 = c8.add(c1), c10 = c9.add(c1), c11 = c10.add(c1);
        for (long i = 0; i < steps; i++) {
            // The chain is the addend (acc = a b + acc), as in a GEMM micro-kernel: one vfmadd231ps, no copy.
            c0 = a.fma(b, c0); c1 = a.fma(b, c1); c2 = a.fma(b, c2); c3 = a.fma(b, c3);
            c4 = a.fma(b, c4); c5 = a.fma(b, c5); c6 = a.fma(b, c6); c7 = a.fma(b, c7);
            c8 = a.fma(b, c8); c9 = a.fma(b, c9); c10 = a.fma(b, c10); c11 = a.fma(b, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    /** Lanes of the preferred species, for the report. */
    public static int lanes() {
        return SP.length();
    }
}
