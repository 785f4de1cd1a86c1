package dev.rectify.cli;

import dev.rectify.data.Dataset;
import dev.rectify.diagnostics.DeadUnitMonitor;
import dev.rectify.nn.EpochRecord;
import dev.rectify.nn.Trainer;
import dev.rectify.spark.SparkData;
import dev.rectify.spark.SparkTrainer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** The one class of the command line that names Spark's types, loaded only when spark-train runs. */
final class SparkRun {
    private SparkRun() { }

    /** {@code master} null: spark-submit's (spark.master), else local[2]. */
    static List<EpochRecord> fit(String master, int partitions, Trainer trainer, DeadUnitMonitor monitor, Dataset train, Dataset test,
                                 int epochs, Consumer<EpochRecord> onEpoch) {
        SparkConf conf = new SparkConf(); // spark-submit's settings arrive as spark.* system properties
        if (master != null || !conf.contains("spark.master")) conf.setMaster(master != null ? master : "local[2]");
        master = conf.get("spark.master");
        conf.setAppName("rectify spark-train").setIfMissing("spark.ui.enabled", "false");
        if (!master.startsWith("local") && !conf.contains("spark.jars")) {
            // The executors need Rectify's classes: this JAR, as spark-submit would ship it.
            String jar = Path.of(SparkRun.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
            if (jar.endsWith(".jar")) conf.setJars(new String[] {jar});
        }
        JavaSparkContext sc = new JavaSparkContext(conf);
        try {
            sc.setLogLevel("WARN");
            SparkData data = SparkData.of(sc, train, partitions);
            System.out.printf("spark: %s, %d partitions of %s, %d executor cores%n", master, partitions, train.name(),
                    sc.sc().defaultParallelism());
            return SparkTrainer.fit(sc, trainer, monitor, data, test, epochs, onEpoch);
        } finally {
            sc.stop();
        }
    }
}
