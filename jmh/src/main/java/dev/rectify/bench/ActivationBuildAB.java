package dev.rectify.bench;

import java.lang.reflect.Method;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Compares two builds of one activation kernel's SIMD forward pass in one JVM, in alternating windows of
 * about 30 ms on the same arrays, like {@link GemmBuildAB} does for SGEMM: for deciding a kernel change worth
 * a few percent on a noisy shared machine, where comparing each build with the {@code Math.max} loop in
 * separate runs (jmh/relu-family-paired.sh) cannot resolve it. A decision aid, not a report.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp target/benchmarks.jar dev.rectify.bench.ActivationBuildAB \
 *     CLASSES_A CLASSES_B OP SIZE [PAIRS]</pre>
 * OP is an API function name, or prelu (256 channels, slope 0.25). Prints each build's median and best time
 * per call and the median and quartiles of B time / A time per window pair (above 1: A is faster).
 */
public final class ActivationBuildAB {
    private ActivationBuildAB() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            throw new IllegalArgumentException("usage: ActivationBuildAB CLASSES_A CLASSES_B OP SIZE [PAIRS]");
        }
        String op = args[2];
        int n = Integer.parseInt(args[3]);
        int pairs = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        int channels = ActivationBenchmark.PRELU_CHANNELS;
        if (op.equals("prelu") && n % channels != 0) {
            throw new IllegalArgumentException("SIZE must be a multiple of " + channels + " for prelu, was " + n);
        }
        float[] x = new float[n], y = new float[n], slope = new float[channels];
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextDouble() * 8 - 4);
        java.util.Arrays.fill(slope, 0.25f);
        Supplier<?>[] calls = new Supplier[2];
        for (int v = 0; v < 2; v++) {
            ClassLoader cl = GemmBuildAB.loader(args[v]);
            Object kernels = cl.loadClass("dev.rectify.kernels.Kernels").getMethod("simd").invoke(null);
            Class<?> api = cl.loadClass("dev.rectify.kernels.ActivationKernels");
            final Method call;
            final Object[] arguments;
            if (op.equals("prelu")) {
                call = api.getMethod("preluForward", float[].class, int.class, float[].class, int.class, int.class,
                        float[].class, int.class, int.class);
                arguments = new Object[] {x, 0, slope, 0, channels, y, 0, n};
            } else {
                Class<?> algorithm = cl.loadClass("dev.rectify.kernels.Algorithm");
                Class<?> eltwise = cl.loadClass("dev.rectify.kernels.Eltwise");
                Object a = algorithm.getMethod("fromApiName", String.class).invoke(null, op);
                Object e = eltwise.getMethod("defaults", algorithm).invoke(null, a);
                call = api.getMethod("forward", eltwise, float[].class, int.class, float[].class, int.class, int.class);
                arguments = new Object[] {e, x, 0, y, 0, n};
            }
            calls[v] = () -> {
                try {
                    call.invoke(kernels, arguments);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                return y;
            };
        }
        AlternatingWindows t = AlternatingWindows.measure(calls[0], calls[1], n, "Gelem/s", pairs);
        t.print("A:", "B:");
        double[] q = t.ratioQuartiles();
        System.out.printf("B time / A time per window pair: median %.3f, quartiles %.3f-%.3f (%d pairs, %s forward, %d floats)%n",
                q[0], q[1], q[2], pairs, op, n);
    }
}
