package dev.rectify.report;

import dev.rectify.diagnostics.StudyRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of {@code rectify sweep}: after training, the dead (ReLU-like) or dormant (others) share of the hidden
 * units against the learning rate, one curve per activation and initializer, with the runs that diverged marked;
 * the learning rate at which each curve first passes a dead-share threshold. One HTML page with three charts
 * (inactive share, diverged share, test accuracy), {@code sweep.csv} per curve and rate, and the study's
 * per-epoch {@code results.csv} of every run.
 */
public final class SweepReport {
    private SweepReport() { }

    public static final String CSV_HEADER = "curve,init,lr,runs,diverged,kind,inactive,born_inactive,test_accuracy,test_loss";

    /**
     * One curve at one learning rate, over its seeds: the inactive share and test figures are means over the runs
     * that finished (NaN when all diverged).
     */
    public record Point(String curve, String init, double lr, int runs, int diverged, boolean deadKind, double inactive,
                        double bornInactive, double testAccuracy, double testLoss) { }

    /** The points of every curve (activation and initializer), in the order the runs first show them. */
    public static List<Point> points(List<StudyRun> runs) {
        Map<String, List<StudyRun>> groups = new LinkedHashMap<>();
        for (StudyRun r : runs) groups.computeIfAbsent(r.group(), k -> new ArrayList<>()).add(r);
        List<Point> out = new ArrayList<>();
        for (List<StudyRun> g : groups.values()) {
            StudyRun f = g.get(0);
            int diverged = 0, finished = 0;
            double inactive = 0, born = 0, acc = 0, loss = 0;
            for (StudyRun r : g) {
                born += r.bornDead();
                if (r.divergence() != null) {
                    diverged++;
                    continue;
                }
                finished++;
                inactive += r.finalInactive();
                acc += r.finalTestAccuracy();
                loss += r.finalTestLoss();
            }
            double nan = Double.NaN;
            out.add(new Point(f.activation(), f.init(), f.lr(), g.size(), diverged, f.deadKind(),
                    finished == 0 ? nan : inactive / finished, born / g.size(), finished == 0 ? nan : acc / finished,
                    finished == 0 ? nan : loss / finished));
        }
        return out;
    }

    /** Per curve: the first learning rate whose inactive share exceeds {@code threshold}, NaN when none does. */
    public static Map<String, Double> onset(List<Point> points, double threshold) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Point p : points) {
            String key = key(p);
            out.putIfAbsent(key, Double.NaN);
            if (Double.isNaN(out.get(key)) && p.inactive() > threshold) out.put(key, p.lr());
        }
        return out;
    }

    /** Per curve: the first learning rate with a diverged run, NaN when none diverged. */
    public static Map<String, Double> firstDivergence(List<Point> points) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Point p : points) {
            String key = key(p);
            out.putIfAbsent(key, Double.NaN);
            if (Double.isNaN(out.get(key)) && p.diverged() > 0) out.put(key, p.lr());
        }
        return out;
    }

    static String key(Point p) {
        return p.curve() + " " + p.init();
    }

    public static String csv(List<Point> points) {
        StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
        for (Point p : points) {
            b.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%s,%s,%s,%s,%s%n", p.curve(), p.init(), p.lr(), p.runs(), p.diverged(),
                    p.deadKind() ? "dead" : "dormant", p.inactive(), p.bornInactive(), p.testAccuracy(), p.testLoss()));
        }
        return b.toString();
    }

    /** Writes index.html, sweep.csv and results.csv (every run's epochs) into {@code dir}, each atomically. */
    public static void write(Path dir, String title, Map<String, String> setup, List<StudyRun> runs, double threshold)
            throws IOException {
        Files.createDirectories(dir);
        List<Point> points = points(runs);
        List<String> names = new ArrayList<>();
        List<Map<String, String>> parameters = new ArrayList<>();
        List<List<dev.rectify.nn.EpochRecord>> histories = new ArrayList<>();
        for (StudyRun r : runs) {
            names.add(r.name());
            parameters.add(r.parameters());
            histories.add(r.history());
        }
        HistoryExport.writeAtomically(dir.resolve("results.csv"), HistoryExport.csv(names, parameters, histories));
        HistoryExport.writeAtomically(dir.resolve("sweep.csv"), csv(points));
        HistoryExport.writeAtomically(dir.resolve("index.html"), html(title, setup, points, threshold));
    }

    /** A fixed-width table for a terminal: one line per curve, a column per learning rate. */
    public static String terminalTable(List<Point> points) {
        List<Double> lrs = new ArrayList<>();
        for (Point p : points) if (!lrs.contains(p.lr())) lrs.add(p.lr());
        lrs.sort(null);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-26s", "dead/dormant % at lr"));
        for (double lr : lrs) b.append(String.format(Locale.ROOT, " %8s", StudyReport.num(lr)));
        Map<String, Map<Double, Point>> byCurve = byCurve(points);
        for (Map.Entry<String, Map<Double, Point>> e : byCurve.entrySet()) {
            b.append(String.format(Locale.ROOT, "%n%-26s", e.getKey()));
            for (double lr : lrs) {
                Point p = e.getValue().get(lr);
                String cell = p == null ? "" : p.diverged() == p.runs() ? "div" : String.format(Locale.ROOT, "%.1f%s", 100 * p.inactive(),
                        p.diverged() > 0 ? "*" : "");
                b.append(String.format(Locale.ROOT, " %8s", cell));
            }
        }
        return b.append(String.format(Locale.ROOT, "%n(div: every run diverged; *: some runs diverged, the figure is over the others)%n")).toString();
    }

    private static Map<String, Map<Double, Point>> byCurve(List<Point> points) {
        Map<String, Map<Double, Point>> out = new LinkedHashMap<>();
        for (Point p : points) out.computeIfAbsent(key(p), k -> new LinkedHashMap<>()).put(p.lr(), p);
        return out;
    }

    static String html(String title, Map<String, String> setup, List<Point> points, double threshold) {
        StringBuilder b = StudyPage.head(title, setup);
        b.append("<p class=\"note\">After training, a hidden unit is <b>dead</b> (ReLU: solid lines) or <b>dormant</b> (activations"
                + " that keep a gradient below zero: dashed) when its pre-activation was &le; 0 for every training sample of the last epoch."
                + " Each point is the mean over the seeds that did not diverge; the second chart shows the share of seeds that diverged"
                + " (non-finite loss or weights).</p>\n<div class=\"charts\">");
        List<Double> lrs = new ArrayList<>();
        for (Point p : points) if (!lrs.contains(p.lr())) lrs.add(p.lr());
        lrs.sort(null);
        List<String> labels = new ArrayList<>();
        for (double lr : lrs) labels.add(StudyReport.num(lr));
        Chart.XAxis x = new Chart.XAxis("learning rate (log-spaced)", labels);
        Map<String, Map<Double, Point>> byCurve = byCurve(points);
        b.append(Chart.render("inactive", "Dead (solid) or dormant (dashed) after training", "% of hidden units", Axis.percent(),
                series(byCurve, lrs, Point::inactive, true), x));
        b.append(Chart.render("diverged", "Runs that diverged", "% of seeds", Axis.percent(),
                series(byCurve, lrs, p -> (double) p.diverged() / p.runs(), false), x));
        boolean regression = points.stream().allMatch(p -> Double.isNaN(p.testAccuracy()));
        if (regression) {
            List<Chart.Series> loss = series(byCurve, lrs, Point::testLoss, false);
            List<double[]> values = new ArrayList<>();
            for (Chart.Series s : loss) values.add(s.y());
            b.append(Chart.render("test", "Test loss", "MSE", Axis.fit(values, true, true), loss, x));
        } else {
            b.append(Chart.render("test", "Test accuracy", "accuracy", Axis.percent(), series(byCurve, lrs, Point::testAccuracy, false), x));
        }
        Map<String, Double> onset = onset(points, threshold), diverge = firstDivergence(points);
        b.append("</div>\n<h2>Where units start to die</h2>\n<table id=\"onset\"><tr><th>activation</th><th>init</th><th>first lr with more than ")
                .append(StudyReport.pct(threshold)).append(" dead or dormant</th><th>first lr with a diverged run</th></tr>");
        for (Map.Entry<String, Map<Double, Point>> e : byCurve.entrySet()) {
            Point any = e.getValue().values().iterator().next();
            double o = onset.get(e.getKey()), d = diverge.get(e.getKey());
            b.append("<tr><td>").append(Svg.esc(any.curve())).append("</td><td>").append(Svg.esc(any.init())).append("</td><td>")
                    .append(Double.isNaN(o) ? "none in the sweep" : StudyReport.num(o)).append("</td><td>")
                    .append(Double.isNaN(d) ? "none in the sweep" : StudyReport.num(d)).append("</td></tr>");
        }
        b.append("</table>\n<p class=\"note\">Per curve and rate: sweep.csv; every run's epochs: results.csv.</p>\n</body></html>\n");
        return b.toString();
    }

    private static List<Chart.Series> series(Map<String, Map<Double, Point>> byCurve, List<Double> lrs,
                                             java.util.function.ToDoubleFunction<Point> f, boolean dashDormant) {
        List<Chart.Series> out = new ArrayList<>();
        for (Map.Entry<String, Map<Double, Point>> e : byCurve.entrySet()) {
            double[] y = new double[lrs.size()];
            boolean dormant = false;
            for (int i = 0; i < y.length; i++) {
                Point p = e.getValue().get(lrs.get(i));
                y[i] = p == null ? Double.NaN : f.applyAsDouble(p);
                if (p != null) dormant = !p.deadKind();
            }
            Point any = e.getValue().values().iterator().next();
            out.add(new Chart.Series(e.getKey(), Palette.of(any.curve()), dashDormant && dormant, y));
        }
        return out;
    }
}
