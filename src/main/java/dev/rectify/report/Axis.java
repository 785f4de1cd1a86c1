package dev.rectify.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A chart's y axis: its range, its ticks at round values (1, 2 or 5 times a power of ten) and where a value
 * sits on it. An axis always holds every finite value it was fitted to: nothing is clipped. A range that spans
 * more than {@link #LOG_SPAN} times from its smallest positive value to its largest is drawn on a log scale.
 */
final class Axis {
    /** Above this ratio of largest to smallest value a positive series is drawn on a log scale. */
    static final double LOG_SPAN = 30;

    final double min, max;
    final boolean log, percent;
    final List<Double> ticks;

    private Axis(double min, double max, boolean log, boolean percent, List<Double> ticks) {
        this.min = min;
        this.max = max;
        this.log = log;
        this.percent = percent;
        this.ticks = List.copyOf(ticks);
    }

    /** 0% to 100% in steps of 25%. */
    static Axis percent() {
        return new Axis(0, 1, false, true, List.of(0.0, 0.25, 0.5, 0.75, 1.0));
    }

    /**
     * An axis that holds every finite value in {@code values}; from 0 when {@code fromZero} and the values are not
     * negative; on a log scale when {@code logAllowed}, the values are positive and they span more than
     * {@link #LOG_SPAN} times.
     */
    static Axis fit(List<double[]> values, boolean fromZero, boolean logAllowed) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, minPositive = Double.POSITIVE_INFINITY;
        for (double[] a : values) {
            if (a == null) continue;
            for (double v : a) {
                if (!Double.isFinite(v)) continue;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
                if (v > 0) minPositive = Math.min(minPositive, v);
            }
        }
        if (lo > hi) return new Axis(0, 1, false, false, List.of(0.0, 0.5, 1.0));
        if (logAllowed && lo > 0 && hi / minPositive > LOG_SPAN) return logAxis(minPositive, hi);
        if (fromZero && lo >= 0) lo = 0;
        if (hi == lo) {
            double pad = hi == 0 ? 1 : Math.abs(hi) * 0.1;
            lo -= lo == 0 ? 0 : pad;
            hi += pad;
        }
        double step = niceStep((hi - lo) / 5);
        double start = Math.floor(lo / step) * step, end = Math.ceil(hi / step) * step;
        List<Double> ticks = new ArrayList<>();
        for (int i = 0; start + i * step <= end + step * 1e-9; i++) ticks.add(clean(start + i * step, step));
        return new Axis(start, end, false, false, ticks);
    }

    private static Axis logAxis(double lo, double hi) {
        double a = Math.pow(10, Math.floor(Math.log10(lo))), b = Math.pow(10, Math.ceil(Math.log10(hi)));
        int decades = (int) Math.round(Math.log10(b / a));
        List<Double> ticks = new ArrayList<>();
        for (int d = 0; d <= decades; d++) {
            double base = a * Math.pow(10, d);
            ticks.add(base);
            if (decades <= 2 && d < decades) {
                ticks.add(2 * base);
                ticks.add(5 * base);
            }
        }
        return new Axis(a, b, true, false, ticks);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) if (m * p >= raw * (1 - 1e-9)) return m * p;
        return 10 * p;
    }

    private static double clean(double v, double step) {
        double r = Math.round(v / step) * step;
        return Math.abs(r) < step * 1e-9 ? 0 : r;
    }

    /** Where {@code v} sits, 0 at the bottom and 1 at the top; values off a log axis (0 or below) sit at 0. */
    double position(double v) {
        if (log) return v <= 0 ? 0 : Math.log(v / min) / Math.log(max / min);
        return (v - min) / (max - min);
    }

    /** A tick's label: round values as people write them ("0.5", "2", "1e-3", "25%"). */
    String label(double v) {
        if (percent) return String.format(Locale.ROOT, "%.0f%%", 100 * v);
        return number(v);
    }

    /** A value in a hover text or a tick: up to 4 significant digits, no trailing zeros; "1e-4", "2.5e6" when tiny or huge. */
    static String number(double v) {
        if (v == 0 || !Double.isFinite(v)) return v == 0 ? "0" : Double.toString(v);
        java.math.BigDecimal d = new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros();
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e5) return d.toPlainString();
        int exponent = d.precision() - d.scale() - 1;
        return d.movePointLeft(exponent).stripTrailingZeros().toPlainString() + "e" + exponent;
    }
}
