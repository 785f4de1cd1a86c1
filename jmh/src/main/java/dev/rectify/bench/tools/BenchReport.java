package dev.rectify.bench.tools;

import dev.rectify.bench.kernels.CopyBenchmark;

import dev.rectify.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns JMH JSON results (files or folders of them) into the Markdown benchmark report: elements/s and
 * GB/s per kernel, the SIMD/scalar and SIMD/plain-loop ratios, and the fraction of the copy baseline's
 * bandwidth reached.
 *
 * <pre>java -cp target/benchmarks.jar dev.rectify.bench.BenchReport OUTPUT.md RESULTS.json|DIR...</pre>
 */
public final class BenchReport {
    record Score(double nsPerOp, double errorNs) {
        double gelemPerS(int size) { return size / nsPerOp; }
        double relError() { return nsPerOp == 0 ? 0 : errorNs / nsPerOp; }
    }

    public static void main(String[] args) throws IOException {
        boolean smoke = args.length > 0 && args[0].equals("--smoke");
        if (smoke) args = java.util.Arrays.copyOfRange(args, 1, args.length);
        if (args.length < 2) {
            System.err.println("usage: BenchReport [--smoke] OUTPUT.md RESULTS.json|DIR ...");
            System.exit(2);
        }
        List<JmhResults.Result> results = JmhResults.load(java.util.Arrays.asList(args).subList(1, args.length));
        smoke |= isSmoke(results);
        Map<String, Score> scores = scores(results);
        String jdk = "?", vm = "?", jvmArgs = "?";
        for (JmhResults.Result r : results) {
            jdk = r.jdk();
            vm = r.vm();
            jvmArgs = r.jvmArgs();
        }
        String md = render(scores, jdk, vm, jvmArgs);
        if (smoke) md = md.replaceFirst("\n", " (smoke run)\n\n" + SMOKE_NOTE + "\n");
        Path out = Path.of(args[0]);
        AtomicFiles.writeString(out, md);
        String name = out.getFileName().toString();
        Path html = out.resolveSibling((name.endsWith(".md") ? name.substring(0, name.length() - 3) : name) + ".html");
        String page = renderHtml(scores, jdk, vm);
        if (smoke) {
            page = page.replace("JMH report</title>", "JMH report (smoke run)</title>").replace("JMH report</h1>",
                    "JMH report (smoke run)</h1><p style=\"background:#fde8e0;padding:.6em 1em;border-left:4px solid #c0392b\">"
                    + SMOKE_NOTE.substring(2) + "</p>");
        }
        AtomicFiles.writeString(html, page);
        System.out.println("wrote " + out + " and " + html + " (" + scores.size() + " results" + (smoke ? ", a smoke run: no measurements" : "") + ")");
    }

    /** One measurement iteration of at most 100 ms is no measurement, whoever ran it. */
    static boolean isSmoke(List<JmhResults.Result> results) {
        for (JmhResults.Result r : results) {
            if (r.measurementIterations() <= 1 && r.measurementTime().matches("(\\d|[1-9]\\d) ms|100 ms")) return true;
        }
        return false;
    }

    /** The activation and copy results, keyed op|pass|impl|size (copy|size, stream3|size). */
    static Map<String, Score> scores(List<JmhResults.Result> results) throws IOException {
        Map<String, Score> scores = new TreeMap<>();
        for (JmhResults.Result r : results) {
            boolean copy = r.is("CopyBenchmark.copy") || r.is("CopyBenchmark.stream3");
            if (!copy && !r.is("ActivationBenchmark.run")) continue;
            if (!"ns/op".equals(r.unit())) throw new IOException(r.benchmark() + ": expected ns/op scores, got " + r.unit());
            String key = copy ? r.benchmark().substring(r.benchmark().lastIndexOf('.') + 1) + "|" + r.param("size")
                    : r.param("op") + "|" + r.param("pass") + "|" + r.param("impl") + "|" + r.param("size");
            scores.put(key, new Score(r.score(), r.error()));
        }
        return scores;
    }

    /** What a smoke run's report says first. */
    static final String SMOKE_NOTE = "> Smoke run: one 0.1 s iteration per point, to check that the benchmarks build and run. "
            + "These numbers are not measurements; ./rectify bench (quick) or --full gives figures.";

    static String render(Map<String, Score> s, String jdk, String vm, String jvmArgs) {
        StringBuilder b = new StringBuilder();
        b.append("# Rectify activation kernels: JMH report\n\n");
        b.append("- Date: ").append(LocalDate.now()).append('\n');
        b.append("- ").append(HostLine.markdown()).append(" (the machine that rendered this report, right after the run)\n");
        b.append("- JDK: ").append(jdk).append(" (").append(vm).append("), JVM args ").append(jvmArgs).append('\n');
        b.append("- Single thread, JMH average time; ± is JMH's 99.9% confidence half-width relative to the score.\n");
        b.append("- GB/s counts 8 bytes per element for a forward pass (read x, write y) and 12 for a backward pass ")
                .append("(read x or y and dy, write dx). 'of copy' compares with `System.arraycopy` (forward) or a ")
                .append("vectorized c = a + b loop (backward) at the same size.\n\n");
        Map<String, List<String>> rowsByOp = new LinkedHashMap<>();
        for (String k : s.keySet()) {
            String[] p = k.split("\\|");
            if (p.length == 4 && !p[2].equals("scalar") && !p[2].equals("loop") && !p[2].equals("loopMax")) {
                rowsByOp.computeIfAbsent(p[0], x -> new ArrayList<>()).add(k);
            }
        }
        b.append("- 'SIMD/Math.max ReLU loop' (ReLU-family forward passes): against `y[i] = Math.max(0f, x[i])`, which C2 ")
                .append("auto-vectorizes, the reference of issue #2's target for ReLU, Leaky ReLU, PReLU and RReLU.\n\n");
        b.append("| op | pass | size | SIMD Gelem/s | GB/s | of copy | SIMD/scalar | SIMD/loop | SIMD/Math.max ReLU loop |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, List<String>> e : rowsByOp.entrySet()) {
            List<String> keys = new ArrayList<>(e.getValue());
            keys.sort((x, y) -> {
                String[] px = x.split("\\|"), py = y.split("\\|");
                int c = passOrder(px[1]) - passOrder(py[1]);
                return c != 0 ? c : Integer.compare(Integer.parseInt(px[3]), Integer.parseInt(py[3]));
            });
            for (String k : keys) {
                String[] p = k.split("\\|");
                int size = Integer.parseInt(p[3]);
                Score simd = s.get(k);
                boolean fwd = p[1].equals("forward");
                double bytes = (fwd ? 8.0 : 12.0) * size;
                Score base = s.get((fwd ? "copy|" : "stream3|") + size);
                b.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3f ± %.0f%% | %.1f | %s | %s | %s | %s |%n",
                        p[0], p[1], human(size), simd.gelemPerS(size), 100 * simd.relError(), bytes / simd.nsPerOp(),
                        base == null ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * base.nsPerOp() / simd.nsPerOp()),
                        ratio(s.get(p[0] + "|" + p[1] + "|scalar|" + p[3]), simd),
                        ratio(s.get(p[0] + "|" + p[1] + "|loop|" + p[3]), simd),
                        fwd && RELU_FAMILY.contains(p[0]) ? ratio(s.get("relu|forward|loopMax|" + p[3]), simd) : "-"));
            }
        }
        b.append("\n## Baselines\n\n| size | copy GB/s | c = a + b GB/s |\n|---:|---:|---:|\n");
        List<Integer> copySizes = new ArrayList<>();
        for (String k : s.keySet()) {
            if (k.startsWith("copy|")) copySizes.add(Integer.parseInt(k.substring(5)));
        }
        copySizes.sort(Integer::compare);
        for (int size : copySizes) {
            Score copy = s.get("copy|" + size), st = s.get("stream3|" + size);
            b.append(String.format(Locale.ROOT, "| %s | %.1f ± %.0f%% | %s |%n", human(size), 8.0 * size / copy.nsPerOp(),
                    100 * copy.relError(), st == null ? "-" : String.format(Locale.ROOT, "%.1f", 12.0 * size / st.nsPerOp())));
        }
        return b.toString();
    }

    /** The forward passes whose target is the auto-vectorized Math.max ReLU loop. */
    static final List<String> RELU_FAMILY = List.of("relu", "leakyRelu", "prelu", "rrelu");

    static final String[] IMPLS = {"simd", "scalar", "loop", "loopMax"};
    static final String[] COLOURS = {"#0072B2", "#E69F00", "#999999", "#CC79A7"};

    /**
     * The same results as a self-contained HTML page: per kernel and pass, horizontal bars of Gelem/s for the
     * SIMD path, the scalar path and the plain loops at each size (longer is faster), with the copy baseline's
     * rate as a reference line where there is one.
     */
    static final String HTML_HEAD = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<title>%s</title><style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}"
            + ".c{display:inline-block;margin:6px;border:1px solid #eee}text{font-size:11px}.t{font-weight:600;font-size:12px}"
            + "</style></head><body><h1>%s</h1>";

    static String renderHtml(Map<String, Score> s, String jdk, String vm) {
        String title = "Rectify activation kernels: JMH report";
        return String.format(HTML_HEAD, title, title) + htmlCharts(s, jdk, vm) + "</body></html>\n";
    }

    /** The activation charts: a paragraph on how to read them, then one SVG per op and pass. */
    static String htmlCharts(Map<String, Score> s, String jdk, String vm) {
        StringBuilder b = new StringBuilder();
        b.append("<p>").append(esc(dev.rectify.kernels.internal.Host.line())).append("; JDK of the run ").append(esc(jdk)).append(" (").append(esc(vm))
                .append("). Single thread; bars are billions of elements per second (longer is faster); the grey line is "
                        + "System.arraycopy (forward) or c = a + b (backward) at the same size. Legend: ");
        for (int i = 0; i < IMPLS.length; i++) {
            b.append("<span style=\"color:").append(COLOURS[i]).append("\">&#9632; ").append(IMPLS[i]).append("</span> ");
        }
        b.append("</p>");
        Map<String, List<Integer>> sizesByChart = new LinkedHashMap<>();
        for (String k : s.keySet()) {
            String[] p = k.split("\\|");
            if (p.length == 4) {
                List<Integer> sizes = sizesByChart.computeIfAbsent(p[0] + "|" + p[1], x -> new ArrayList<>());
                int size = Integer.parseInt(p[3]);
                if (!sizes.contains(size)) sizes.add(size);
            }
        }
        List<Map.Entry<String, List<Integer>>> charts = new ArrayList<>(sizesByChart.entrySet());
        charts.sort((x, y) -> {
            String[] px = x.getKey().split("\\|"), py = y.getKey().split("\\|");
            int c = px[0].compareTo(py[0]);
            return c != 0 ? c : passOrder(px[1]) - passOrder(py[1]);
        });
        for (Map.Entry<String, List<Integer>> e : charts) {
            String[] op = e.getKey().split("\\|");
            List<Integer> sizes = e.getValue();
            sizes.sort(Integer::compare);
            double max = 0;
            for (int size : sizes) {
                for (String impl : IMPLS) {
                    Score sc = s.get(op[0] + "|" + op[1] + "|" + impl + "|" + size);
                    if (sc != null) max = Math.max(max, sc.gelemPerS(size));
                }
            }
            int rowH = 4 * 9 + 8, w = 420, left = 50, h = 24 + sizes.size() * rowH;
            b.append(String.format(Locale.ROOT, "<svg class=\"c\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">", w, h, w, h));
            b.append("<text class=\"t\" x=\"6\" y=\"14\">").append(esc(op[0] + " " + op[1])).append("</text>");
            for (int r = 0; r < sizes.size(); r++) {
                int size = sizes.get(r), y0 = 22 + r * rowH;
                b.append(String.format(Locale.ROOT, "<text x=\"6\" y=\"%d\">%s</text>", y0 + 20, human(size)));
                for (int i = 0; i < IMPLS.length; i++) {
                    Score sc = s.get(op[0] + "|" + op[1] + "|" + IMPLS[i] + "|" + size);
                    if (sc == null) continue;
                    double v = sc.gelemPerS(size), len = max == 0 ? 0 : (w - left - 70) * v / max;
                    b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"8\" fill=\"%s\"><title>%s %.3f Gelem/s ± %.0f%%</title></rect>",
                            left, y0 + i * 9, len, COLOURS[i], IMPLS[i], v, 100 * sc.relError()));
                    b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%.2f</text>", left + len + 3, y0 + i * 9 + 8, v));
                }
                Score base = s.get((op[1].equals("forward") ? "copy|" : "stream3|") + size);
                if (base != null && max > 0) {
                    double x = left + (w - left - 70) * Math.min(1.2, base.gelemPerS(size) / max);
                    b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#aaa\" stroke-dasharray=\"3 2\"/>",
                            x, y0 - 2, x, y0 + 4 * 9));
                }
            }
            b.append("</svg>");
        }
        return b.toString();
    }

    static String esc(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static int passOrder(String pass) {
        return pass.equals("forward") ? 0 : pass.equals("backward") ? 1 : 2;
    }

    static String ratio(Score other, Score simd) {
        return other == null ? "-" : String.format(Locale.ROOT, "%.1fx", other.nsPerOp() / simd.nsPerOp());
    }

    static String human(int size) {
        return size % (1 << 20) == 0 ? (size >> 20) + "M" : size % 1024 == 0 ? (size >> 10) + "K" : Integer.toString(size);
    }
}
