package dev.rectify.report;

import dev.rectify.diagnostics.StudyRun;
import dev.rectify.nn.EpochRecord;
import dev.rectify.nn.EvalResult;
import dev.rectify.nn.LayerEpoch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The HTML page of a study or a training run: setup, conclusions, the summary table shaded by outcome, and per
 * (initialization, learning rate) the charts of test accuracy, training loss, and per hidden layer the dead or
 * dormant units, the gradient norm and the pre-activation range; then the final network's per-class results.
 */
final class StudyPage {
    private StudyPage() { }

    /** Above this many classes the page shows per-class accuracy only, not the matrix. */
    static final int SHOWN_CONFUSION_CLASSES = 30;
    /** Outcome thresholds of the summary's shading (fractions: 0.2 is 20% or 20 points of accuracy). */
    static final double BAD_DEAD = 0.2, POOR_DEAD = 0.05, BAD_GAP = 0.2, POOR_GAP = 0.05;

    private static final String STYLE = "body{font:15px/1.5 system-ui,sans-serif;margin:1.5em auto;max-width:1880px;padding:0 1.2em;color:#222}"
            + "h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}table{border-collapse:collapse}"
            + "td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:right}td:nth-child(-n+2),th:nth-child(-n+2){text-align:left}"
            + "tr.bad td{background:#fbd9cf}tr.poor td{background:#fdf0c8}tr.good td{background:#e3f4e8}"
            + ".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,420px),1fr));gap:10px}"
            + ".chart{width:100%;height:auto;border:1px solid #eee;background:#fff}"
            + ".chart .t{font-weight:600;font-size:13px}.chart .a{font-size:12px;fill:#444}.chart .l{font-size:12px}"
            + ".chart .g{stroke:#e8e8e8}.chart .m{fill:#fff;stroke-width:1.4}.setup td{text-align:left}.note{color:#555}";

    /** A report page's start, shared by every report: the document head, the title and the setup table. */
    static StringBuilder head(String title, Map<String, String> setup) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        b.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>").append(Svg.esc(title)).append("</title>");
        b.append("<style>").append(STYLE).append("</style></head><body>\n");
        b.append("<h1>").append(Svg.esc(title)).append("</h1>\n<table class=\"setup\">");
        for (Map.Entry<String, String> e : setup.entrySet()) {
            b.append("<tr><th>").append(Svg.esc(e.getKey())).append("</th><td>").append(Svg.esc(e.getValue())).append("</td></tr>");
        }
        return b.append("</table>\n");
    }

    static String html(String title, Map<String, String> setup, List<StudyRun> runs, EvalResult finalTest) {
        List<StudyReport.Group> groups = StudyReport.groups(runs);
        StringBuilder b = head(title, setup);
        b.append("<h2>What the numbers say</h2>\n<ul id=\"conclusions\">");
        for (String c : StudyReport.conclusions(runs)) b.append("<li>").append(Svg.esc(c)).append("</li>");
        b.append("</ul>\n<p class=\"note\">A unit is <b>dead</b> when its pre-activation was &le; 0 for every training sample of the"
                + " epoch, so it received exactly zero gradient (ReLU). For activations that still pass gradient there (Leaky ReLU, PReLU,"
                + " RReLU, ELU, SELU, GELU) such units are <b>dormant</b> (dashed lines): inactive, but able to recover.</p>\n");
        boolean regression = !runs.isEmpty() && runs.stream().allMatch(r -> r.history().isEmpty() || r.regression())
                && runs.stream().anyMatch(StudyRun::regression);
        summary(b, groups, regression);
        charts(b, runs, groups, regression);
        if (finalTest != null && finalTest.confusion() != null) perClass(b, finalTest);
        b.append("<p class=\"note\">Per-epoch figures for every run and layer: results.csv and results.json next to this page.</p>\n");
        return b.append("</body></html>\n").toString();
    }

    /** bad, poor or good: what a row's shading says. */
    static String outcome(StudyReport.Group g, double bestAccuracy) {
        double gap = Double.isNaN(g.testAccuracy()) || Double.isNaN(bestAccuracy) ? 0 : bestAccuracy - g.testAccuracy();
        if (g.diverged() == g.runs() || g.dead() >= BAD_DEAD || gap > BAD_GAP) return "bad";
        if (g.diverged() > 0 || g.dead() >= POOR_DEAD || gap > POOR_GAP) return "poor";
        return "good";
    }

    private static void summary(StringBuilder b, List<StudyReport.Group> groups, boolean regression) {
        boolean oneRunEach = groups.stream().allMatch(g -> g.runs() == 1);
        double best = Double.NaN;
        for (StudyReport.Group g : groups) {
            if (!Double.isNaN(g.testAccuracy()) && (Double.isNaN(best) || g.testAccuracy() > best)) best = g.testAccuracy();
        }
        b.append(oneRunEach ? "<h2>Final results</h2>\n" : "<h2>Final results (mean over seeds)</h2>\n");
        if (groups.size() > 1) {
            b.append(String.format(Locale.ROOT, "<p class=\"note\">Rows are shaded by outcome: red when every run diverged, %.0f%% or more of"
                    + " the units died, or test accuracy is more than %.0f points below the best; amber for some runs diverged, %.0f%% dead,"
                    + " or more than %.0f points below the best; green otherwise.</p>\n", 100 * BAD_DEAD, 100 * BAD_GAP, 100 * POOR_DEAD, 100 * POOR_GAP));
        }
        b.append("<table id=\"summary\"><tr><th>activation</th><th>init</th><th>lr</th><th>").append(regression ? "test MSE" : "test accuracy")
                .append("</th><th>dead</th><th>dormant</th>"
                + "<th>born dead</th><th>diverged</th><th>time per run</th></tr>");
        for (StudyReport.Group g : groups) {
            b.append("<tr class=\"").append(outcome(g, best)).append("\"><td>").append(Svg.esc(g.activation())).append("</td><td>")
                    .append(Svg.esc(g.init())).append("</td><td>").append(StudyReport.num(g.lr())).append("</td><td>")
                    .append(regression ? (Double.isNaN(g.testLoss()) ? "&ndash;" : String.format(Locale.ROOT, "%.4g", g.testLoss()))
                            : Double.isNaN(g.testAccuracy()) ? "&ndash;" : StudyReport.pct(g.testAccuracy())).append("</td><td>")
                    .append(StudyReport.pct(g.dead())).append("</td><td>").append(g.deadKind() ? "&ndash;" : StudyReport.pct(g.inactive()))
                    .append("</td><td>").append(StudyReport.pct(g.bornDead())).append("</td><td>").append(g.diverged()).append(" / ")
                    .append(g.runs()).append("</td><td>").append(String.format(Locale.ROOT, "%.2f s", g.seconds())).append("</td></tr>");
        }
        b.append("</table>\n");
    }

    private static void charts(StringBuilder b, List<StudyRun> runs, List<StudyReport.Group> groups, boolean regression) {
        TreeSet<Double> lrs = new TreeSet<>();
        List<String> inits = new ArrayList<>(), acts = new ArrayList<>();
        for (StudyReport.Group g : groups) {
            lrs.add(g.lr());
            if (!inits.contains(g.init())) inits.add(g.init());
            if (!acts.contains(g.activation())) acts.add(g.activation());
        }
        int layers = 0;
        for (StudyRun r : runs) if (r.last() != null) layers = Math.max(layers, r.last().layers().size());
        boolean seeds = groups.stream().anyMatch(g -> g.runs() > 1);
        b.append("<p class=\"note\">Hover a point for its value").append(seeds ? "; bands show the spread over seeds (lowest to highest"
                + " run)" : "").append(". Lines that coincide are drawn a pixel or two apart, so none hides another.</p>\n");
        int section = 0;
        for (double lr : lrs) {
            for (String init : inits) {
                List<List<StudyRun>> byAct = new ArrayList<>();
                List<String> present = new ArrayList<>();
                for (String a : acts) {
                    List<StudyRun> rs = select(runs, a, init, lr);
                    if (!rs.isEmpty()) {
                        byAct.add(rs);
                        present.add(a);
                    }
                }
                if (byAct.isEmpty()) continue;
                String id = "s" + (++section);
                b.append("<h2>").append(Svg.esc(init)).append(", lr ").append(StudyReport.num(lr)).append("</h2>\n<div class=\"charts\">");
                if (regression) {
                    List<Chart.Series> test = perActivation(present, byAct, EpochRecord::testLoss, false);
                    b.append(Chart.render(id + "-test-loss", "Test loss", "MSE", Axis.fit(values(test), true, true), test));
                } else {
                    List<Chart.Series> acc = perActivation(present, byAct, EpochRecord::testAccuracy, false);
                    b.append(Chart.render(id + "-accuracy", "Test accuracy", "accuracy", Axis.percent(), acc));
                }
                List<Chart.Series> loss = perActivation(present, byAct, EpochRecord::trainLoss, false);
                b.append(Chart.render(id + "-loss", "Training loss", regression ? "MSE" : "cross-entropy",
                        Axis.fit(values(loss), true, true), loss));
                for (int layer = 0; layer < layers; layer++) {
                    final int l = layer;
                    List<Chart.Series> dead = perActivation(present, byAct, e -> l < e.layers().size() ? inactive(e.layers().get(l)) : Double.NaN, true);
                    b.append(Chart.render(id + "-dead-" + (l + 1), "Dead (solid) or dormant (dashed), hidden layer " + (l + 1),
                            "% of units", Axis.percent(), dead));
                }
                for (int layer = 0; layer < layers; layer++) {
                    final int l = layer;
                    List<Chart.Series> grad = perActivation(present, byAct, e -> l < e.layers().size() ? e.layers().get(l).gradNorm() : Double.NaN, false);
                    b.append(Chart.render(id + "-grad-" + (l + 1), "Weight-gradient norm, hidden layer " + (l + 1), "L2 norm",
                            Axis.fit(values(grad), true, true), grad));
                }
                for (int layer = 0; layer < layers; layer++) {
                    List<Chart.Series> pre = preActivation(present, byAct, layer);
                    b.append(Chart.render(id + "-pre-" + (layer + 1), "Pre-activation mean and min to max, hidden layer " + (layer + 1),
                            "pre-activation", Axis.fit(values(pre), false, false), pre));
                }
                b.append("</div>\n");
            }
        }
    }

    /** Per activation the mean over seeds, with the seeds' lowest and highest as a band when there are several. */
    private static List<Chart.Series> perActivation(List<String> acts, List<List<StudyRun>> byAct, ToDoubleFunction<EpochRecord> f,
                                                    boolean dashDormant) {
        List<Chart.Series> out = new ArrayList<>();
        for (int a = 0; a < acts.size(); a++) {
            List<StudyRun> rs = byAct.get(a);
            double[][] stats = perEpoch(rs, f);
            boolean dashed = dashDormant && !rs.get(0).deadKind();
            Palette.Style style = Palette.of(acts.get(a));
            out.add(rs.size() > 1 ? new Chart.Series(acts.get(a), style, dashed, stats[0], stats[1], stats[2], "seeds")
                    : new Chart.Series(acts.get(a), style, dashed, stats[0]));
        }
        return out;
    }

    private static List<Chart.Series> preActivation(List<String> acts, List<List<StudyRun>> byAct, int l) {
        List<Chart.Series> out = new ArrayList<>();
        for (int a = 0; a < acts.size(); a++) {
            List<StudyRun> rs = byAct.get(a);
            double[] mean = perEpoch(rs, e -> l < e.layers().size() ? e.layers().get(l).preMean() : Double.NaN)[0];
            double[] lo = perEpoch(rs, e -> l < e.layers().size() ? e.layers().get(l).preMin() : Double.NaN)[1];
            double[] hi = perEpoch(rs, e -> l < e.layers().size() ? e.layers().get(l).preMax() : Double.NaN)[2];
            out.add(new Chart.Series(acts.get(a), Palette.of(acts.get(a)), false, mean, lo, hi, "min to max"));
        }
        return out;
    }

    private static List<double[]> values(List<Chart.Series> series) {
        List<double[]> out = new ArrayList<>();
        for (Chart.Series s : series) {
            out.add(s.y());
            out.add(s.low());
            out.add(s.high());
        }
        return out;
    }

    /** Per epoch over the runs that reached it with a finite value: {mean, lowest, highest}. */
    static double[][] perEpoch(List<StudyRun> runs, ToDoubleFunction<EpochRecord> f) {
        int epochs = 0;
        for (StudyRun r : runs) epochs = Math.max(epochs, r.history().size());
        double[][] out = new double[3][epochs];
        for (double[] o : out) Arrays.fill(o, Double.NaN);
        for (int e = 0; e < epochs; e++) {
            double sum = 0, lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            int n = 0;
            for (StudyRun r : runs) {
                if (e >= r.history().size()) continue;
                double v = f.applyAsDouble(r.history().get(e));
                if (!Double.isFinite(v)) continue;
                sum += v;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
                n++;
            }
            if (n > 0) {
                out[0][e] = sum / n;
                out[1][e] = lo;
                out[2][e] = hi;
            }
        }
        return out;
    }

    /** Per-class accuracy and the confusion matrix (rows: true class, columns: predicted) of the final network. */
    private static void perClass(StringBuilder b, EvalResult r) {
        int[] n = r.samplesPerClass();
        double[] acc = r.perClassAccuracy();
        b.append("<h2>Per-class accuracy on the test set (final network)</h2>\n<table id=\"per-class\"><tr><th>class</th>"
                + "<th>samples</th><th>accuracy</th></tr>");
        for (int c = 0; c < n.length; c++) {
            b.append(n[c] > 0 && acc[c] < r.accuracy() - 0.1 ? "<tr class=\"bad\">" : "<tr>").append("<td>").append(c)
                    .append("</td><td>").append(n[c]).append("</td><td>").append(n[c] == 0 ? "-" : StudyReport.pct(acc[c])).append("</td></tr>");
        }
        b.append("</table>\n");
        int[][] m = r.confusion();
        if (m.length > SHOWN_CONFUSION_CLASSES) {
            b.append("<p class=\"note\">").append(m.length).append(" classes: the confusion matrix is in the evaluate command's output.</p>\n");
            return;
        }
        b.append("<h2>Confusion matrix on the test set</h2>\n<p class=\"note\">Rows: true class; columns: predicted class.</p>\n"
                + "<table id=\"confusion\"><tr><th>true \\ predicted</th>");
        for (int c = 0; c < m.length; c++) b.append("<th>").append(c).append("</th>");
        b.append("</tr>");
        for (int i = 0; i < m.length; i++) {
            b.append("<tr><th>").append(i).append("</th>");
            for (int j = 0; j < m.length; j++) b.append(i == j ? "<td><b>" : "<td>").append(m[i][j]).append(i == j ? "</b></td>" : "</td>");
            b.append("</tr>");
        }
        b.append("</table>\n");
    }

    private static double inactive(LayerEpoch l) {
        return (double) (l.dead() + l.dormant()) / l.units();
    }

    private static List<StudyRun> select(List<StudyRun> runs, String act, String init, double lr) {
        List<StudyRun> out = new ArrayList<>();
        for (StudyRun r : runs) if (r.activation().equals(act) && r.init().equals(init) && r.lr() == lr) out.add(r);
        return out;
    }
}
