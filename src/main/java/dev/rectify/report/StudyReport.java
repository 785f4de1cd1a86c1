package dev.rectify.report;

import dev.rectify.diagnostics.StudyRun;
import dev.rectify.nn.EpochRecord;
import dev.rectify.nn.EvalResult;
import dev.rectify.nn.LayerEpoch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The report of a study (a grid of activations x initializations x learning rates x seeds): a summary per
 * configuration (seeds averaged), plain-language conclusions drawn from those numbers, a terminal table, and
 * one self-contained HTML page with inline SVG charts (no scripts, no network access needed to view it).
 */
public final class StudyReport {
    private StudyReport() { }

    /**
     * One configuration, averaged over its seeds (test accuracy and test loss over the runs that did not diverge;
     * accuracy is NaN for regression).
     */
    public record Group(String activation, String init, double lr, boolean deadKind, int runs, int diverged,
                        double testAccuracy, double dead, double inactive, double bornDead, double seconds, double testLoss) { }

    public static List<Group> groups(List<StudyRun> runs) {
        Map<String, List<StudyRun>> byGroup = new LinkedHashMap<>();
        for (StudyRun r : runs) byGroup.computeIfAbsent(r.group(), k -> new ArrayList<>()).add(r);
        List<Group> out = new ArrayList<>();
        for (List<StudyRun> g : byGroup.values()) {
            StudyRun f = g.get(0);
            int diverged = 0, finished = 0;
            double acc = 0, loss = 0, dead = 0, inactive = 0, born = 0, secs = 0;
            for (StudyRun r : g) {
                if (r.divergence() != null) diverged++;
                else {
                    finished++;
                    acc += r.finalTestAccuracy();
                    loss += r.finalTestLoss();
                }
                dead += r.finalDead();
                inactive += r.finalInactive();
                born += r.bornDead();
                secs += r.seconds();
            }
            out.add(new Group(f.activation(), f.init(), f.lr(), f.deadKind(), g.size(), diverged,
                    finished == 0 ? Double.NaN : acc / finished, dead / g.size(), inactive / g.size(), born / g.size(), secs / g.size(),
                    finished == 0 ? Double.NaN : loss / finished));
        }
        return out;
    }

    /** Sentences that say what the numbers show: which settings killed units and which remedies saved them. */
    public static List<String> conclusions(List<StudyRun> runs) {
        if (runs.size() == 1) return singleRun(runs.get(0));
        List<Group> groups = groups(runs);
        List<String> out = new ArrayList<>();
        if (groups.isEmpty()) return out;
        TreeSet<Double> lrs = new TreeSet<>();
        List<String> inits = new ArrayList<>();
        for (Group g : groups) {
            lrs.add(g.lr());
            if (!inits.contains(g.init())) inits.add(g.init());
        }
        Group worst = null;
        for (Group g : groups) if (g.deadKind() && (worst == null || g.dead() > worst.dead())) worst = g;
        if (worst != null) {
            out.add(String.format(Locale.ROOT, "Most units died with %s, %s, lr %s: %s of the hidden units were dead after the last epoch"
                            + " (%s at initialization)%s.", worst.activation(), worst.init(), num(worst.lr()), pct(worst.dead()),
                    pct(worst.bornDead()), Double.isNaN(worst.testAccuracy()) ? ", and every run diverged"
                            : ", test accuracy " + pct(worst.testAccuracy())));
        }
        double safe = lrs.first(), high = lrs.last();
        String init0 = inits.get(0);
        Group reluSafe = find(groups, "relu", init0, safe), reluHigh = find(groups, "relu", init0, high);
        if (reluSafe != null && reluHigh != null && safe != high) {
            out.add(String.format(Locale.ROOT, "Learning rate: ReLU with %s ended with %s dead units at lr %s and %s at lr %s.",
                    init0, pct(reluSafe.dead()), num(safe), pct(reluHigh.dead()), num(high)));
        }
        for (String init : inits) {
            if (!init.contains(":-")) continue;
            Group bad = find(groups, "relu", init, safe), good = find(groups, "relu", init0, safe);
            if (bad != null && good != null) {
                out.add(String.format(Locale.ROOT, "Initialization: a negative bias (%s) left %s of the ReLU units dead before training,"
                        + " against %s with %s; after training at lr %s, %s against %s were dead.", init, pct(bad.bornDead()),
                        pct(good.bornDead()), init0, num(safe), pct(bad.dead()), pct(good.dead())));
            }
        }
        if (reluHigh != null) {
            List<String> saved = new ArrayList<>();
            for (Group g : groups) {
                if (g.init().equals(init0) && g.lr() == high && !g.deadKind()) {
                    saved.add(String.format(Locale.ROOT, "%s %s (%s dormant, accuracy %s)", g.activation(), g.diverged() == g.runs()
                            ? "diverged" : "0% dead", pct(g.inactive()), Double.isNaN(g.testAccuracy()) ? "n/a" : pct(g.testAccuracy())));
                }
            }
            if (!saved.isEmpty()) {
                out.add(String.format(Locale.ROOT, "Remedies at lr %s with %s: ReLU ended with %s dead (accuracy %s); %s. Dormant units"
                                + " sit in the negative regime but still get gradient, so they can recover.", num(high), init0,
                        pct(reluHigh.dead()), Double.isNaN(reluHigh.testAccuracy()) ? "n/a" : pct(reluHigh.testAccuracy()),
                        String.join("; ", saved)));
            }
        }
        int diverged = 0;
        List<String> which = new ArrayList<>();
        for (Group g : groups) {
            diverged += g.diverged();
            if (g.diverged() > 0) which.add(g.activation() + " " + g.init() + " lr " + num(g.lr()));
        }
        if (diverged > 0) {
            out.add(String.format(Locale.ROOT, "%d of %d runs diverged (%s): the loss or a gradient became non-finite and training"
                    + " stopped; gradient clipping (--clip-norm) or a lower learning rate prevents that.", diverged, runs.size(),
                    String.join(", ", which)));
        }
        Group best = null;
        for (Group g : groups) if (!Double.isNaN(g.testAccuracy()) && (best == null || g.testAccuracy() > best.testAccuracy())) best = g;
        if (best != null) {
            out.add(String.format(Locale.ROOT, "Best test accuracy: %s with %s, %s, lr %s (%s dead).", pct(best.testAccuracy()),
                    best.activation(), best.init(), num(best.lr()), pct(best.dead())));
        }
        return out;
    }

    /** What one run (rectify train) shows, in its own words: no means, no comparison of a setting with itself. */
    static List<String> singleRun(StudyRun r) {
        List<String> out = new ArrayList<>();
        String what = r.deadKind() ? "dead" : "dormant";
        EpochRecord last = r.last();
        if (last == null) {
            out.add(String.format(Locale.ROOT, "The run (%s, %s, lr %s) diverged in its first epoch: %s.", r.activation(), r.init(),
                    num(r.lr()), r.divergence()));
            return out;
        }
        int died = 0, revived = 0;
        for (EpochRecord e : r.history()) {
            for (LayerEpoch l : e.layers()) {
                died += l.died();
                revived += l.revived();
            }
        }
        double end = r.deadKind() ? last.deadFraction() : last.dormantFraction();
        out.add(String.format(Locale.ROOT, "After %d epoch%s, %s of the hidden units were %s (%s at initialization); %d unit-epochs "
                        + "went %s and %d came back during training.", r.history().size(), r.history().size() == 1 ? "" : "s",
                pct(end), what, pct(r.bornDead()), died, r.deadKind() ? "dead" : "dormant", revived));
        if (r.divergence() != null) {
            out.add("The run diverged: " + r.divergence() + ".");
        } else if (!Double.isNaN(last.testAccuracy())) {
            out.add(String.format(Locale.ROOT, "Test accuracy %s, test loss %s.", pct(last.testAccuracy()), Axis.number(last.testLoss())));
        } else if (r.regression() && !Double.isNaN(last.testLoss())) {
            out.add(String.format(Locale.ROOT, "Test MSE %s, training MSE %s.", Axis.number(last.testLoss()), Axis.number(last.trainLoss())));
        }
        if (r.deadKind() && end >= 0.2) {
            out.add("Many units are dead: a lower learning rate, gradient clipping, a zero bias or a leaky activation (leaky-relu, "
                    + "prelu, elu) keeps them alive; rectify study compares these settings side by side.");
        }
        return out;
    }

    private static Group find(List<Group> groups, String act, String init, double lr) {
        for (Group g : groups) if (g.activation().equals(act) && g.init().equals(init) && g.lr() == lr) return g;
        return null;
    }

    /** A fixed-width table of the groups for a terminal. */
    public static String terminalTable(List<Group> groups) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-12s %-18s %8s %9s %7s %8s %8s %8s %6s%n",
                "activation", "init", "lr", "test acc", "dead", "dormant", "born", "diverged", "time"));
        for (Group g : groups) {
            b.append(String.format(Locale.ROOT, "%-12s %-18s %8s %9s %7s %8s %8s %5d/%-2d %5.1fs%n", g.activation(), g.init(), num(g.lr()),
                    Double.isNaN(g.testAccuracy()) ? "-" : pct(g.testAccuracy()), pct(g.dead()), g.deadKind() ? "-" : pct(g.inactive()),
                    pct(g.bornDead()), g.diverged(), g.runs(), g.seconds()));
        }
        return b.toString();
    }

    /** Writes index.html, results.csv and results.json into {@code dir}, each atomically. */
    public static void write(Path dir, String title, Map<String, String> setup, List<StudyRun> runs) throws IOException {
        write(dir, title, setup, runs, null, Map.of());
    }

    /**
     * As {@link #write(Path, String, Map, List)}, with the final network's per-class accuracy and confusion matrix on
     * the test set ({@code finalTest}; null for none) at the end of the page, and {@code common} hyper-parameters
     * (optimizer, batch, ...) as export columns of every run after each run's own ({@link StudyRun#parameters()}).
     */
    public static void write(Path dir, String title, Map<String, String> setup, List<StudyRun> runs, EvalResult finalTest,
                             Map<String, String> common) throws IOException {
        List<String> names = new ArrayList<>();
        List<Map<String, String>> parameters = new ArrayList<>();
        List<List<EpochRecord>> histories = new ArrayList<>();
        for (StudyRun r : runs) {
            names.add(r.name());
            Map<String, String> p = new LinkedHashMap<>(r.parameters());
            p.putAll(common);
            parameters.add(p);
            histories.add(r.history());
        }
        HistoryExport.writeAtomically(dir.resolve("results.csv"), HistoryExport.csv(names, parameters, histories));
        HistoryExport.writeAtomically(dir.resolve("results.json"), HistoryExport.json(names, parameters, histories));
        HistoryExport.writeAtomically(dir.resolve("index.html"), html(title, setup, runs, finalTest));
    }

    public static String html(String title, Map<String, String> setup, List<StudyRun> runs) {
        return html(title, setup, runs, null);
    }

    /** The page; {@code finalTest} adds the per-class section (null for none). */
    public static String html(String title, Map<String, String> setup, List<StudyRun> runs, EvalResult finalTest) {
        return StudyPage.html(title, setup, runs, finalTest);
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e6 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%s", v);
    }
}
