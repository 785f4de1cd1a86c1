package dev.rectify.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

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
        if (args.length < 2) {
            System.err.println("usage: BenchReport OUTPUT.md RESULTS.json|DIR ...");
            System.exit(2);
        }
        ObjectMapper json = new ObjectMapper();
        Map<String, Score> scores = new TreeMap<>();
        String jdk = "?", vm = "?", jvmArgs = "?";
        for (int a = 1; a < args.length; a++) {
            List<Path> files = new ArrayList<>();
            Path p = Path.of(args[a]);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) { s.filter(f -> f.toString().endsWith(".json")).sorted().forEach(files::add); }
            } else {
                files.add(p);
            }
            for (Path f : files) {
                JsonNode root = json.readTree(f.toFile());
                if (!root.isArray()) throw new IOException(f + ": not a JMH JSON result array");
                for (JsonNode r : root) {
                    jdk = r.path("jdkVersion").asText(jdk);
                    vm = r.path("vmName").asText(vm);
                    jvmArgs = r.path("jvmArgs").toString();
                    String bench = r.path("benchmark").asText();
                    JsonNode params = r.path("params");
                    JsonNode metric = r.path("primaryMetric");
                    if (!"ns/op".equals(metric.path("scoreUnit").asText())) {
                        throw new IOException(f + ": expected ns/op scores, got " + metric.path("scoreUnit").asText());
                    }
                    String key = bench.endsWith("CopyBenchmark.copy") || bench.endsWith("CopyBenchmark.stream3")
                            ? bench.substring(bench.lastIndexOf('.') + 1) + "|" + params.path("size").asText()
                            : params.path("op").asText() + "|" + params.path("pass").asText() + "|"
                            + params.path("impl").asText() + "|" + params.path("size").asText();
                    double err = metric.path("scoreError").asDouble(Double.NaN);
                    scores.put(key, new Score(metric.path("score").asDouble(), Double.isNaN(err) ? 0 : err));
                }
            }
        }
        String md = render(scores, jdk, vm, jvmArgs);
        Path out = Path.of(args[0]);
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.writeString(tmp, md);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("wrote " + out + " (" + scores.size() + " results)");
    }

    static String render(Map<String, Score> s, String jdk, String vm, String jvmArgs) {
        StringBuilder b = new StringBuilder();
        b.append("# Rectify activation kernels: JMH report\n\n");
        b.append("- Date: ").append(LocalDate.now()).append('\n');
        b.append("- CPU: ").append(cpu()).append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores\n");
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
        b.append("| op | pass | size | SIMD Gelem/s | GB/s | of copy | SIMD/scalar | SIMD/loop | SIMD/Math.max loop |\n");
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
                        ratio(s.get(p[0] + "|" + p[1] + "|loopMax|" + p[3]), simd)));
            }
        }
        b.append("\n## Baselines\n\n| size | copy GB/s | c = a + b GB/s |\n|---:|---:|---:|\n");
        for (String k : s.keySet()) {
            if (k.startsWith("copy|")) {
                int size = Integer.parseInt(k.substring(5));
                Score st = s.get("stream3|" + size);
                b.append(String.format(Locale.ROOT, "| %s | %.1f ± %.0f%% | %s |%n", human(size), 8.0 * size / s.get(k).nsPerOp(),
                        100 * s.get(k).relError(), st == null ? "-" : String.format(Locale.ROOT, "%.1f", 12.0 * size / st.nsPerOp())));
            }
        }
        return b.toString();
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

    static String cpu() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse(System.getProperty("os.arch"));
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }
}
