package dev.rectify.bench.tools;

import dev.rectify.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of {@code ./rectify bench}: every part {@link BenchSuite} ran, in one {@code report.md} and one
 * {@code report.html} with bar charts: the activation kernels ({@link BenchReport}), SGEMM, the fused layer and the
 * FMA peak ({@link GemmReport}), the training epoch against the plain-Java MLP, and the OpenBLAS kernel that ran.
 *
 * <pre>java -cp target/benchmarks.jar dev.rectify.bench.tools.BenchPage [--smoke] OUTPUT.md [--jmh-log LOG] [--paired DIR] RESULTS.json|DIR ...</pre>
 * With {@code --paired DIR}, the table {@code PairedSuite bench} wrote there closes the report.
 */
public final class BenchPage {
    private BenchPage() {
    }

    /** Rows of TrainingBenchmark's data sets, for samples per second. */
    static final Map<String, Integer> TRAINING_ROWS = Map.of("digits", 1797, "mnist", 4096);

    public static void main(String[] args) throws IOException {
        List<String> a = new ArrayList<>(List.of(args));
        boolean smoke = a.remove("--smoke");
        String openblas = null;
        String paired = null;
        int pi = a.indexOf("--paired");
        if (pi >= 0) {
            Path summary = Path.of(a.get(pi + 1)).resolve("summary.md");
            if (Files.isRegularFile(summary)) paired = Files.readString(summary);
            a.remove(pi + 1);
            a.remove(pi);
        }
        int log = a.indexOf("--jmh-log");
        if (log >= 0) {
            openblas = openblasCore(Path.of(a.get(log + 1)));
            a.remove(log + 1);
            a.remove(log);
        }
        if (a.size() < 2) throw new IllegalArgumentException("usage: BenchPage [--smoke] OUTPUT.md [--jmh-log LOG] RESULTS.json|DIR ...");
        List<JmhResults.Result> results = JmhResults.load(a.subList(1, a.size()));
        smoke |= BenchReport.isSmoke(results);
        String jdk = results.isEmpty() ? "?" : results.get(0).jdk(), vm = results.isEmpty() ? "?" : results.get(0).vm();
        StringBuilder md = new StringBuilder("# Rectify benchmarks" + (smoke ? " (smoke run)" : "") + "\n\n");
        if (smoke) md.append(BenchReport.SMOKE_NOTE).append("\n\n");
        md.append(HostLine.markdown()).append("\n\nJDK of the run: ").append(jdk).append(" (").append(vm).append(").");
        if (openblas != null) md.append(" OpenBLAS ran its `").append(openblas).append("` kernel (OPENBLAS_VERBOSE=2).");
        md.append("\n\n");
        Map<String, BenchReport.Score> act = BenchReport.scores(results);
        if (!act.isEmpty()) md.append(section(BenchReport.render(act, jdk, vm, results.get(0).jvmArgs())));
        String gemm = GemmReport.render(results);
        if (!gemm.isEmpty()) md.append(section(gemm));
        Map<String, double[]> training = training(results);
        if (!training.isEmpty()) md.append(trainingMarkdown(training));
        if (paired != null) md.append(section(paired.replaceFirst("(?s)\n\nHost: [^\n]*\n", "\n")));
        Path out = Path.of(a.get(0));
        AtomicFiles.writeString(out, md.toString());
        String title = "Rectify benchmarks" + (smoke ? " (smoke run)" : "");
        StringBuilder html = new StringBuilder(String.format(BenchReport.HTML_HEAD, title, title));
        if (smoke) html.append("<p style=\"background:#fde8e0;padding:.6em 1em\">").append(BenchReport.esc(BenchReport.SMOKE_NOTE.substring(2))).append("</p>");
        if (openblas != null) html.append("<p>OpenBLAS ran its ").append(BenchReport.esc(openblas)).append(" kernel.</p>");
        if (!act.isEmpty()) html.append("<h2>Activation kernels</h2>").append(BenchReport.htmlCharts(act, jdk, vm));
        Map<String, Map<String, Double>> gflops = gemmGflops(results);
        if (!gflops.isEmpty()) html.append("<h2>SGEMM, one thread</h2>").append(bars("GFLOPS by shape (longer is faster)", gflops));
        if (!training.isEmpty()) {
            Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> e : training.entrySet()) {
                String[] k = e.getKey().split("\\|");
                rows.computeIfAbsent(k[0], x -> new LinkedHashMap<>()).put(k[1], e.getValue()[0]);
            }
            html.append("<h2>Training epoch, one thread</h2>").append(bars("samples per second (longer is faster)", rows));
        }
        String name = out.getFileName().toString();
        Path page = out.resolveSibling((name.endsWith(".md") ? name.substring(0, name.length() - 3) : name) + ".html");
        AtomicFiles.writeString(page, html.append("</body></html>\n").toString());
        System.out.println("wrote " + out + " and " + page + " (" + results.size() + " results" + (smoke ? ", a smoke run: no measurements" : "") + ")");
    }

    /** A sub-report as a section: its title one level down, its sections too; its own date and host lines dropped. */
    static String section(String report) {
        StringBuilder b = new StringBuilder();
        for (String line : report.split("\n", -1)) {
            if (line.startsWith("- Date: ") || line.startsWith("- Host: ") || line.startsWith("> Smoke run")) continue;
            b.append(line.startsWith("#") ? "#" + line : line).append('\n');
        }
        return b.append('\n').toString();
    }

    /** data|impl to {samples per second, relative error}. */
    static Map<String, double[]> training(List<JmhResults.Result> results) throws IOException {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (JmhResults.Result r : results) {
            if (!r.is("TrainingBenchmark.epoch")) continue;
            if (!"ms/op".equals(r.unit())) throw new IOException(r.benchmark() + " in " + r.unit() + ", expected ms/op");
            int rows = TRAINING_ROWS.getOrDefault(r.param("data"), 0);
            out.put(r.param("data") + "|" + r.param("impl"), new double[] {rows / (r.score() / 1e3), r.score() == 0 ? 0 : r.error() / r.score()});
        }
        return out;
    }

    static String trainingMarkdown(Map<String, double[]> t) {
        boolean torch = t.keySet().stream().anyMatch(k -> k.endsWith("|pytorch"));
        boolean djl = t.keySet().stream().anyMatch(k -> k.endsWith("|djl"));
        StringBuilder b = new StringBuilder("## Training epoch against the plain-Java MLP" + (torch || djl ? " and PyTorch" : "")
                + ", 1 thread\n\n"
                + "SGD, lr 0.05, batch 32, ReLU, softmax cross-entropy; digits: 64-128-128-10 on 1,797 rows; mnist: 784-256-256-10 on "
                + "4,096 MNIST-shaped rows. `simd`: Rectify's trainer with its dead-unit diagnostics on; `plain`: the obvious "
                + "float-array MLP a user would write" + (torch ? "; PyTorch (JavaCPP): the same network in libtorch 2.7.1 through "
                + "JavaCPP, on OpenBLAS with one thread" : "") + (djl ? "; PyTorch (DJL): libtorch 2.4.0's official CPU build "
                + "(MKL) through DJL, one thread" : "") + ".\n\n| data | Rectify (samples/s) | plain MLP (samples/s) | Rectify / plain |"
                + (torch ? " PyTorch, JavaCPP (samples/s) | Rectify / it |" : "") + (djl ? " PyTorch, DJL (samples/s) | Rectify / it |" : "")
                + "\n|---|---:|---:|---:|" + (torch ? "---:|---:|" : "") + (djl ? "---:|---:|" : "") + "\n");
        for (String data : List.of("digits", "mnist")) {
            double[] ours = t.get(data + "|simd"), plain = t.get(data + "|plain"), peer = t.get(data + "|pytorch"),
                    viaDjl = t.get(data + "|djl");
            if (ours == null && plain == null && peer == null && viaDjl == null) continue;
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |", data, rate(ours), rate(plain), ratio(ours, plain)));
            if (torch) b.append(String.format(Locale.ROOT, " %s | %s |", rate(peer), ratio(ours, peer)));
            if (djl) b.append(String.format(Locale.ROOT, " %s | %s |", rate(viaDjl), ratio(ours, viaDjl)));
            b.append('\n');
        }
        return b.append('\n').toString();
    }

    private static String ratio(double[] ours, double[] theirs) {
        return ours == null || theirs == null ? "-" : String.format(Locale.ROOT, "%.2fx", ours[0] / theirs[0]);
    }

    private static String rate(double[] v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.0f ± %.0f%%", v[0], 100 * v[1]);
    }

    /** shape to impl to GFLOPS, one thread. */
    static Map<String, Map<String, Double>> gemmGflops(List<JmhResults.Result> results) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (JmhResults.Result r : results) {
            if (!r.is("GemmBenchmark.run") || !r.param("threads").equals("1")) continue;
            out.computeIfAbsent(r.param("shape"), x -> new LinkedHashMap<>())
                    .put(r.param("impl"), GemmReport.flops(r.param("shape")) / r.score() / 1e3);
        }
        return out;
    }

    /** Horizontal bars: one group per row label, one bar per series, scaled to the largest value. */
    static String bars(String title, Map<String, Map<String, Double>> rows) {
        List<String> series = new ArrayList<>();
        double max = 0;
        for (Map<String, Double> r : rows.values()) {
            for (Map.Entry<String, Double> e : r.entrySet()) {
                if (!series.contains(e.getKey())) series.add(e.getKey());
                max = Math.max(max, e.getValue());
            }
        }
        String[] colours = {"#0072B2", "#E69F00", "#999999", "#009E73", "#D55E00", "#CC79A7"};
        int rowH = series.size() * 11 + 10, w = 560, left = 120, h = 30 + rows.size() * rowH;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"c\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\"><text class=\"t\" x=\"6\" y=\"14\">%s</text>", w, h, w, h,
                BenchReport.esc(title)));
        int r = 0;
        for (Map.Entry<String, Map<String, Double>> row : rows.entrySet()) {
            int y0 = 26 + r++ * rowH;
            b.append(String.format(Locale.ROOT, "<text x=\"6\" y=\"%d\">%s</text>", y0 + rowH / 2, BenchReport.esc(row.getKey())));
            for (int i = 0; i < series.size(); i++) {
                Double v = row.getValue().get(series.get(i));
                if (v == null) continue;
                double len = max == 0 ? 0 : (w - left - 90) * v / max;
                b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"9\" fill=\"%s\"><title>%s %.4g</title></rect>"
                                + "<text x=\"%.1f\" y=\"%d\">%s %.3g</text>", left, y0 + i * 11, len, colours[i % colours.length],
                        BenchReport.esc(series.get(i)), v, left + len + 3, y0 + i * 11 + 8, BenchReport.esc(series.get(i)), v));
            }
        }
        return b.append("</svg>").toString();
    }

    /** The OpenBLAS core named in a JMH log run with OPENBLAS_VERBOSE=2 ("Core: SkylakeX"), or null. */
    static String openblasCore(Path jmhLog) throws IOException {
        if (!Files.isRegularFile(jmhLog)) return null;
        for (String line : Files.readAllLines(jmhLog)) {
            int i = line.indexOf("Core: ");
            if (i >= 0) return line.substring(i + 6).trim();
        }
        return null;
    }
}
