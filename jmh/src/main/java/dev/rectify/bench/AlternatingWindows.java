package dev.rectify.bench;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Times two actions in alternating windows of about 30 ms in one JVM, so that both see the same moment of a
 * shared machine; the measurement behind {@link PairedRatio} and {@link GemmBuildAB}. The first pairs / 2
 * window pairs warm up and are not counted; which action goes first alternates from pair to pair.
 */
final class AlternatingWindows {
    /** Microseconds per call: {@code us[0][w]} and {@code us[1][w]} for window pair w, in time order. */
    final double[][] us;
    final double flop;

    private AlternatingWindows(double[][] us, double flop) {
        this.us = us;
        this.flop = flop;
    }

    /** Runs {@code pairs} counted window pairs of the two actions, each call doing {@code flop} operations. */
    static AlternatingWindows measure(Supplier<?> a, Supplier<?> b, double flop, int pairs) {
        if (pairs < 4) throw new IllegalArgumentException("pairs must be at least 4, was " + pairs);
        @SuppressWarnings("unchecked")
        Supplier<?>[] cells = new Supplier[] {a, b};
        int reps = (int) Math.max(1, 30e-3 * 60e9 / flop);   // about 30 ms per window at 60 GFLOPS
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
        return new AlternatingWindows(us, flop);
    }

    /**
     * Prints every pair in time order when {@code -Dseries=true}, then each action's median and best time
     * per call under its label.
     */
    void print(String labelA, String labelB) {
        int pairs = us[0].length;
        if (Boolean.getBoolean("series")) {
            for (int w = 0; w < pairs; w++) System.out.printf("%.0f %.0f%n", us[0][w], us[1][w]);
        }
        String[] labels = {labelA, labelB};
        for (int v = 0; v < 2; v++) {
            double[] t = us[v].clone();
            Arrays.sort(t);
            System.out.printf("%s median %10.1f us (%5.1f GFLOPS), best %10.1f us (%5.1f GFLOPS)%n", labels[v],
                    t[pairs / 2], flop / t[pairs / 2] / 1e3, t[0], flop / t[0] / 1e3);
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
