package dev.rectify.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;

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
            + "of this JVM. Default: spark-submit's --master, else local[2].")
    String master;
    @Option(names = "--partitions", description = "Partitions of the training data (the batch is split across them). "
            + "Default: ${DEFAULT-VALUE}.", defaultValue = "2")
    int partitions;

    @Override
    void checkMore() {
        try {
            Class.forName("org.apache.spark.SparkContext", false, getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("spark-train needs Apache Spark (spark-core_2.13 4.2) on the class path: run it through "
                    + "./rectify, which adds the jars Maven resolved, or with spark-submit");
        }
        OptionChecks.positiveInt("--partitions", partitions);
        if (master != null) { // else spark-submit's, or local[2]
            if (!master.startsWith("spark://") && !master.startsWith("local") && !master.startsWith("yarn") && !master.startsWith("k8s://")) {
                throw new IllegalArgumentException("--master: '" + master + "'; give spark://HOST:PORT, local[N], yarn or k8s://...");
            }
            requireReachable(master);
        }
        if (shared.data.regression()) {
            throw new IllegalArgumentException("--task regression: not supported on Spark yet; train runs regression on one machine");
        }
        if (shared.layers.batchNorm) {
            throw new IllegalArgumentException("--batch-norm: not supported on Spark yet (each partition would normalize by its own "
                    + "batch statistics)");
        }
    }

    @Override
    TrainingSet open() throws IOException {
        return SparkTrainingSet.open(master, partitions, shared.data);
    }

    /**
     * A standalone master that does not answer would keep Spark's client retrying for a minute before a message about
     * a stopped context: one TCP connection first says plainly what is wrong.
     */
    static void requireReachable(String master) {
        if (!master.startsWith("spark://")) return;
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            int port;
            try {
                port = colon < 0 ? 7077 : Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--master: '" + master + "' is not spark://HOST:PORT");
            }
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(host, port), 5000);
                return;
            } catch (java.io.IOException e) {
                // try the next master of a list; refuse below when none answers
            }
        }
        throw new IllegalArgumentException("--master: no Spark master answers at " + master + " (is it running, and is the port right?)");
    }
}
