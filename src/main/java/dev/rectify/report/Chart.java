package dev.rectify.report;

import java.util.List;
import java.util.Locale;

/**
 * A self-contained SVG line chart over epochs, or over labelled points such as depths or learning rates (no scripts, no external resources): round ticks on an axis that
 * holds every value, a marker per point whose hover text ({@code <title>}) gives the value, an optional band
 * per series (the seeds' spread, or a range such as min to max), and a legend. Series that coincide (several
 * activations at 0% dead) are drawn {@link #SEPARATION} px apart so none hides another; the hover text keeps the
 * true value.
 */
final class Chart {
    private Chart() { }

    /** Pixels between series drawn on top of each other. */
    static final double SEPARATION = 1.5;
    static final int WIDTH = 460, HEIGHT = 280;
    private static final int LEFT = 56, RIGHT = 118, TOP = 30, BOTTOM = 42;

    /**
     * One line: {@code y} per epoch (NaN: no point), and optionally {@code low}/{@code high} per epoch drawn as a band
     * that {@code band} names in the hover text ("seeds", "min to max").
     */
    record Series(String name, Palette.Style style, boolean dashed, double[] y, double[] low, double[] high, String band) {
        Series(String name, Palette.Style style, boolean dashed, double[] y) {
            this(name, style, dashed, y, null, null, null);
        }
    }

    /**
     * What the points stand for along x: its name and one label per point, or null labels for epochs 1, 2, ...
     * (ticks thinned to about eight).
     */
    record XAxis(String name, List<String> labels) {
        static final XAxis EPOCHS = new XAxis("epoch", null);

        String label(int i) {
            return labels == null ? Integer.toString(i + 1) : labels.get(i);
        }
    }

    static String render(String id, String title, String yLabel, Axis axis, List<Series> series) {
        return render(id, title, yLabel, axis, series, XAxis.EPOCHS);
    }

    static String render(String id, String title, String yLabel, Axis axis, List<Series> series, XAxis xAxis) {
        int longest = 0;
        for (Series s : series) longest = Math.max(longest, s.name().length());
        // The legend needs ~6.6 px per character of 12 px text after its 33 px of line and marker.
        int pw = WIDTH - LEFT - Math.max(RIGHT, 37 + (int) Math.ceil(6.6 * longest)), ph = HEIGHT - TOP - BOTTOM;
        int points = 0;
        for (Series s : series) points = Math.max(points, s.y().length);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg class=\"chart\" id=\"%s\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">",
                Svg.esc(id), WIDTH, HEIGHT, Svg.esc(title)));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" class=\"t\">%s</text>", LEFT - 40, Svg.esc(title)));
        for (double t : axis.ticks) {
            double y = TOP + ph * (1 - axis.position(t));
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"g\"/>", LEFT, y, LEFT + pw, y));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"a\" text-anchor=\"end\">%s</text>", LEFT - 5, y + 4,
                    axis.label(t)));
        }
        int every = xAxis.labels() != null && points <= 12 ? 1 : Math.max(1, (int) Axis.niceStep(points / 8.0));
        for (int i = 0; i < points; i++) {
            if ((i + 1) % every != 0 && i != 0) continue;
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"a\" text-anchor=\"middle\">%s</text>", x(i, points, pw),
                    TOP + ph + 16, Svg.esc(xAxis.label(i))));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"a\" text-anchor=\"middle\">%s</text>", LEFT + pw / 2, HEIGHT - 6,
                Svg.esc(xAxis.name())));
        b.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" class=\"a\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s%s</text>",
                TOP + ph / 2, TOP + ph / 2, Svg.esc(yLabel), axis.log ? " (log scale)" : ""));
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            double offset = (k - (series.size() - 1) / 2.0) * SEPARATION;
            if (s.low() != null) band(b, s, axis, points, pw, ph, offset);
            line(b, s, axis, points, pw, ph, offset, xAxis);
        }
        for (int k = 0; k < series.size(); k++) legend(b, series.get(k), LEFT + pw + 8, TOP + 4 + 17 * k);
        return b.append("</svg>").toString();
    }

    private static double x(int i, int points, int pw) {
        return LEFT + (points == 1 ? pw / 2.0 : pw * i / (double) (points - 1));
    }

    private static double y(double v, Axis axis, int ph, double offset) {
        return TOP + ph * (1 - axis.position(v)) + offset;
    }

    private static void band(StringBuilder b, Series s, Axis axis, int points, int pw, int ph, double offset) {
        StringBuilder upper = new StringBuilder(), lower = new StringBuilder();
        for (int i = 0; i < s.y().length; i++) {
            if (!Double.isFinite(s.low()[i]) || !Double.isFinite(s.high()[i])) continue;
            upper.append(upper.length() == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f,%.1f", x(i, points, pw), y(s.high()[i], axis, ph, offset)));
            lower.insert(0, String.format(Locale.ROOT, "L%.1f,%.1f", x(i, points, pw), y(s.low()[i], axis, ph, offset)));
        }
        if (upper.length() == 0) return;
        b.append(String.format(Locale.ROOT, "<path class=\"band\" d=\"%s%sZ\" fill=\"%s\" fill-opacity=\"0.15\" stroke=\"none\"/>",
                upper, lower, s.style().colour()));
    }

    private static void line(StringBuilder b, Series s, Axis axis, int points, int pw, int ph, double offset, XAxis xAxis) {
        StringBuilder path = new StringBuilder(), marks = new StringBuilder();
        double r = points > 40 ? 2 : 3.2;
        for (int i = 0; i < s.y().length; i++) {
            double v = s.y()[i];
            if (!Double.isFinite(v)) {
                if (path.length() > 0 && path.charAt(path.length() - 1) != 'M') path.append(' ');
                continue;
            }
            double px = x(i, points, pw), py = y(v, axis, ph, offset);
            boolean start = path.length() == 0 || path.charAt(path.length() - 1) == ' ';
            path.append(start ? "M" : "L").append(String.format(Locale.ROOT, "%.1f,%.1f", px, py));
            marks.append(Svg.marker(s.style(), px, py, r, s.name() + ", " + xAxis.name() + " " + xAxis.label(i) + ": " + value(axis, v)
                    + (s.low() != null && Double.isFinite(s.low()[i]) ? " (" + s.band() + " " + value(axis, s.low()[i]) + " to "
                    + value(axis, s.high()[i]) + ")" : "")));
        }
        if (path.length() == 0) return;
        b.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\"%s><title>%s</title></path>",
                path.toString().trim(), s.style().colour(), s.dashed() ? " stroke-dasharray=\"5 3\"" : "", Svg.esc(s.name())));
        b.append(marks);
    }

    private static void legend(StringBuilder b, Series s, int x, int y) {
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>",
                x, y, x + 20, y, s.style().colour(), s.dashed() ? " stroke-dasharray=\"4 2\"" : ""));
        b.append(Svg.marker(s.style(), x + 10, y, 3.2, s.name()));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"l\">%s</text>", x + 25, y + 4, Svg.esc(s.name())));
    }

    static String value(Axis axis, double v) {
        return axis.percent ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : Axis.number(v);
    }
}
