package dev.rectify.bench;

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
        int[] s = GemmBenchmark.parse(shape);
        AlternatingWindows t = AlternatingWindows.measure(cell(bench, shape, args[2]), cell(bench, shape, args[3]),
                2.0 * s[0] * s[1] * s[2], pairs);
        t.print(String.format("A %-10s", args[2]), String.format("B %-10s", args[3]));
        double[] q = t.ratioQuartiles();
        System.out.printf("%s %s: B/A time median %.3f, quartiles %.3f-%.3f (%d pairs, %s vs %s, %s)%n", bench, shape,
                q[0], q[1], q[2], pairs, args[3], args[2], Runtime.version());
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
