package dev.rectify.bench.tools;

import dev.rectify.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@link SparkThroughput}'s report: a table of samples/s, the derived scaling and per-step overhead, and the raw CSV. */
public final class SparkThroughputReport {
    private SparkThroughputReport() { }

    static void write(Path out, String host, int warmup, int epochs, List<SparkThroughput.Result> results) throws IOException {
        StringBuilder md = new StringBuilder("# Training on Spark: samples per second\n\n");
        md.append("Host: ").append(host).append("  \n");
        md.append("Rectify: SGD lr 0.05, ReLU, dead-unit monitor on, ").append(epochs)
                .append(" timed epochs after at least ").append(warmup).append(" warm-up epochs and ")
                .append(SparkThroughput.WARMUP_SECONDS).append(" s (median and range over epochs); on Spark one task per partition, ")
                .append("single-threaded GEMM in each. MLlib: MultilayerPerceptronClassifier with its defaults (L-BFGS, sigmoid ")
                .append("hidden layers), two timed fits after a warm-up fit.\n\n");
        md.append("| network (data) | engine | where | partitions / threads | batch | samples/s (median) | range | note |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (SparkThroughput.Result r : results) {
            double[] s = r.samplesPerSecond();
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %,.0f | %,.0f–%,.0f | %s |%n", r.data(), r.engine(), r.where(),
                    r.partitions(), r.batch() == 0 ? "full" : Integer.toString(r.batch()), r.medianRate(), s[0], s[s.length - 1], r.note()));
        }
        md.append("\n## Derived\n\n");
        md.append("| network (data) | batch | local[2] / local[1] | standalone (2 cores) / local[1] | Spark local[1] / one JVM (1 thread) "
                + "| compute per step (one JVM, 1 thread) | Spark overhead per step |\n|---|---|---|---|---|---|---|\n");
        results.stream().filter(r -> r.engine().equals("rectify")).map(r -> r.data() + "\u0000" + r.batch()).distinct().forEach(key -> {
            String data = key.substring(0, key.indexOf('\u0000'));
            int batch = Integer.parseInt(key.substring(key.indexOf('\u0000') + 1));
            Optional<SparkThroughput.Result> one = find(results, data, batch, "one JVM", 1), l1 = find(results, data, batch, "local[1]", 1),
                    l2 = find(results, data, batch, "local[2]", 2), sa = find(results, data, batch, "standalone", 2);
            if (one.isEmpty() || l1.isEmpty()) return;
            int steps = (one.get().rows() + batch - 1) / batch;
            double compute = one.get().medianSeconds() / steps, overhead = (l1.get().medianSeconds() - one.get().medianSeconds()) / steps;
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.2fx | %.2f ms | %.1f ms |%n", data, batch,
                    l2.map(r -> String.format(Locale.ROOT, "%.2fx", r.medianRate() / l1.get().medianRate())).orElse("-"),
                    sa.map(r -> String.format(Locale.ROOT, "%.2fx", r.medianRate() / l1.get().medianRate())).orElse("-"),
                    l1.get().medianRate() / one.get().medianRate(), compute * 1e3, overhead * 1e3));
        });
        md.append("\nSpark overhead per step = (Spark local[1] epoch - one-JVM epoch with one GEMM thread) / steps: the same rows, ")
                .append("batches and bits, so the difference is the broadcast of the weights, scheduling one job, the tree ")
                .append("aggregation and the driver's side of the step.\n");
        AtomicFiles.writeString(out.resolve("report.md"), md.toString());
        StringBuilder csv = new StringBuilder("data,engine,where,partitions,batch,samples_per_run,seconds\n");
        for (SparkThroughput.Result r : results) {
            csv.append(String.format(Locale.ROOT, "\"%s\",%s,%s,%d,%d,%d,%s%n", r.data(), r.engine(), r.where(), r.partitions(), r.batch(),
                    r.rows(), String.join(";", Arrays.stream(r.seconds()).mapToObj(x -> String.format(Locale.ROOT, "%.4f", x)).toList())));
        }
        AtomicFiles.writeString(out.resolve("results.csv"), csv.toString());
    }

    private static Optional<SparkThroughput.Result> find(List<SparkThroughput.Result> rs, String data, int batch, String where, int p) {
        return rs.stream().filter(r -> r.engine().equals("rectify") && r.data().equals(data) && r.batch() == batch
                && r.where().equals(where) && r.partitions() == p).findFirst();
    }
}
