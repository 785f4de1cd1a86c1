package dev.rectify.cli;

import dev.rectify.data.Dataset;
import dev.rectify.nn.EpochRecord;
import dev.rectify.nn.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.function.Consumer;

/**
 * {@code rectify spark-train}: {@code train}'s options, checkpoint and report, with the gradients of every step
 * computed data-parallel on a Spark cluster. Needs Spark's jars on the class path (the launcher adds the ones
 * Maven resolved; {@code spark-submit} brings its own).
 */
@Command(name = "spark-train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train one configuration data-parallel on Apache Spark, with train's options, checkpoint and report.",
                "Example: rectify spark-train --master spark://127.0.0.1:7077 --partitions 4 --epochs 5"})
final class SparkTrainCommand extends TrainCommand {
    @Option(names = "--master", description = "The Spark master: spark://HOST:PORT for a standalone cluster, local[N] for threads "
            + "of this JVM. Default: ${DEFAULT-VALUE}.", defaultValue = "local[2]")
    String master;
    @Option(names = "--partitions", description = "Partitions of the training data (the batch is split across them). "
            + "Default: ${DEFAULT-VALUE}.", defaultValue = "2")
    int partitions;

    @Override
    void checkMore() {
        OptionChecks.positiveInt("--partitions", partitions);
        if (master.isBlank()) throw new IllegalArgumentException("--master: empty; give spark://HOST:PORT or local[N]");
        if (shared.layers.batchNorm) {
            throw new IllegalArgumentException("--batch-norm: not supported on Spark yet (each partition would normalize by its own "
                    + "batch statistics)");
        }
    }

    @Override
    List<EpochRecord> fit(Trainer trainer, Dataset train, Dataset test, int epochs, Consumer<EpochRecord> onEpoch) {
        if (partitions > train.rows()) {
            throw new IllegalArgumentException("--partitions: " + partitions + " for " + train.rows() + " training rows");
        }
        try {
            Class.forName("org.apache.spark.SparkContext", false, getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("spark-train needs Apache Spark (spark-core_2.13 4.2) on the class path: run it through "
                    + "./rectify, which adds the jars Maven resolved, or with spark-submit");
        }
        return SparkRun.fit(master, partitions, trainer, monitor, train, test, epochs, onEpoch);
    }
}
