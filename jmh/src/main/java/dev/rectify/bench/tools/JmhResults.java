package dev.rectify.bench.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** JMH's JSON result files, read once for every report renderer ({@link BenchReport}, {@link GemmReport}). */
public final class JmhResults {
    private JmhResults() {
    }

    /**
     * One JMH result: the benchmark's full method name, its parameters, the primary score with its error (0 when
     * JMH gives none) and unit, and the run's conditions.
     */
    public record Result(String benchmark, Map<String, String> params, double score, double error, String unit,
                         String jdk, String vm, String jvmArgs, int measurementIterations, String measurementTime) {
        public String param(String name) {
            return params.getOrDefault(name, "");
        }

        /** True for a method of the named benchmark class, e.g. {@code is("GemmBenchmark.run")}. */
        public boolean is(String classAndMethod) {
            return benchmark.endsWith("." + classAndMethod);
        }
    }

    /** Every result in the given JSON files and in the {@code .json} files of the given directories, in name order. */
    public static List<Result> load(List<String> filesOrDirs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String a : filesOrDirs) {
            Path p = Path.of(a);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.toString().endsWith(".json")).sorted().forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        ObjectMapper json = new ObjectMapper();
        List<Result> out = new ArrayList<>();
        for (Path f : files) {
            JsonNode root = json.readTree(f.toFile());
            if (!root.isArray()) throw new IOException(f + ": not a JMH JSON result array");
            for (JsonNode r : root) {
                Map<String, String> params = new LinkedHashMap<>();
                r.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
                JsonNode metric = r.path("primaryMetric");
                double err = metric.path("scoreError").asDouble(Double.NaN);
                out.add(new Result(r.path("benchmark").asText(), params, metric.path("score").asDouble(), Double.isNaN(err) ? 0 : err,
                        metric.path("scoreUnit").asText(), r.path("jdkVersion").asText("?"), r.path("vmName").asText("?"),
                        r.path("jvmArgs").toString(), r.path("measurementIterations").asInt(99), r.path("measurementTime").asText("")));
            }
        }
        return out;
    }
}
