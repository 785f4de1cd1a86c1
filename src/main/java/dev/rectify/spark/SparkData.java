package dev.rectify.spark;

import dev.rectify.data.CsvLoader;
import dev.rectify.data.Dataset;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A training set spread over a cluster: one dense block of rows per partition, packed once and cached in the
 * executors' memory. The partitioning is part of a run's identity: the same data in the same partitions with the
 * same seed gives the same bits.
 */
public final class SparkData {
    final JavaRDD<Block> blocks;
    final int[] sizes;
    final int features, outputs;
    final boolean classification;
    final String name;

    private SparkData(JavaRDD<Block> blocks, int[] sizes, int features, int outputs, boolean classification, String name) {
        this.blocks = blocks;
        this.sizes = sizes;
        this.features = features;
        this.outputs = outputs;
        this.classification = classification;
        this.name = name;
    }

    /**
     * {@code data} split into {@code partitions} contiguous runs of rows (sizes differing by at most one), shipped
     * to the cluster and cached.
     *
     * @throws IllegalArgumentException if {@code partitions} is not in [1, rows]
     */
    public static SparkData of(JavaSparkContext sc, Dataset data, int partitions) {
        Objects.requireNonNull(sc, "sc");
        Objects.requireNonNull(data, "data");
        if (partitions < 1 || partitions > data.rows()) {
            throw new IllegalArgumentException("partitions must be in [1, " + data.rows() + "] (the rows), was " + partitions);
        }
        List<Block> blocks = new ArrayList<>(partitions);
        int[] sizes = new int[partitions];
        for (int p = 0; p < partitions; p++) {
            int from = (int) ((long) data.rows() * p / partitions), to = (int) ((long) data.rows() * (p + 1) / partitions);
            blocks.add(Block.of(p, data, from, to));
            sizes[p] = to - from;
        }
        JavaRDD<Block> rdd = sc.parallelize(blocks, partitions).persist(StorageLevel.MEMORY_ONLY());
        return new SparkData(rdd, sizes, data.features(), data.outputs(), data.isClassification(), data.name());
    }

    /**
     * A classification CSV file read by the executors themselves from any URI Hadoop reads ({@code file:},
     * {@code hdfs:}, {@code s3a:} with its connector on the class path), in at least {@code partitions} partitions, with
     * {@link CsvLoader}'s format and checks: a header line is skipped, blank lines too; a malformed row fails the
     * read with the file, line and column. Line numbers come from one pass that numbers the lines.
     *
     * @throws IllegalArgumentException naming the file and line of the first malformed row, or what else is wrong
     */
    public static SparkData csv(JavaSparkContext sc, String uri, CsvLoader.LabelColumn label, int partitions) {
        Objects.requireNonNull(sc, "sc");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(label, "label");
        if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        String name = uri.substring(uri.lastIndexOf('/') + 1);
        JavaRDD<Block> parsed;
        try {
            parsed = parse(sc, uri, label, partitions, name);
        } catch (Exception e) { // a missing file (Hadoop throws its checked exceptions unchecked) or a failed line count
            throw new IllegalArgumentException(uri + ": " + rootMessage(e), e);
        }
        try {
            List<int[]> shapes = parsed.map(b -> new int[] {b.partition, b.rows, b.features, b.maxLabel()}).collect();
            int[] sizes = new int[shapes.size()];
            int features = -1, maxLabel = -1;
            for (int[] s : shapes) {
                sizes[s[0]] = s[1];
                if (s[1] == 0) continue;
                if (features >= 0 && s[2] != features) {
                    throw new IllegalArgumentException(uri + ": rows with " + features + " and with " + s[2] + " features");
                }
                features = s[2];
                maxLabel = Math.max(maxLabel, s[3]);
            }
            if (features < 0) throw new IllegalArgumentException(uri + ": no samples");
            if (maxLabel < 1) throw new IllegalArgumentException(uri + ": need at least two classes, the largest label is " + maxLabel);
            int f = features, classes = maxLabel + 1;
            JavaRDD<Block> blocks = parsed.map(b -> b.withShape(f, classes)).persist(StorageLevel.MEMORY_ONLY());
            blocks.count(); // materialize before the parsed copy goes
            return new SparkData(blocks, sizes, f, classes, true, name);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) { // Spark's job failure (a checked SparkException thrown from Scala): the executor's reason
            throw new IllegalArgumentException(rootMessage(e), e);
        } finally {
            parsed.unpersist(false);
        }
    }

    private static JavaRDD<Block> parse(JavaSparkContext sc, String uri, CsvLoader.LabelColumn label, int partitions, String name) {
        return sc.textFile(uri, partitions).zipWithIndex().mapPartitionsWithIndex((p, it) -> {
            CsvLoader.FloatRows x = new CsvLoader.FloatRows();
            java.util.List<Integer> labels = new ArrayList<>();
            int columns = -1;
            float[] row = null;
            while (it.hasNext()) {
                scala.Tuple2<String, Long> t = it.next();
                String line = t._1();
                long lineNo = t._2() + 1;
                if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
                if (line.isBlank() || (lineNo == 1 && CsvLoader.isHeader(line))) continue;
                String[] f = line.split(",", -1);
                if (columns < 0) columns = f.length;
                if (f.length != columns || f.length < 2) {
                    throw new java.io.IOException(uri + ":" + lineNo + ": expected " + Math.max(2, columns) + " columns, found " + f.length);
                }
                if (row == null) row = new float[columns - 1];
                labels.add(CsvLoader.parseRow(uri, lineNo, f, label, row));
                x.add(row);
            }
            int[] l = labels.stream().mapToInt(Integer::intValue).toArray();
            return java.util.List.of(Block.parsed(p, name, l.length, Math.max(0, columns - 1), x.toArray(), l)).iterator();
        }, true).persist(StorageLevel.MEMORY_ONLY());
    }


    /** The message of the innermost cause: an executor's parse error, not Spark's job-abort wrapping. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage();
    }

    public int partitions() { return sizes.length; }

    /** Training rows over all partitions. */
    public long rows() {
        long n = 0;
        for (int s : sizes) n += s;
        return n;
    }

    public int features() { return features; }

    /** Classes (classification) or targets per row (regression). */
    public int outputs() { return outputs; }

    public String name() { return name; }

    /** Drops the cached blocks from the executors. */
    public void release() {
        blocks.unpersist(false);
    }
}
