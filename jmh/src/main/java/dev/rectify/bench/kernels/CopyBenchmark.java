package dev.rectify.bench.kernels;

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
 * The memory-bandwidth ceilings the element-wise kernels are judged against: {@code copy} reads one
 * array and writes one (a forward pass's traffic), {@code stream3} reads two and writes one (a backward
 * pass's traffic: x, dy in, dx out).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class CopyBenchmark {
    @Param({"4096", "262144", "4194304", "33554432"})
    public int size;

    public float[] a, b, c;

    @Setup(Level.Trial)
    public void setUp() {
        a = new float[size];
        b = new float[size];
        c = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = i;
            b[i] = -i;
        }
    }

    @Benchmark
    public float[] copy() {
        System.arraycopy(a, 0, c, 0, size);
        return c;
    }

    /** c = a + b: C2 vectorizes it, so it runs at the bandwidth of two reads and a write. */
    @Benchmark
    public float[] stream3() {
        for (int i = 0; i < size; i++) c[i] = a[i] + b[i];
        return c;
    }
}
