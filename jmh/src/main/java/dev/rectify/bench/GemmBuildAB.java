package dev.rectify.bench;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Compares two builds of the library's SGEMM in one JVM, for deciding a code change on a noisy shared
 * machine: each build is loaded by its own class loader, and the two run in alternating windows of about
 * 30 ms, so both see the same moment of the machine. Prints each build's median and best time per call and
 * the median and quartiles of the per-window-pair ratio (B time / A time: above 1 means A is faster); with
 * {@code -Dseries=true} also every pair's two times in time order.
 * A decision aid, not a report: reports come from JMH.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp target/benchmarks.jar dev.rectify.bench.GemmBuildAB \
 *     CLASSES_A CLASSES_B M K N [PAIRS]</pre>
 * where CLASSES_A and CLASSES_B are two {@code target/classes} directories (for example of two worktrees).
 * With {@code -Dfused=true} each call is a dense layer: a bias per column and ReLU in the epilogue; with
 * {@code -Dthreads=N} both builds run with parallelism N (default 1).
 */
public final class GemmBuildAB {
    private GemmBuildAB() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            throw new IllegalArgumentException("usage: GemmBuildAB CLASSES_A CLASSES_B M K N [PAIRS]");
        }
        int m = Integer.parseInt(args[2]), k = Integer.parseInt(args[3]), n = Integer.parseInt(args[4]);
        int pairs = args.length > 5 ? Integer.parseInt(args[5]) : 100;
        boolean fused = Boolean.getBoolean("fused");
        float[] bias = new float[n];
        Object[] gemm = new Object[2], epilogue = new Object[2];
        Method[] sgemm = new Method[2];
        for (int v = 0; v < 2; v++) {
            ClassLoader cl = loader(args[v]);
            Class<?> gemmClass = cl.loadClass("dev.rectify.kernels.Gemm");
            Object g = cl.loadClass("dev.rectify.kernels.Kernels").getMethod("gemm").invoke(null);
            gemm[v] = gemmClass.getMethod("withParallelism", int.class).invoke(g, Integer.getInteger("threads", 1));
            Class<?> epilogueClass = cl.loadClass("dev.rectify.kernels.GemmEpilogue");
            Class<?> eltwise = cl.loadClass("dev.rectify.kernels.Eltwise");
            Object relu = eltwise.getMethod("relu").invoke(null);
            Object ep = epilogueClass.getMethod("biasPerColumn", float[].class, int.class).invoke(null, bias, 0);
            epilogue[v] = epilogueClass.getMethod("withActivation", eltwise).invoke(ep, relu);
            sgemm[v] = gemmClass.getMethod("sgemm", boolean.class, boolean.class, int.class, int.class, int.class,
                    float.class, float[].class, int.class, int.class, float[].class, int.class, int.class, float.class,
                    float[].class, int.class, int.class, epilogueClass);
        }
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        for (int i = 0; i < n; i++) bias[i] = (float) (0.1 * r.nextGaussian());
        Supplier<?>[] calls = new Supplier[2];
        for (int v = 0; v < 2; v++) {
            final Object g = gemm[v];
            final Method call = sgemm[v];
            final Object ep = fused ? epilogue[v] : null;
            calls[v] = () -> {
                try {
                    call.invoke(g, false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n, ep);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                return c;
            };
        }
        AlternatingWindows t = AlternatingWindows.measure(calls[0], calls[1], 2.0 * m * n * k, pairs);
        t.print("A:", "B:");
        double[] q = t.ratioQuartiles();
        System.out.printf("B time / A time per window pair: median %.3f, quartiles %.3f-%.3f (%d pairs, %dx%dx%d%s, %d threads)%n",
                q[0], q[1], q[2], pairs, m, k, n, fused ? ", bias + ReLU" : "", Integer.getInteger("threads", 1));
    }

    /** A class loader for one build's {@code target/classes}; also used by {@link ActivationBuildAB}. */
    static ClassLoader loader(String classesDir) throws java.net.MalformedURLException {
        // The platform loader as parent: this jar's own copy of the library stays out of the way.
        return new URLClassLoader(new URL[] {Path.of(classesDir).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }
}
