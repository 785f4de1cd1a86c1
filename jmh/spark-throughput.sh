#!/usr/bin/env bash
# Issue #21's measurements (dev.rectify.bench.tools.SparkThroughput): samples/s of Rectify's training on one JVM, on
# Spark local[1] and local[2], and on a two-JVM standalone cluster it starts and stops itself; Spark MLlib's
# MultilayerPerceptronClassifier on the same rows. Builds the benchmarks, then runs them next to Spark's jars
# (Spark, SQL and MLlib from Maven). Arguments go to SparkThroughput: --quick, --out DIR, --epochs N, --batches
# 256,2048, --warmup N, --mnist-rows N, --mllib-iterations N, --no-cluster, --no-mllib. JAVA_HOME selects the JDK.
set -euo pipefail
cd "$(dirname "$0")/.."
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mvn -B -q -ntp -Pjmh package -DskipTests
mvn -B -q -ntp -Pjmh dependency:build-classpath -Dmdep.outputFile=target/spark-throughput.classpath > /dev/null
cp="target/benchmarks.jar:$(cat target/spark-throughput.classpath)"
read -r -a flags <<< "$("$java" -cp "$cp" dev.rectify.bench.tools.SparkThroughput --print-jvm-flags)"
log=target/spark-throughput-log4j2.properties  # Spark's INFO lines would bury the figures
printf '%s\n' 'rootLogger.level = warn' 'rootLogger.appenderRef.stderr.ref = stderr' 'appender.console.type = Console' \
  'appender.console.name = stderr' 'appender.console.target = SYSTEM_ERR' 'appender.console.layout.type = PatternLayout' \
  'appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n' > "$log"
exec "$java" "${flags[@]}" --add-modules jdk.incubator.vector -Xmx8g -Dlog4j.configurationFile="$log" -cp "$cp" \
  dev.rectify.bench.tools.SparkThroughput "$@"
