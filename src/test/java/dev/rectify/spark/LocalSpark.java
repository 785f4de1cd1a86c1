package dev.rectify.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One Spark context per test JVM, in local mode with two executor threads and up to four attempts per task (so a
 * failure injected once is retried), no UI, logging at WARN. Stopped when the JVM exits.
 */
final class LocalSpark {
    private LocalSpark() { }

    private static JavaSparkContext context;

    static synchronized JavaSparkContext get() {
        if (context == null) {
            SparkConf conf = new SparkConf().setMaster("local[2,4]").setAppName("rectify-tests")
                    .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1");
            context = new JavaSparkContext(conf);
            context.setLogLevel("WARN");
            JavaSparkContext c = context;
            Runtime.getRuntime().addShutdownHook(new Thread(c::stop));
        }
        return context;
    }
}
