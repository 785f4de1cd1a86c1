package dev.rectify.bench.tools;

import dev.rectify.bench.baselines.MllibMlp;

import dev.rectify.data.Dataset;
import dev.rectify.data.Digits;
import dev.rectify.data.Synthetic;
import dev.rectify.diagnostics.DeadUnitMonitor;
import dev.rectify.kernels.Kernels;
import dev.rectify.kernels.internal.Host;
import dev.rectify.nn.Loss;
import dev.rectify.nn.Network;
import dev.rectify.nn.Optimizer;
import dev.rectify.nn.Trainer;
import dev.rectify.spark.SparkData;
import dev.rectify.spark.SparkTrainer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Issue #21's measurements: training samples per second of the same network and data on one JVM, on Spark in
 * {@code local[1]} and {@code local[2]}, and on a two-JVM standalone cluster (a master and a worker started here,
 * executors in JVMs the worker launches); and Spark MLlib's {@code MultilayerPerceptronClassifier} on the same
 * rows ({@link MllibMlp}). Every epoch is timed wall-clock from the driver after a warm-up of at least
 * {@code --warmup} epochs and 5 seconds (the JIT compiles our kernels and Spark's scheduler meanwhile); per-step overhead is Spark {@code local[1]} with one partition minus one JVM with one GEMM thread —
 * the same rows, batches and bits — divided by the steps. Run by {@code jmh/spark-throughput.sh}, which puts
 * Spark, Spark SQL and MLlib on the class path; writes {@code report.md} and {@code results.csv}.
 */
public final class SparkThroughput {
    private SparkThroughput() { }

    /** One configuration's timed epochs. */
    public record Result(String data, String engine, String where, int partitions, int batch, int rows, double[] seconds, String note) {
        double[] samplesPerSecond() {
            return Arrays.stream(seconds).map(s -> rows / s).sorted().toArray();
        }

        double medianSeconds() {
            double[] s = seconds.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }

        double medianRate() { return rows / medianSeconds(); }
    }

    /** Epochs run before the timed ones: the JIT compiles our kernels and Spark's scheduler meanwhile. */
    static int warmup = 3;

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--print-jvm-flags")) { // for the wrapper script, before Spark's flags are set
            System.out.print(org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptions());
            return;
        }
        Path out = Path.of("target/spark-throughput");
        int epochs = 5, warmup = 3, mnistRows = 16384, mllibIterations = 5;
        List<Integer> batches = List.of(256, 2048);
        boolean cluster = true, mllib = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--mnist-rows" -> mnistRows = Integer.parseInt(args[++i]);
                case "--batches" -> batches = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                case "--mllib-iterations" -> mllibIterations = Integer.parseInt(args[++i]);
                case "--no-cluster" -> cluster = false;
                case "--no-mllib" -> mllib = false;
                case "--quick" -> {
                    epochs = 2;
                    warmup = 1;
                    mnistRows = 4096;
                    batches = List.of(256);
                    mllibIterations = 2;
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; use --out DIR, --epochs N, --warmup N, "
                        + "--mnist-rows N, --batches B1,B2, --mllib-iterations N, --no-cluster, --no-mllib, --quick");
            }
        }
        if (epochs < 1) throw new IllegalArgumentException("--epochs: at least 1, was " + epochs);
        if (warmup < 1) throw new IllegalArgumentException("--warmup: at least 1 (the first epoch measures the born state), was " + warmup);
        SparkThroughput.warmup = warmup;
        Files.createDirectories(out);
        String host = Host.line();
        System.out.println("host: " + host);
        List<Result> results = new ArrayList<>();
        try (StandaloneCluster standalone = cluster ? StandaloneCluster.start(out.resolve("cluster")) : null) {
            for (String name : List.of("digits", "mnist-shaped")) {
                Dataset d = name.equals("digits") ? Digits.load() : Synthetic.mnistShaped(mnistRows, 1);
                int[] sizes = name.equals("digits") ? new int[] {64, 128, 128, 10} : new int[] {784, 256, 256, 10};
                for (int batch : batches) {
                    results.add(oneJvm(d, sizes, batch, epochs, 1));
                    results.add(oneJvm(d, sizes, batch, epochs, 2));
                    results.add(onSpark(d, sizes, batch, epochs, "local[1]", 1, "local[1]"));
                    results.add(onSpark(d, sizes, batch, epochs, "local[2]", 2, "local[2]"));
                    if (standalone != null) results.add(onSpark(d, sizes, batch, epochs, standalone.master(), 2, "standalone"));
                }
                if (mllib) {
                    results.add(MllibMlp.measure(d, sizes, "local[1]", 1, "local[1]", mllibIterations));
                    results.add(MllibMlp.measure(d, sizes, "local[2]", 2, "local[2]", mllibIterations));
                    if (standalone != null) results.add(MllibMlp.measure(d, sizes, standalone.master(), 2, "standalone", mllibIterations));
                }
            }
        }
        SparkThroughputReport.write(out, host, warmup, epochs, results);
        System.out.println("report: " + out.resolve("report.md"));
    }

    static Trainer trainer(int[] sizes, int batch, int gemmThreads, DeadUnitMonitor monitor) {
        Network net = Network.builder(sizes).seed(1).kernels(Kernels.gemm().withParallelism(gemmThreads), Kernels.activations()).build();
        return Trainer.builder(net, Loss.softmaxCrossEntropy(Kernels.activations()), Optimizer.sgd(0.05))
                .batchSize(batch).seed(1).listener(monitor).build();
    }

    /** Rectify's trainer in this JVM, with its dead-unit monitor as spark-train has it. */
    static Result oneJvm(Dataset d, int[] sizes, int batch, int epochs, int threads) {
        Trainer t = trainer(sizes, batch, threads, new DeadUnitMonitor());
        double[] s = timedEpochs(epochs, (n, cb) -> t.fit(d, null, n, cb));
        return log(new Result(name(d), "rectify", "one JVM", threads, batch, d.rows(), s, threads + " GEMM thread" + (threads > 1 ? "s" : "")));
    }

    /** Rectify on Spark: one executor thread per partition, single-threaded GEMM in each task. */
    static Result onSpark(Dataset d, int[] sizes, int batch, int epochs, String master, int partitions, String where) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName("rectify spark-throughput").set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        JavaSparkContext sc = new JavaSparkContext(conf);
        try {
            sc.setLogLevel("WARN");
            SparkData data = SparkData.of(sc, d, partitions);
            DeadUnitMonitor monitor = new DeadUnitMonitor();
            Trainer t = trainer(sizes, batch, 1, monitor);
            double[] s = timedEpochs(epochs, (n, cb) -> SparkTrainer.fit(sc, t, monitor, data, null, n, cb));
            data.release();
            return log(new Result(name(d), "rectify", where, partitions, batch, d.rows(), s, ""));
        } finally {
            sc.stop();
        }
    }

    public static String name(Dataset d) {
        return d.features() == 784 ? "784-256-256-10 (mnist-shaped)" : "64-128-128-10 (digits)";
    }

    /**
     * Warm-up epochs through {@code fit} (at least {@link #warmup} and at least {@link #WARMUP_SECONDS}: a small
     * network's epoch takes milliseconds, too few for the JIT), then {@code epochs + 1} in one call, timed from
     * epoch end to epoch end, so the call's own set-up is not in any timed epoch.
     */
    static double[] timedEpochs(int epochs, java.util.function.BiConsumer<Integer, java.util.function.Consumer<dev.rectify.nn.EpochRecord>> fit) {
        long start = System.nanoTime();
        for (int done = 0; done < warmup || System.nanoTime() - start < WARMUP_SECONDS * 1_000_000_000L; done++) fit.accept(1, null);
        long[] ends = new long[epochs + 1];
        int[] n = {0};
        fit.accept(epochs + 1, e -> ends[n[0]++] = System.nanoTime());
        if (n[0] != epochs + 1) throw new IllegalStateException(n[0] + " epochs ran, " + (epochs + 1) + " asked for");
        double[] s = new double[epochs];
        for (int i = 0; i < epochs; i++) s[i] = (ends[i + 1] - ends[i]) / 1e9;
        return s;
    }

    /** The least warm-up time of every configuration. */
    static final int WARMUP_SECONDS = 5;

    public static Result log(Result r) {
        double[] rates = r.samplesPerSecond();
        System.out.printf(Locale.ROOT, "%-30s %-8s %-10s P=%d batch %5d: %,9.0f samples/s (%,.0f..%,.0f) %s%n", r.data(), r.engine(),
                r.where(), r.partitions(), r.batch(), r.medianRate(), rates[0], rates[rates.length - 1], r.note());
        return r;
    }
}
