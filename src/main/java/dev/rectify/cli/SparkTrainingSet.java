package dev.rectify.cli;

import dev.rectify.data.CsvLoader;
import dev.rectify.data.Dataset;
import dev.rectify.data.Standardizer;
import dev.rectify.diagnostics.DeadUnitMonitor;
import dev.rectify.nn.EpochRecord;
import dev.rectify.nn.Trainer;
import dev.rectify.spark.SparkData;
import dev.rectify.spark.SparkTrainer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * spark-train's data: training rows spread over a Spark cluster, and the one class of the command line that names
 * Spark's types (loaded only when spark-train runs). Data files ({@code csv:}, {@code csv-first:}, {@code idx:}) are
 * read by the executors from any Hadoop URI, a held-out test share is chosen per row ({@link SparkData#holdOut}) and
 * collected to the driver; the built-in data sets are split as {@code train} splits them and shipped from the
 * driver, so one partition gives {@code train}'s bits.
 */
final class SparkTrainingSet implements TrainingSet {
    private final JavaSparkContext sc;
    private SparkData train;
    private Dataset test;

    private SparkTrainingSet(JavaSparkContext sc, SparkData train, Dataset test) {
        this.sc = sc;
        this.train = train;
        this.test = test;
    }

    /** Connects to {@code master} (null: spark-submit's spark.master, else local[2]) and reads the data; stops on failure. */
    static SparkTrainingSet open(String master, int partitions, SharedOptions.Data options) throws IOException {
        options.check();
        paths("--data", options.data); // a missing local file is named before a cluster is asked for executors
        if (options.test != null) paths("--test", options.test);
        SparkConf conf = new SparkConf(); // spark-submit's settings arrive as spark.* system properties
        if (master != null || !conf.contains("spark.master")) conf.setMaster(master != null ? master : "local[2]");
        master = conf.get("spark.master");
        conf.setAppName("rectify spark-train").setIfMissing("spark.ui.enabled", "false");
        if (!master.startsWith("local") && !conf.contains("spark.jars")) {
            // The executors need Rectify's classes: this JAR, as spark-submit would ship it.
            String jar = Path.of(SparkTrainingSet.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
            if (jar.endsWith(".jar")) conf.setJars(new String[] {jar});
        }
        JavaSparkContext sc = new JavaSparkContext(conf);
        try {
            sc.setLogLevel("WARN");
            SparkTrainingSet set = read(sc, partitions, options);
            System.out.printf(Locale.ROOT, "spark: %s, %d partitions of %s, %d executor cores%n", master, set.train.partitions(),
                    set.train.name(), sc.sc().defaultParallelism());
            return set;
        } catch (RuntimeException | IOException | Error e) {
            sc.stop();
            throw e;
        }
    }

    private static SparkTrainingSet read(JavaSparkContext sc, int partitions, SharedOptions.Data options) throws IOException {
        SparkData all = onExecutors(sc, "--data", options.data, partitions);
        if (all == null) { // built in: split on the driver as train does, the training rows shipped
            Dataset whole = options.load();
            Dataset.Split split = options.split(whole);
            requirePartitions(partitions, split.train().rows());
            return new SparkTrainingSet(sc, SparkData.of(sc, split.train(), partitions), split.test());
        }
        requirePartitions(partitions, all.rows());
        if (options.test == null) {
            SparkData.Split split = all.holdOut(options.fraction(), options.splitSeed);
            Dataset test = split.test().collect();
            split.test().release();
            return new SparkTrainingSet(sc, split.train(), test);
        }
        SparkData t = onExecutors(sc, "--test", options.test, partitions);
        Dataset test;
        if (t == null) {
            test = Specs.data("--test", options.test, Specs.Task.CLASSIFICATION);
        } else {
            test = t.collect();
            t.release();
        }
        return new SparkTrainingSet(sc, all, SharedOptions.Data.conformTest(test, all.name(), all.features(), true, all.outputs()));
    }

    private static void requirePartitions(int partitions, long rows) {
        if (partitions > rows) throw new IllegalArgumentException("--partitions: " + partitions + " for " + rows + " training rows");
    }

    /** The URIs of a data file spec ({@code csv:}, {@code csv-first:}, {@code idx:}); none for a built-in data set. */
    private static List<String> paths(String option, String spec) {
        String s = spec.trim();
        if (s.startsWith("csv:")) return List.of(uri(option, s.substring(4)));
        if (s.startsWith("csv-first:")) return List.of(uri(option, s.substring(10)));
        if (s.startsWith("idx:")) {
            String[] p = s.substring(4).split(",", -1);
            if (p.length != 2) throw new IllegalArgumentException(option + ": idx needs two files, idx:IMAGES,LABELS");
            return List.of(uri(option, p[0]), uri(option, p[1]));
        }
        return List.of();
    }

    /** A data file read by the executors, or null for a built-in data set; errors name {@code option}. */
    private static SparkData onExecutors(JavaSparkContext sc, String option, String spec, int partitions) {
        List<String> uris = paths(option, spec);
        if (uris.isEmpty()) return null;
        try {
            if (spec.trim().startsWith("idx:")) return SparkData.idx(sc, uris.get(0), uris.get(1), partitions);
            CsvLoader.LabelColumn label = spec.trim().startsWith("csv:") ? CsvLoader.LabelColumn.LAST : CsvLoader.LabelColumn.FIRST;
            return SparkData.csv(sc, uris.get(0), label, partitions);
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(option) ? e : new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    /**
     * A URI the executors can open: one with a scheme (hdfs://, s3a://, file:) as given; a plain path is this machine's,
     * checked here and made absolute (an executor's working directory is not the driver's).
     */
    private static String uri(String option, String path) {
        if (path.matches("[A-Za-z][A-Za-z0-9+.-]+:.*")) return path;
        return Specs.readable(option, path).toAbsolutePath().toUri().toString();
    }

    @Override public String name() { return train.name(); }
    @Override public long rows() { return train.rows(); }
    @Override public int features() { return train.features(); }
    @Override public int outputs() { return train.outputs(); }
    @Override public Dataset test() { return test; }
    @Override public float maxAbs() { return train.maxAbs(); }
    @Override public Standardizer fitStandardizer() { return train.standardizer(); }

    @Override
    public void standardize(Standardizer s) {
        train = train.standardized(s);
        test = s.apply(test);
    }

    @Override public Trainer.DeadCheck bornDead(Trainer trainer) { return SparkTrainer.bornDead(sc, trainer, train); }

    @Override
    public List<EpochRecord> fit(Trainer trainer, DeadUnitMonitor monitor, int epochs, Consumer<EpochRecord> onEpoch) {
        return SparkTrainer.fit(sc, trainer, monitor, train, test, epochs, onEpoch);
    }

    @Override
    public void close() {
        try {
            train.release();
        } finally {
            sc.stop();
        }
    }
}
