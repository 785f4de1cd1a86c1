package dev.rectify.report;

import java.util.List;
import java.util.Locale;

/** Small self-contained SVG line charts (no scripts, no external resources). */
final class Svg {
    private Svg() { }

    /** A colour-blind-safe palette (Okabe and Ito), extended with greys. */
    static final String[] COLOURS = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
            "#F0E442", "#777777", "#AAAAAA"};

    record Series(String name, String colour, boolean dashed, double[] y) { }

    static String lineChart(String title, String xLabel, String yLabel, List<Series> series, double yMin, double yMax,
                            boolean percent) {
        final int w = 440, h = 250, left = 52, right = 130, top = 28, bottom = 40;
        int pw = w - left - right, ph = h - top - bottom;
        int points = 0;
        for (Series s : series) points = Math.max(points, s.y().length);
        double span = yMax - yMin == 0 ? 1 : yMax - yMin;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">",
                w, h, w, h, esc(title)));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" class=\"t\">%s</text>", left, esc(title)));
        for (int i = 0; i <= 4; i++) {
            double v = yMin + span * i / 4;
            double y = top + ph - ph * i / 4.0;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"g\"/>", left, y, left + pw, y));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"a\" text-anchor=\"end\">%s</text>", left - 4, y + 4,
                    percent ? String.format(Locale.ROOT, "%.0f%%", 100 * v) : fmt(v)));
        }
        for (int i = 0; i < points; i++) {
            if (points > 12 && i % Math.max(1, points / 6) != 0 && i != points - 1) continue;
            double x = left + (points == 1 ? pw / 2.0 : pw * i / (double) (points - 1));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"a\" text-anchor=\"middle\">%d</text>", x, top + ph + 14, i + 1));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"a\" text-anchor=\"middle\">%s</text>", left + pw / 2, h - 6, esc(xLabel)));
        b.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" class=\"a\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">%s</text>",
                top + ph / 2, top + ph / 2, esc(yLabel)));
        int legend = 0;
        for (Series s : series) {
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < s.y().length; i++) {
                double v = s.y()[i];
                if (!Double.isFinite(v)) continue;
                double x = left + (points == 1 ? pw / 2.0 : pw * i / (double) (points - 1));
                double y = top + ph - ph * (Math.max(yMin, Math.min(yMax, v)) - yMin) / span;
                path.append(path.length() == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
            }
            if (path.length() > 0) {
                b.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\"%s><title>%s</title></path>",
                        path, s.colour(), s.dashed() ? " stroke-dasharray=\"5 3\"" : "", esc(s.name())));
            }
            int ly = top + 4 + 14 * legend++;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>",
                    left + pw + 8, ly, left + pw + 24, ly, s.colour(), s.dashed() ? " stroke-dasharray=\"4 2\"" : ""));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"l\">%s</text>", left + pw + 28, ly + 4, esc(s.name())));
        }
        return b.append("</svg>").toString();
    }

    static String fmt(double v) {
        double a = Math.abs(v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 1) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
