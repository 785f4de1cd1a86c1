package dev.rectify.spark;

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
