package dev.rectify.bench.baselines;

import dev.rectify.bench.tools.SparkThroughput;

import dev.rectify.data.Dataset;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Spark MLlib's {@code MultilayerPerceptronClassifier} on the rows Rectify trains on: the JVM anchor a Spark user
 * would otherwise pick. Its defaults (L-BFGS, sigmoid hidden layers, softmax output, block size 128); one warm-up
 * fit of one iteration, then two timed fits of {@code iterations} iterations. Every L-BFGS iteration evaluates the
 * loss and gradient over all rows at least once, so rows x iterations / seconds is a lower bound on its samples/s.
 */
public final class MllibMlp {
    private MllibMlp() { }

    public static SparkThroughput.Result measure(Dataset d, int[] sizes, String master, int partitions, String where, int iterations) {
        SparkSession spark = SparkSession.builder().master(master).appName("mllib mlp").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.executor.memory", "4g").config("spark.sql.shuffle.partitions", Integer.toString(partitions)).getOrCreate();
        try {
            spark.sparkContext().setLogLevel("WARN");
            List<Row> rows = new ArrayList<>(d.rows());
            int f = d.features();
            for (int r = 0; r < d.rows(); r++) {
                double[] x = new double[f];
                for (int j = 0; j < f; j++) x[j] = d.x()[r * f + j];
                rows.add(RowFactory.create((double) d.labels()[r], Vectors.dense(x)));
            }
            StructType schema = new StructType(new StructField[] {
                new StructField("label", DataTypes.DoubleType, false, Metadata.empty()),
                new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty())});
            org.apache.spark.sql.Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(partitions).cache();
            df.count();
            new MultilayerPerceptronClassifier().setLayers(sizes).setMaxIter(1).setSeed(1).fit(df);
            double[] seconds = new double[2];
            int done = 0;
            MultilayerPerceptronClassificationModel model = null;
            for (int rep = 0; rep < seconds.length; rep++) {
                long t0 = System.nanoTime();
                model = new MultilayerPerceptronClassifier().setLayers(sizes).setMaxIter(iterations).setSeed(1).fit(df);
                seconds[rep] = (System.nanoTime() - t0) / 1e9;
                done = model.summary().totalIterations();
            }
            double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(df));
            String note = String.format(Locale.ROOT, "L-BFGS, %d iterations per fit (samples = rows x iterations), training accuracy %.3f",
                    done, accuracy);
            return SparkThroughput.log(new SparkThroughput.Result(SparkThroughput.name(d), "mllib-mlp", where, partitions, 0,
                    d.rows() * Math.max(1, done), seconds, note));
        } finally {
            spark.stop();
        }
    }
}
