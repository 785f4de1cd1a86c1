package dev.rectify.bench;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The time ratio of two cells of {@link GemmBenchmark} or {@link FusedLayerBenchmark}, measured in one JVM
 * in alternating windows of about 30 ms, so that both cells see the same moment of a shared machine. On this
 * project's 2-core machine, whose neighbours move separate JMH forks by 10-40%, the per-window-pair ratio
 * is what stays put; the JMH reports give the absolute times. Each cell is the benchmark class itself with
 * its parameters set and its {@code @Setup} run, so both run exactly the code JMH measures.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp target/benchmarks.jar dev.rectify.bench.PairedRatio \
 *     gemm|fused SHAPE IMPL_A[:THREADS] IMPL_B[:THREADS] [PAIRS]</pre>
 * Prints each cell's median and best time per call and the median and quartiles of B time / A time over the
 * window pairs (above 1: A is faster); with {@code -Dseries=true} also every pair's two times in time order.
 * The first PAIRS / 2 pairs are warm-up and not counted.
 */
public final class PairedRatio {
    private PairedRatio() {
    }

    public static void main(String[] args) {
        if (args.length < 4) {
            throw new IllegalArgumentException("usage: PairedRatio gemm|fused SHAPE IMPL_A[:THREADS] IMPL_B[:THREADS] [PAIRS]");
        }
        String bench = args[0], shape = args[1];
        int pairs = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        if (pairs < 4) throw new IllegalArgumentException("PAIRS must be at least 4, was " + pairs);
        Supplier<Object> cellA = cell(bench, shape, args[2]), cellB = cell(bench, shape, args[3]);
        @SuppressWarnings("unchecked")
        Supplier<Object>[] cells = new Supplier[] {cellA, cellB};
        int[] s = GemmBenchmark.parse(shape);
        double flop = 2.0 * s[0] * s[1] * s[2];
        int reps = (int) Math.max(1, 30e-3 * 60e9 / flop);   // about 30 ms per window at 60 GFLOPS
        double[][] us = new double[2][pairs];
        Object sink = null;
        for (int w = -pairs / 2; w < pairs; w++) {
            for (int i = 0; i < 2; i++) {
                int v = (w & 1) == 0 ? i : 1 - i;              // alternate which cell goes first
                long t0 = System.nanoTime();
                for (int rep = 0; rep < reps; rep++) sink = cells[v].get();
                if (w >= 0) us[v][w] = (System.nanoTime() - t0) / 1e3 / reps;
            }
        }
        if (sink == null) throw new AssertionError("no result");
        if (Boolean.getBoolean("series")) {                    // -Dseries=true: every pair, in time order
            for (int w = 0; w < pairs; w++) System.out.printf("%.0f %.0f%n", us[0][w], us[1][w]);
        }
        for (int v = 0; v < 2; v++) {
            double[] t = us[v].clone();
            Arrays.sort(t);
            System.out.printf("%s %-10s median %10.1f us (%5.1f GFLOPS), best %10.1f us (%5.1f GFLOPS)%n",
                    v == 0 ? "A" : "B", args[2 + v], t[pairs / 2], flop / t[pairs / 2] / 1e3, t[0], flop / t[0] / 1e3);
        }
        double[] ratio = new double[pairs];
        for (int w = 0; w < pairs; w++) ratio[w] = us[1][w] / us[0][w];
        Arrays.sort(ratio);
        System.out.printf("%s %s: B/A time median %.3f, quartiles %.3f-%.3f (%d pairs, %s vs %s, %s)%n", bench, shape,
                ratio[pairs / 2], ratio[pairs / 4], ratio[3 * pairs / 4], pairs, args[3], args[2],
                Runtime.version());
    }

    /** A benchmark instance for "impl[:threads]", set up, as a supplier of one call's result. */
    private static Supplier<Object> cell(String bench, String shape, String spec) {
        String[] p = spec.split(":");
        int threads = p.length > 1 ? Integer.parseInt(p[1]) : 1;
        switch (bench) {
            case "gemm": {
                GemmBenchmark g = new GemmBenchmark();
                g.impl = p[0];
                g.shape = shape;
                g.threads = threads;
                g.setUp();
                return g::run;
            }
            case "fused": {
                if (threads != 1) throw new IllegalArgumentException("the fused-layer benchmark is single-threaded");
                FusedLayerBenchmark f = new FusedLayerBenchmark();
                f.impl = p[0];
                f.shape = shape;
                f.setUp();
                return f::run;
            }
            default:
                throw new IllegalArgumentException("bench must be gemm or fused, was " + bench);
        }
    }
}
