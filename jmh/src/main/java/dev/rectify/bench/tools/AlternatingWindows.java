package dev.rectify.bench.tools;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Times two actions in alternating windows of about 30 ms in one JVM, so that both see the same moment of a
 * shared machine; the measurement behind {@link PairedRatio} and {@link GemmBuildAB}. The first pairs / 2
 * window pairs warm up and are not counted; which action goes first alternates from pair to pair.
 */
public final class AlternatingWindows {
    private static final double WINDOW_NANOS = 30e6;

    /** Microseconds per call: {@code us[0][w]} and {@code us[1][w]} for window pair w, in time order. */
    final double[][] us;
    /** What one call does, in {@link #unit}s, for the rates printed. */
    final double work;
    final String unit;

    private AlternatingWindows(double[][] us, double work, String unit) {
        this.us = us;
        this.work = work;
        this.unit = unit;
    }

    /** Runs {@code pairs} counted window pairs of the two actions, each call doing {@code flop} operations. */
    static AlternatingWindows measure(Supplier<?> a, Supplier<?> b, double flop, int pairs) {
        return measure(a, b, flop, "GFLOPS", pairs);
    }

    /**
     * Runs {@code pairs} counted window pairs of the two actions, each call doing {@code work} units of
     * {@code unit} (a rate name such as "Gelem/s"); the calls per window are calibrated on the slower action.
     */
    static AlternatingWindows measure(Supplier<?> a, Supplier<?> b, double work, String unit, int pairs) {
        if (pairs < 4) throw new IllegalArgumentException("pairs must be at least 4, was " + pairs);
        @SuppressWarnings("unchecked")
        Supplier<?>[] cells = new Supplier[] {a, b};
        int reps = Math.min(callsPerWindow(a), callsPerWindow(b));
        double[][] us = new double[2][pairs];
        Object sink = null;
        for (int w = -pairs / 2; w < pairs; w++) {
            for (int i = 0; i < 2; i++) {
                int v = (w & 1) == 0 ? i : 1 - i;
                long t0 = System.nanoTime();
                for (int rep = 0; rep < reps; rep++) sink = cells[v].get();
                if (w >= 0) us[v][w] = (System.nanoTime() - t0) / 1e3 / reps;
            }
        }
        if (sink == null) throw new AssertionError("no result");
        return new AlternatingWindows(us, work, unit);
    }

    /**
     * Calls that fill one window: measured after a second of calls, so that the JIT has compiled the action
     * at its last tier (measured earlier, a 4K-float kernel still in C1 code ran 2x slow and its windows came
     * out a hundredth of the intended length), over a run of at least 100 ms.
     */
    private static int callsPerWindow(Supplier<?> action) {
        for (long end = System.nanoTime() + 1_000_000_000L; System.nanoTime() < end; ) {
            action.get();
        }
        for (int calls = 1; ; calls = (int) Math.min(1 << 28, calls * 2L)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) action.get();
            long t = System.nanoTime() - t0;
            if (t >= 100e6 || calls == 1 << 28) return (int) Math.max(1, Math.round(calls * WINDOW_NANOS / t));
        }
    }

    /**
     * Prints every pair in time order when {@code -Dseries=true}, then each action's median and best time
     * per call under its label.
     */
    void print(String labelA, String labelB) {
        int pairs = us[0].length;
        if (Boolean.getBoolean("series")) {
            for (int w = 0; w < pairs; w++) System.out.printf("%.3f %.3f%n", us[0][w], us[1][w]);
        }
        String[] labels = {labelA, labelB};
        for (int v = 0; v < 2; v++) {
            double[] t = us[v].clone();
            Arrays.sort(t);
            System.out.printf("%s median %10.3f us (%6.2f %s), best %10.3f us (%6.2f %s)%n", labels[v],
                    t[pairs / 2], work / t[pairs / 2] / 1e3, unit, t[0], work / t[0] / 1e3, unit);
        }
    }

    /** Median, lower and upper quartile of B time / A time over the window pairs. */
    double[] ratioQuartiles() {
        int pairs = us[0].length;
        double[] ratio = new double[pairs];
        for (int w = 0; w < pairs; w++) ratio[w] = us[1][w] / us[0][w];
        Arrays.sort(ratio);
        return new double[] {ratio[pairs / 2], ratio[pairs / 4], ratio[3 * pairs / 4]};
    }
}
