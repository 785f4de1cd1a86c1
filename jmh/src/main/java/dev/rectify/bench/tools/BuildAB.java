package dev.rectify.bench.tools;

import dev.rectify.bench.kernels.ActivationBenchmark;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Compares two builds of one kernel in one JVM, for deciding a code change on a noisy shared machine: each build
 * (a {@code target/classes} directory, for example of two worktrees) is loaded by its own class loader, and the
 * two run in {@link AlternatingWindows} on the same arrays, so both see the same moment of the machine. Prints
 * each build's median and best time per call and the median and quartiles of B time / A time per window pair
 * (above 1: A is faster); with {@code -Dseries=true} also every pair's two times in time order. A decision aid,
 * not a report: reports come from JMH.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp target/benchmarks.jar dev.rectify.bench.tools.BuildAB \
 *     gemm CLASSES_A CLASSES_B M K N [PAIRS]      (-Dfused=true: bias + ReLU epilogue; -Dthreads=N; -Dtrans=tn|nt: A or B stored transposed)
 * java --add-modules jdk.incubator.vector -cp target/benchmarks.jar dev.rectify.bench.tools.BuildAB \
 *     act CLASSES_A CLASSES_B OP SIZE[+extremes] [PAIRS]  (OP: an API function name, NAME:backward, prelu with 256
 *                                                      channels or softmax over rows of 256)
 * java --add-modules jdk.incubator.vector -cp target/benchmarks.jar dev.rectify.bench.tools.BuildAB \
 *     train CLASSES_A CLASSES_B digits|mnist [PAIRS]   (TrainingBenchmark's simd epoch; -Dthreads=N)</pre>
 * For {@code train} each build's loader also reads this jar after the build's classes, for TrainingBenchmark
 * itself; each build then has its own GEMM helper threads, one set idle while the other's windows run.
 */
public final class BuildAB {
    private BuildAB() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "";
        boolean gemm = mode.equals("gemm"), act = mode.equals("act"), train = mode.equals("train");
        if (!(gemm && args.length >= 6) && !(act && args.length >= 5) && !(train && args.length >= 4)) {
            throw new IllegalArgumentException("usage: BuildAB gemm CLASSES_A CLASSES_B M K N [PAIRS] | act CLASSES_A CLASSES_B OP[:backward]|softmax SIZE[+extremes] [PAIRS]"
                    + " | train CLASSES_A CLASSES_B digits|mnist [PAIRS]");
        }
        if (train) {
            train(args);
            return;
        }
        int pairsAt = gemm ? 6 : 5;
        int pairs = args.length > pairsAt ? Integer.parseInt(args[pairsAt]) : 100;
        Supplier<?>[] calls = new Supplier[2];
        AlternatingWindows t;
        String what;
        if (gemm) {
            int m = Integer.parseInt(args[3]), k = Integer.parseInt(args[4]), n = Integer.parseInt(args[5]);
            GemmCall g = new GemmCall(m, k, n);
            for (int v = 0; v < 2; v++) calls[v] = g.call(loader(args[1 + v]));
            t = AlternatingWindows.measure(calls[0], calls[1], 2.0 * m * n * k, pairs);
            what = String.format("%dx%dx%d%s, %d threads", m, k, n, g.fused ? ", bias + ReLU" : "", g.threads);
        } else {
            boolean extremes = args[4].endsWith("+extremes");
            int n = Integer.parseInt(extremes ? args[4].substring(0, args[4].length() - "+extremes".length()) : args[4]);
            ActivationCall a = new ActivationCall(args[3], n, extremes);
            for (int v = 0; v < 2; v++) calls[v] = a.call(loader(args[1 + v]));
            t = AlternatingWindows.measure(calls[0], calls[1], n, "Gelem/s", pairs);
            what = args[3] + (args[3].contains(":") ? ", " : " forward, ") + n + " floats" + (extremes ? ", one in 1,024 at +-200" : "");
        }
        t.print("A:", "B:");
        double[] q = t.ratioQuartiles();
        System.out.printf("B time / A time per window pair: median %.3f, quartiles %.3f-%.3f (%d pairs, %s)%n", q[0], q[1], q[2],
                pairs, what);
    }

    /** Both builds' TrainingBenchmark epochs (impl simd, with the diagnostics) in alternating windows. */
    private static void train(String[] args) throws Exception {
        String data = args[3];
        if (!data.equals("digits") && !data.equals("mnist")) throw new IllegalArgumentException("data must be digits or mnist, was " + data);
        int pairs = args.length > 4 ? Integer.parseInt(args[4]) : 20, threads = Integer.getInteger("threads", 1);
        URL jar = BuildAB.class.getProtectionDomain().getCodeSource().getLocation();
        Supplier<?>[] calls = new Supplier[2];
        int rows = 0;
        for (int v = 0; v < 2; v++) {
            ClassLoader cl = new URLClassLoader(new URL[] {Path.of(args[1 + v]).toUri().toURL(), jar},
                    ClassLoader.getPlatformClassLoader());
            Class<?> bench = cl.loadClass("dev.rectify.bench.nn.TrainingBenchmark");
            Object t = bench.getConstructor().newInstance();
            bench.getField("data").set(t, data);
            bench.getField("impl").set(t, "simd");
            bench.getField("threads").setInt(t, threads);
            bench.getMethod("setUp").invoke(t);
            rows = (Integer) bench.getMethod("rows").invoke(t);
            calls[v] = invoking(bench.getMethod("epoch"), t, new Object[0], t);
        }
        AlternatingWindows w = AlternatingWindows.measure(calls[0], calls[1], rows * 1e6, "k samples/s", pairs);
        w.print("A:", "B:");
        double[] q = w.ratioQuartiles();
        System.out.printf("B time / A time per window pair: median %.3f, quartiles %.3f-%.3f (%d pairs, %s epoch, %d threads)%n",
                q[0], q[1], q[2], pairs, data, threads);
    }

    /** A class loader for one build's {@code target/classes}. */
    static ClassLoader loader(String classesDir) throws java.net.MalformedURLException {
        // The platform loader as parent: this jar's own copy of the library stays out of the way.
        return new URLClassLoader(new URL[] {Path.of(classesDir).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }

    /** One reflective call as a supplier of its result. */
    private static Supplier<Object> invoking(Method method, Object target, Object[] arguments, Object result) {
        return () -> {
            try {
                method.invoke(target, arguments);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            return result;
        };
    }

    /** sgemm on M x K times K x N, the same arrays for both builds; optionally the fused bias + ReLU epilogue. */
    private static final class GemmCall {
        final int m, k, n, threads = Integer.getInteger("threads", 1);
        final boolean fused = Boolean.getBoolean("fused");
        final String trans = System.getProperty("trans", "nn");
        final float[] a, b, c, bias;

        GemmCall(int m, int k, int n) {
            this.m = m;
            this.k = k;
            this.n = n;
            a = new float[m * k];
            b = new float[k * n];
            c = new float[m * n];
            bias = new float[n];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
            for (int i = 0; i < n; i++) bias[i] = (float) (0.1 * r.nextGaussian());
        }

        Supplier<Object> call(ClassLoader cl) throws ReflectiveOperationException {
            Class<?> gemmClass = cl.loadClass("dev.rectify.kernels.Gemm");
            Object g = cl.loadClass("dev.rectify.kernels.Kernels").getMethod("gemm").invoke(null);
            g = gemmClass.getMethod("withParallelism", int.class).invoke(g, threads);
            Class<?> epilogueClass = cl.loadClass("dev.rectify.kernels.GemmEpilogue");
            Class<?> eltwise = cl.loadClass("dev.rectify.kernels.Eltwise");
            Object ep = null;
            if (fused) {
                Object relu = eltwise.getMethod("relu").invoke(null);
                ep = epilogueClass.getMethod("biasPerColumn", float[].class, int.class).invoke(null, bias, 0);
                ep = epilogueClass.getMethod("withActivation", eltwise).invoke(ep, relu);
            }
            Method sgemm = gemmClass.getMethod("sgemm", boolean.class, boolean.class, int.class, int.class, int.class,
                    float.class, float[].class, int.class, int.class, float[].class, int.class, int.class, float.class,
                    float[].class, int.class, int.class, epilogueClass);
            if (!trans.matches("[nt][nt]")) throw new IllegalArgumentException("trans must be nn, nt, tn or tt, was " + trans);
            boolean ta = trans.charAt(0) == 't', tb = trans.charAt(1) == 't';
            return invoking(sgemm, g, new Object[] {ta, tb, m, n, k, 1f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0f, c, 0, n, ep}, c);
        }
    }

    /**
     * One activation's SIMD forward pass (OP:backward: its backward pass; softmax: rows of 256) on x in [-4, 4]
     * (with extremes, ActivationBenchmark's one input in 1,024 at +-200), the same arrays for both builds.
     */
    private static final class ActivationCall {
        final String op;
        final int n, channels = ActivationBenchmark.PRELU_CHANNELS;
        /** softmax runs rows of this many columns (a layer's width). */
        static final int SOFTMAX_COLS = 256;
        final float[] x, y, dy, slope;

        ActivationCall(String op, int n, boolean extremes) {
            if (op.equals("softmax") && n % SOFTMAX_COLS != 0) {
                throw new IllegalArgumentException("SIZE must be a multiple of " + SOFTMAX_COLS + " for softmax, was " + n);
            }
            if (op.equals("prelu") && n % channels != 0) {
                throw new IllegalArgumentException("SIZE must be a multiple of " + channels + " for prelu, was " + n);
            }
            this.op = op;
            this.n = n;
            x = new float[n];
            y = new float[n];
            dy = new float[n];
            slope = new float[channels];
            SplittableRandom r = new SplittableRandom(42);
            for (int i = 0; i < n; i++) x[i] = (float) (r.nextDouble() * 8 - 4);
            for (int i = 0; i < n; i++) dy[i] = (float) (r.nextDouble() * 2 - 1);
            if (extremes) ActivationBenchmark.placeExtremes(x);
            java.util.Arrays.fill(slope, 0.25f);
        }

        Supplier<Object> call(ClassLoader cl) throws ReflectiveOperationException {
            Object kernels = cl.loadClass("dev.rectify.kernels.Kernels").getMethod("simd").invoke(null);
            Class<?> api = cl.loadClass("dev.rectify.kernels.ActivationKernels");
            if (op.equals("prelu")) {
                Method m = api.getMethod("preluForward", float[].class, int.class, float[].class, int.class, int.class,
                        float[].class, int.class, int.class);
                return invoking(m, kernels, new Object[] {x, 0, slope, 0, channels, y, 0, n}, y);
            }
            if (op.equals("softmax")) {
                Method m = api.getMethod("softmax", float[].class, int.class, float[].class, int.class, int.class, int.class);
                return invoking(m, kernels, new Object[] {x, 0, y, 0, n / SOFTMAX_COLS, SOFTMAX_COLS}, y);
            }
            boolean backward = op.endsWith(":backward");
            String name = backward ? op.substring(0, op.length() - ":backward".length()) : op;
            Class<?> algorithm = cl.loadClass("dev.rectify.kernels.Algorithm");
            Class<?> eltwise = cl.loadClass("dev.rectify.kernels.Eltwise");
            Object a = algorithm.getMethod("fromApiName", String.class).invoke(null, name);
            Object e = eltwise.getMethod("defaults", algorithm).invoke(null, a);
            if (backward) {
                Method m = api.getMethod("backward", eltwise, float[].class, int.class, float[].class, int.class,
                        float[].class, int.class, int.class);
                return invoking(m, kernels, new Object[] {e, x, 0, dy, 0, y, 0, n}, y);
            }
            Method m = api.getMethod("forward", eltwise, float[].class, int.class, float[].class, int.class, int.class);
            return invoking(m, kernels, new Object[] {e, x, 0, y, 0, n}, y);
        }
    }
}
