package dev.rectify.report;

import dev.rectify.diagnostics.CollapseExperiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of {@code rectify collapse}: per (width, depth, initializer) the collapsed fraction with its 95% interval
 * and how many runs were born dead, as one self-contained HTML page (a chart per width: collapsed and born-dead
 * fractions against depth, one colour per initializer) and two CSV files: {@code collapse.csv} per cell and
 * {@code runs.csv} per trained network.
 */
public final class CollapseReport {
    private CollapseReport() { }

    public static final String CELLS_HEADER = "width,depth,init,runs,born_dead,collapsed,collapsed_fraction,ci_low,ci_high,"
            + "collapsed_born_dead,collapsed_alive,diverged";
    public static final String RUNS_HEADER = "width,depth,init,run,seed,born_dead,collapsed,final_mse,output_range,diverged";

    /** Writes index.html, collapse.csv and runs.csv into {@code dir}, each atomically. */
    public static void write(Path dir, String title, Map<String, String> setup, List<CollapseExperiment.Run> runs) throws IOException {
        Files.createDirectories(dir);
        List<CollapseExperiment.Cell> cells = CollapseExperiment.cells(runs);
        HistoryExport.writeAtomically(dir.resolve("collapse.csv"), cellsCsv(cells));
        HistoryExport.writeAtomically(dir.resolve("runs.csv"), runsCsv(runs));
        HistoryExport.writeAtomically(dir.resolve("index.html"), html(title, setup, cells));
    }

    public static String cellsCsv(List<CollapseExperiment.Cell> cells) {
        StringBuilder b = new StringBuilder(CELLS_HEADER).append('\n');
        for (CollapseExperiment.Cell c : cells) {
            double[] ci = c.wilson95();
            b.append(String.format(Locale.ROOT, "%d,%d,%s,%d,%d,%d,%s,%s,%s,%d,%d,%d%n", c.width(), c.depth(), c.init(), c.runs(),
                    c.bornDead(), c.collapsed(), c.collapsedFraction(), ci[0], ci[1], c.bornDeadCollapsed(),
                    c.collapsed() - c.bornDeadCollapsed(), c.diverged()));
        }
        return b.toString();
    }

    public static String runsCsv(List<CollapseExperiment.Run> runs) {
        StringBuilder b = new StringBuilder(RUNS_HEADER).append('\n');
        for (CollapseExperiment.Run r : runs) {
            b.append(String.format(Locale.ROOT, "%d,%d,%s,%d,%d,%b,%b,%s,%s,%b%n", r.width(), r.depth(), r.init(), r.run(), r.seed(),
                    r.bornDead(), r.collapsed(), r.finalLoss(), r.outputRange(), r.divergence() != null));
        }
        return b.toString();
    }

    /** A fixed-width table for a terminal. */
    public static String terminalTable(List<CollapseExperiment.Cell> cells) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%5s %5s %-16s %5s %10s %10s %17s %13s %13s %8s%n", "width",
                "depth", "init", "runs", "born dead", "collapsed", "95% interval", "of born dead", "of the alive", "diverged"));
        for (CollapseExperiment.Cell c : cells) {
            double[] ci = c.wilson95();
            int alive = c.runs() - c.bornDead();
            b.append(String.format(Locale.ROOT, "%5d %5d %-16s %5d %10s %10s   [%5.1f%%, %5.1f%%] %13s %13s %8d%n", c.width(), c.depth(),
                    c.init(), c.runs(), StudyReport.pct((double) c.bornDead() / c.runs()), StudyReport.pct(c.collapsedFraction()),
                    100 * ci[0], 100 * ci[1], c.bornDead() == 0 ? "-" : c.bornDeadCollapsed() + "/" + c.bornDead(),
                    alive == 0 ? "-" : (c.collapsed() - c.bornDeadCollapsed()) + "/" + alive, c.diverged()));
        }
        return b.toString();
    }

    static String html(String title, Map<String, String> setup, List<CollapseExperiment.Cell> cells) {
        StringBuilder b = StudyPage.head(title, setup);
        b.append("<p class=\"note\">A run <b>collapsed</b> when, after training, every output's range over the training inputs is at"
                + " most ").append(Axis.number(CollapseExperiment.COLLAPSE_TOLERANCE)).append(" of its target's range: the network is a"
                + " constant function. It was <b>born dead</b> when, before training, some hidden layer had every pre-activation &le; 0 on"
                + " every training input; such a network cannot recover and always collapses. Intervals are 95% Wilson score intervals."
                + "</p>\n<div class=\"charts\">");
        List<Integer> widths = new ArrayList<>();
        List<String> inits = new ArrayList<>();
        for (CollapseExperiment.Cell c : cells) {
            if (!widths.contains(c.width())) widths.add(c.width());
            if (!inits.contains(c.init())) inits.add(c.init());
        }
        for (int w : widths) {
            List<Integer> depths = new ArrayList<>();
            for (CollapseExperiment.Cell c : cells) if (c.width() == w && !depths.contains(c.depth())) depths.add(c.depth());
            List<Chart.Series> series = new ArrayList<>();
            for (String init : inits) {
                double[] y = new double[depths.size()], lo = new double[depths.size()], hi = new double[depths.size()],
                        born = new double[depths.size()];
                java.util.Arrays.fill(y, Double.NaN);
                java.util.Arrays.fill(born, Double.NaN);
                for (CollapseExperiment.Cell c : cells) {
                    if (c.width() != w || !c.init().equals(init)) continue;
                    int i = depths.indexOf(c.depth());
                    double[] ci = c.wilson95();
                    y[i] = c.collapsedFraction();
                    lo[i] = ci[0];
                    hi[i] = ci[1];
                    born[i] = (double) c.bornDead() / c.runs();
                }
                Palette.Style style = Palette.nth(inits.indexOf(init));
                series.add(new Chart.Series(init + " collapsed", style, false, y, lo, hi, "95% interval"));
                series.add(new Chart.Series(init + " born dead", style, true, born));
            }
            List<String> labels = new ArrayList<>();
            for (int d : depths) labels.add(Integer.toString(d));
            b.append(Chart.render("width-" + w, "Width " + w + ": collapsed (solid) and born dead (dashed)", "% of runs", Axis.percent(),
                    series, new Chart.XAxis("depth", labels)));
        }
        b.append("</div>\n<h2>Collapsed fraction per width, depth and initialization</h2>\n<table id=\"collapse\"><tr><th>width</th>"
                + "<th>depth</th><th>init</th><th>runs</th><th>born dead</th><th>collapsed</th><th>95% interval</th>"
                + "<th>collapsed of born dead</th><th>collapsed of the alive</th><th>diverged</th></tr>");
        for (CollapseExperiment.Cell c : cells) {
            double[] ci = c.wilson95();
            int alive = c.runs() - c.bornDead();
            b.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%d</td><td>%s</td><td>%d</td><td>%s</td><td>%s</td>"
                            + "<td>%.1f%% to %.1f%%</td><td>%s</td><td>%s</td><td>%d</td></tr>", c.width(), c.depth(), Svg.esc(c.init()), c.runs(),
                    StudyReport.pct((double) c.bornDead() / c.runs()), StudyReport.pct(c.collapsedFraction()), 100 * ci[0], 100 * ci[1],
                    c.bornDead() == 0 ? "&ndash;" : c.bornDeadCollapsed() + " of " + c.bornDead(),
                    alive == 0 ? "&ndash;" : (c.collapsed() - c.bornDeadCollapsed()) + " of " + alive, c.diverged()));
        }
        b.append("</table>\n<p class=\"note\">Every run: runs.csv next to this page; per cell: collapse.csv.</p>\n</body></html>\n");
        return b.toString();
    }
}
