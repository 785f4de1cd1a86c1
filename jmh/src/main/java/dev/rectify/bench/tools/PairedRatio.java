package dev.rectify.bench.tools;

import dev.rectify.bench.kernels.ActivationBenchmark;
import dev.rectify.bench.nn.TrainingBenchmark;
import dev.rectify.bench.kernels.FusedLayerBenchmark;
import dev.rectify.bench.kernels.GemmBenchmark;
import dev.rectify.bench.baselines.PlainLoops;
import dev.rectify.bench.kernels.CopyBenchmark;
import dev.rectify.bench.kernels.PeakBenchmark;

import java.util.function.Supplier;

/**
 * The time ratio of two cells of {@link GemmBenchmark}, {@link FusedLayerBenchmark} or, at one array size,
 * {@link ActivationBenchmark} and {@link CopyBenchmark}, measured in one JVM
 * in alternating windows of about 30 ms, so that both cells see the same moment of a shared machine. On this
 * project's 2-core machine, whose neighbours move separate JMH forks by 10-40%, the per-window-pair ratio
 * is what stays put; the JMH reports give the absolute times. Each cell is the benchmark class itself with
 * its parameters set and its {@code @Setup} run, so both run exactly the code JMH measures.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp target/benchmarks.jar dev.rectify.bench.PairedRatio \
 *     gemm|fused SHAPE IMPL_A[:THREADS] IMPL_B[:THREADS] [PAIRS]     (gemm IMPL "peak": the FMA peak loop, same flops)
 * java --add-modules jdk.incubator.vector -cp target/benchmarks.jar dev.rectify.bench.PairedRatio \
 *     act SIZE[+extremes] OP:PASS:IMPL|copy:copy|copy:stream3 OP:PASS:IMPL|copy:copy|copy:stream3 [PAIRS]
 * java --add-modules jdk.incubator.vector -cp target/benchmarks.jar dev.rectify.bench.PairedRatio \
 *     train digits|mnist IMPL_A[:THREADS] IMPL_B[:THREADS] [PAIRS]</pre>
 * Prints each cell's median and best time per call and the median and quartiles of B time / A time over the
 * window pairs (above 1: A is faster); with {@code -Dseries=true} also every pair's two times in time order.
 * The first PAIRS / 2 pairs are warm-up and not counted.
 */
public final class PairedRatio {
    private PairedRatio() {
    }

    /** Allocated before the cells' arrays, and kept, so that it shifts them. */
    static float[] shift;

    public static void main(String[] args) {
        if (args.length < 4) {
            throw new IllegalArgumentException("usage: PairedRatio gemm|fused SHAPE IMPL_A[:THREADS] IMPL_B[:THREADS] [PAIRS]"
                    + " | act SIZE[+extremes] OP:PASS:IMPL|copy:copy|copy:stream3 (twice) [PAIRS] | train digits|mnist IMPL_A[:THREADS] IMPL_B[:THREADS] [PAIRS]");
        }
        String bench = args[0], shape = args[1];
        int pairs = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        if (bench.equals("act")) {
            boolean extremes = shape.endsWith("+extremes");
            int size = Integer.parseInt(extremes ? shape.substring(0, shape.length() - "+extremes".length()) : shape);
            // Both cells work on the same arrays: where an array sits (its alignment, its distance to the
            // others modulo 4 KB) moves an L1-resident kernel by 10%, the same code in two cells included.
            shift = new float[Integer.getInteger("pad", 0)];   // -Dpad=N: the arrays below move by N floats
            ActivationBenchmark arrays = new ActivationBenchmark();
            arrays.op = "relu";
            arrays.pass = "forward";
            arrays.impl = "loop";
            arrays.size = size;
            arrays.extremes = extremes;
            arrays.setUp();
            AlternatingWindows t = AlternatingWindows.measure(elementwiseCell(arrays, args[2]),
                    elementwiseCell(arrays, args[3]), size, "Gelem/s", pairs);
            t.print(String.format("A %-26s", args[2]), String.format("B %-26s", args[3]));
            double[] q = t.ratioQuartiles();
            System.out.printf("act %s: B/A time median %.3f, quartiles %.3f-%.3f (%d pairs, %s vs %s, %s)%n", shape,
                    q[0], q[1], q[2], pairs, args[3], args[2], Runtime.version());
            return;
        }
        if (bench.equals("train")) {
            String implA = args[2].split(":")[0], implB = args[3].split(":")[0];
            if (implA.equals("pytorch") && implB.equals("djl") || implA.equals("djl") && implB.equals("pytorch")) {
                throw new IllegalArgumentException("pytorch and djl load two different libtorch builds and cannot "
                        + "share a JVM: pair each with Rectify in its own run");
            }
            TrainingBenchmark a = trainingCell(shape, args[2]), b = trainingCell(shape, args[3]);
            AlternatingWindows t = AlternatingWindows.measure(a::epoch, b::epoch, a.rows() * 1e6, "k samples/s", pairs);
            t.print(String.format("A %-20s", args[2]), String.format("B %-20s", args[3]));
            double[] q = t.ratioQuartiles();
            System.out.printf("train %s: B/A time median %.3f, quartiles %.3f-%.3f (%d pairs, %s vs %s, %s)%n", shape,
                    q[0], q[1], q[2], pairs, args[3], args[2], Runtime.version());
            return;
        }
        int[] s = GemmBenchmark.parse(shape);
        AlternatingWindows t = AlternatingWindows.measure(cell(bench, shape, args[2]), cell(bench, shape, args[3]),
                2.0 * s[0] * s[1] * s[2], pairs);
        t.print(String.format("A %-10s", args[2]), String.format("B %-10s", args[3]));
        double[] q = t.ratioQuartiles();
        System.out.printf("%s %s: B/A time median %.3f, quartiles %.3f-%.3f (%d pairs, %s vs %s, %s)%n", bench, shape,
                q[0], q[1], q[2], pairs, args[3], args[2], Runtime.version());
    }

    /** One epoch of {@link TrainingBenchmark} on "digits" or "mnist" for "impl[:threads]", set up. */
    private static TrainingBenchmark trainingCell(String data, String spec) {
        String[] p = spec.split(":");
        TrainingBenchmark t = new TrainingBenchmark();
        t.data = data;
        t.impl = p[0];
        t.threads = p.length > 1 ? Integer.parseInt(p[1]) : 1;
        t.setUp();
        return t;
    }

    /** A benchmark instance for "impl[:threads]", set up, as a supplier of one call's result. */
    private static Supplier<Object> cell(String bench, String shape, String spec) {
        String[] p = spec.split(":");
        int threads = p.length > 1 ? Integer.parseInt(p[1]) : 1;
        switch (bench) {
            case "gemm": {
                if (p[0].equals("peak")) {
                    // As many flops as the shape's product, as FMAs in registers: B/A against it is the fraction of peak.
                    int[] s = GemmBenchmark.parse(shape);
                    long steps = Math.max(1, Math.round(2.0 * s[0] * s[1] * s[2] / (2.0 * PeakBenchmark.lanes()) / 12));
                    return () -> PeakBenchmark.fma(steps, 1.0000001f, 0.9999999f);
                }
                GemmBenchmark g = new GemmBenchmark();
                g.impl = p[0];
                g.shape = shape;
                g.threads = threads;
                g.setUp();
                if (p[0].equals("openblas")) {
                    // OpenBLAS's thread count is process-wide: each call sets its own, or the cell set up
                    // last would decide for both.
                    return () -> {
                        org.bytedeco.openblas.global.openblas_full.openblas_set_num_threads(threads);
                        return g.run();
                    };
                }
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
                throw new IllegalArgumentException("bench must be gemm, fused or act, was " + bench);
        }
    }

    /**
     * "op:pass:impl" of {@link ActivationBenchmark}, or "copy:copy" / "copy:stream3" of {@link CopyBenchmark},
     * on the arrays of {@code shared}: x, dy in and y, dx out (copy: x to y; stream3: x + dy to dx).
     */
    private static Supplier<Object> elementwiseCell(ActivationBenchmark shared, String spec) {
        int size = shared.size;
        String[] p = spec.split(":");
        if (p.length == 2 && p[0].equals("copy")) {
            CopyBenchmark c = new CopyBenchmark();
            c.size = size;
            c.a = shared.x;
            c.b = shared.dy;
            c.c = p[1].equals("copy") ? shared.y : shared.dx;
            switch (p[1]) {
                case "copy": return c::copy;
                case "stream3": return c::stream3;
                default: throw new IllegalArgumentException("copy cell must be copy:copy or copy:stream3, was " + spec);
            }
        }
        if (p.length != 3) throw new IllegalArgumentException("cell must be op:pass:impl, was " + spec);
        ActivationBenchmark a = new ActivationBenchmark();
        a.op = p[0];
        a.pass = p[1];
        a.impl = p[2];
        a.size = size;
        a.share(shared);
        // Separate call paths, so that neither cell's code is compiled with the other's branch profile.
        if (a.impl.equals("loopMax")) {
            float[] x = a.x, y = a.y;
            return () -> {
                PlainLoops.reluMax(x, y, size);
                return y;
            };
        }
        if (a.kernels == null) {
            return () -> {
                a.runPlain();
                return a.y;
            };
        }
        return a::run;
    }
}
