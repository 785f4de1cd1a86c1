package dev.rectify.report;

import dev.rectify.io.AtomicFiles;
import dev.rectify.nn.EpochRecord;
import dev.rectify.nn.LayerEpoch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Writes a run's per-epoch history as CSV (one row per epoch and hidden layer) or JSON (one object per epoch with
 * its layers). Each run's hyper-parameters are columns of their own (CSV) or a {@code parameters} object (JSON),
 * so a data frame can group by them; epochs and hidden layers count from 1, as on screen and in the charts. Files are written to a temporary file in the same directory and then renamed over the target, so
 * a reader never sees a half-written file. Numbers use {@code Double.toString}, so they read back exactly;
 * non-finite values (a regression run's accuracy) are written as empty CSV cells and JSON {@code null}.
 */
public final class HistoryExport {
    /** The CSV header after the run and parameter columns, in column order. */
    public static final String CSV_HEADER = "epoch,lr,train_loss,train_accuracy,test_loss,test_accuracy,seconds,"
            + "layer,kind,units,dead,dormant,died,revived,dead_fraction,dormant_fraction,sparsity,pre_mean,pre_min,pre_max,"
            + "grad_norm,vanishing,exploding,weight_norm,slope_mean,slope_min,slope_max,loss_exploding";

    private HistoryExport() { }

    /** CSV text for the runs, each a (name, history) pair; names must not contain commas, quotes or newlines. */
    public static String csv(List<String> runNames, List<List<EpochRecord>> histories) {
        return csv(runNames, java.util.Collections.nCopies(runNames.size(), Map.of()), histories);
    }

    /**
     * CSV text: {@code run}, then one column per parameter name (in the order first seen; empty where a run lacks
     * it), then {@link #CSV_HEADER}'s columns. Names and values must not contain commas, quotes or newlines.
     */
    public static String csv(List<String> runNames, List<Map<String, String>> parameters, List<List<EpochRecord>> histories) {
        if (runNames.size() != histories.size() || parameters.size() != histories.size()) {
            throw new IllegalArgumentException("runNames, parameters and histories differ in length");
        }
        java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>();
        for (Map<String, String> p : parameters) keys.addAll(p.keySet());
        StringBuilder b = new StringBuilder("run");
        for (String k : keys) b.append(',').append(plain("parameter name", k));
        b.append(',').append(CSV_HEADER).append('\n');
        for (int i = 0; i < runNames.size(); i++) {
            String name = plain("run name", runNames.get(i));
            StringBuilder params = new StringBuilder();
            for (String k : keys) params.append(plain("parameter " + k, parameters.get(i).getOrDefault(k, ""))).append(',');
            for (EpochRecord e : histories.get(i)) {
                for (LayerEpoch l : e.layers()) {
                    b.append(name).append(',').append(params).append(e.epoch() + 1).append(',').append(num(e.lr())).append(',')
                            .append(num(e.trainLoss())).append(',').append(num(e.trainAccuracy())).append(',')
                            .append(num(e.testLoss())).append(',').append(num(e.testAccuracy())).append(',')
                            .append(num(e.seconds())).append(',').append(l.layer() + 1).append(',').append(csvKind(l.kind()))
                            .append(',').append(l.units()).append(',').append(l.dead()).append(',').append(l.dormant())
                            .append(',').append(l.died()).append(',').append(l.revived()).append(',')
                            .append(num(l.deadFraction())).append(',').append(num(l.dormantFraction())).append(',')
                            .append(num(l.sparsity())).append(',').append(num(l.preMean())).append(',')
                            .append(num(l.preMin())).append(',').append(num(l.preMax())).append(',')
                            .append(num(l.gradNorm())).append(',').append(l.vanishing()).append(',').append(l.exploding())
                            .append(',').append(num(l.weightNorm()));
                    float[] sl = l.slopes();
                    double mean = Double.NaN, min = Double.NaN, max = Double.NaN;
                    if (sl != null && sl.length > 0) {
                        mean = 0;
                        min = Double.POSITIVE_INFINITY;
                        max = Double.NEGATIVE_INFINITY;
                        for (float v : sl) {
                            mean += v;
                            min = Math.min(min, v);
                            max = Math.max(max, v);
                        }
                        mean /= sl.length;
                    }
                    b.append(',').append(num(mean)).append(',').append(num(min)).append(',').append(num(max))
                            .append(',').append(e.lossExploding()).append('\n');
                }
            }
        }
        return b.toString();
    }

    /** JSON text: {@code {"runs":[{"name":...,"epochs":[{...,"layers":[{...}]}]}]}}. */
    public static String json(List<String> runNames, List<List<EpochRecord>> histories) {
        return json(runNames, java.util.Collections.nCopies(runNames.size(), Map.of()), histories);
    }

    /** JSON text: {@code {"runs":[{"name":...,"parameters":{...},"epochs":[{...,"layers":[{...}]}]}]}}. */
    public static String json(List<String> runNames, List<Map<String, String>> parameters, List<List<EpochRecord>> histories) {
        if (runNames.size() != histories.size() || parameters.size() != histories.size()) {
            throw new IllegalArgumentException("runNames, parameters and histories differ in length");
        }
        StringBuilder b = new StringBuilder("{\"runs\":[");
        for (int i = 0; i < runNames.size(); i++) {
            b.append(i == 0 ? "" : ",").append("{\"name\":").append(quote(runNames.get(i))).append(",\"parameters\":{");
            int written = 0;
            for (Map.Entry<String, String> p : parameters.get(i).entrySet()) {
                b.append(written++ == 0 ? "" : ",").append(quote(p.getKey())).append(':').append(quote(p.getValue()));
            }
            b.append("},\"epochs\":[");
            List<EpochRecord> h = histories.get(i);
            for (int j = 0; j < h.size(); j++) {
                EpochRecord e = h.get(j);
                b.append(j == 0 ? "" : ",").append("{\"epoch\":").append(e.epoch() + 1).append(",\"lr\":").append(jnum(e.lr()))
                        .append(",\"train_loss\":").append(jnum(e.trainLoss()))
                        .append(",\"train_accuracy\":").append(jnum(e.trainAccuracy()))
                        .append(",\"test_loss\":").append(jnum(e.testLoss()))
                        .append(",\"test_accuracy\":").append(jnum(e.testAccuracy()))
                        .append(",\"seconds\":").append(jnum(e.seconds()))
                        .append(",\"loss_exploding\":").append(e.lossExploding()).append(",\"layers\":[");
                for (int k = 0; k < e.layers().size(); k++) {
                    LayerEpoch l = e.layers().get(k);
                    b.append(k == 0 ? "" : ",").append("{\"layer\":").append(l.layer() + 1)
                            .append(",\"kind\":").append(quote(l.kind())).append(",\"units\":").append(l.units())
                            .append(",\"dead\":").append(l.dead()).append(",\"dormant\":").append(l.dormant())
                            .append(",\"died\":").append(l.died()).append(",\"revived\":").append(l.revived())
                            .append(",\"sparsity\":").append(jnum(l.sparsity()))
                            .append(",\"pre_mean\":").append(jnum(l.preMean()))
                            .append(",\"pre_min\":").append(jnum(l.preMin()))
                            .append(",\"pre_max\":").append(jnum(l.preMax()))
                            .append(",\"grad_norm\":").append(jnum(l.gradNorm()))
                            .append(",\"vanishing\":").append(l.vanishing()).append(",\"exploding\":").append(l.exploding())
                            .append(",\"weight_norm\":").append(jnum(l.weightNorm()));
                    if (l.slopes() != null) {
                        b.append(",\"slopes\":[");
                        for (int q = 0; q < l.slopes().length; q++) b.append(q == 0 ? "" : ",").append(jnum(l.slopes()[q]));
                        b.append(']');
                    }
                    b.append('}');
                }
                b.append("]}");
            }
            b.append("]}");
        }
        return b.append("]}\n").toString();
    }

    /** Writes {@code text} to {@code target} atomically (see {@link AtomicFiles}). */
    public static void writeAtomically(Path target, String text) throws IOException {
        AtomicFiles.writeString(target, text);
    }

    private static String plain(String what, String s) {
        if (s.matches("(?s).*[,\"\r\n].*")) throw new IllegalArgumentException(what + " must not contain , \" or newlines: " + s);
        return s;
    }

    /** Kinds such as {@code leakyRelu(alpha=0.01)} hold commas: quote them as RFC 4180 says. */
    private static String csvKind(String kind) {
        return kind.indexOf(',') < 0 && kind.indexOf('"') < 0 ? kind : '"' + kind.replace("\"", "\"\"") + '"';
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    private static String jnum(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
