package dev.rectify.bench.tools;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Times two actions in alternating windows of about 30 ms in one JVM, so that both see the same moment of a
 * shared machine; the measurement behind {@link PairedRatio} and {@link BuildAB}. The first pairs / 2
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
     * Calls that fill one window, measured once the action has stopped getting faster: warm-up runs in rounds of
     * about 200 ms (at least one call each) for at least {@link #MIN_WARM_UP_NANOS} and until two rounds in a row
     * are within 5% of the best round, or until {@link #WARM_UP_LIMIT_NANOS}. A kernel the JIT compiles late runs
     * its first-tier code many times slower for seconds; windows sized on that code hold one call (docs/design.md,
     * "Warm-up").
     */
    private static int callsPerWindow(Supplier<?> action) {
        long start = System.nanoTime(), calls = 1;
        double best = Double.MAX_VALUE;
        int steady = 0;
        while (true) {
            long t0 = System.nanoTime();
            for (long i = 0; i < calls; i++) action.get();
            long t = Math.max(1, System.nanoTime() - t0);
            double perCall = (double) t / calls;
            steady = perCall <= best * 1.05 && best != Double.MAX_VALUE ? steady + 1 : 0;
            best = Math.min(best, perCall);
            calls = Math.max(1, Math.min(1L << 28, Math.round(ROUND_NANOS / perCall)));
            long elapsed = System.nanoTime() - start;
            if (elapsed >= WARM_UP_LIMIT_NANOS) {
                System.err.printf("warning: still getting faster after %.0f s of warm-up; the first pairs may be slow%n", elapsed / 1e9);
                break;
            }
            if (elapsed >= MIN_WARM_UP_NANOS && steady >= 2) break;
        }
        return (int) Math.max(1, Math.round(calls * WINDOW_NANOS / ROUND_NANOS));
    }

    private static final double ROUND_NANOS = 200e6;
    private static final long MIN_WARM_UP_NANOS = 3_000_000_000L, WARM_UP_LIMIT_NANOS = 20_000_000_000L;

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
