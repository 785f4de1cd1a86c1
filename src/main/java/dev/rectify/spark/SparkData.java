package dev.rectify.spark;

import dev.rectify.data.CsvLoader;
import dev.rectify.data.Dataset;
import dev.rectify.data.Standardizer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
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
    /** Blocks shipped from the driver, one broadcast each, shared by data derived from them; null for files. */
    private final Shipped shipped;
    private boolean released;

    /** Broadcast blocks and how many SparkData still use them: destroyed when the last one is released. */
    private static final class Shipped {
        final List<Broadcast<Block>> parts;
        int users = 1;

        Shipped(List<Broadcast<Block>> parts) { this.parts = parts; }
    }

    private SparkData(JavaRDD<Block> blocks, int[] sizes, int features, int outputs, boolean classification, String name, Shipped shipped) {
        this.shipped = shipped;
        this.blocks = blocks;
        this.sizes = sizes;
        this.features = features;
        this.outputs = outputs;
        this.classification = classification;
        this.name = name;
    }

    /**
     * {@code data} split into {@code partitions} contiguous runs of rows (sizes differing by at most one), shipped
     * to the cluster and cached. Each run travels as a broadcast that only the executors computing its partition
     * fetch, so the rows are not part of any task (a parallelized collection would send a partition's rows with
     * every task that reads it, every step); a lost partition is rebuilt from its broadcast.
     *
     * @throws IllegalArgumentException if {@code partitions} is not in [1, rows]
     */
    public static SparkData of(JavaSparkContext sc, Dataset data, int partitions) {
        Objects.requireNonNull(sc, "sc");
        Objects.requireNonNull(data, "data");
        if (partitions < 1 || partitions > data.rows()) {
            throw new IllegalArgumentException("partitions must be in [1, " + data.rows() + "] (the rows), was " + partitions);
        }
        List<Broadcast<Block>> blocks = new ArrayList<>(partitions);
        List<Integer> indices = new ArrayList<>(partitions);
        int[] sizes = new int[partitions];
        for (int p = 0; p < partitions; p++) {
            int from = (int) ((long) data.rows() * p / partitions), to = (int) ((long) data.rows() * (p + 1) / partitions);
            blocks.add(sc.broadcast(Block.of(p, data, from, to)));
            indices.add(p);
            sizes[p] = to - from;
        }
        JavaRDD<Block> rdd = sc.parallelize(indices, partitions).map(p -> blocks.get(p).value()).persist(StorageLevel.MEMORY_ONLY());
        return new SparkData(rdd, sizes, data.features(), data.outputs(), data.isClassification(), data.name(), new Shipped(blocks));
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
        return finish(parsed, uri, name);
    }

    /**
     * A classification set from a pair of IDX files (the format of MNIST), read by the executors themselves from any
     * URI Hadoop reads, plain or gzipped: partition {@code p} reads its own contiguous run of records, the rows
     * {@link #of} would give it, with {@link dev.rectify.data.IdxLoader}'s values (unsigned-byte images scaled
     * to [0, 1] by 1/255). The driver reads only the two headers.
     *
     * @throws IllegalArgumentException naming the file: missing, not IDX, shapes that do not match, truncated, or
     *         {@code partitions} not in [1, rows]
     */
    public static SparkData idx(JavaSparkContext sc, String imagesUri, String labelsUri, int partitions) {
        Objects.requireNonNull(sc, "sc");
        Objects.requireNonNull(imagesUri, "imagesUri");
        Objects.requireNonNull(labelsUri, "labelsUri");
        if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        String name = imagesUri.substring(imagesUri.lastIndexOf('/') + 1);
        JavaRDD<Block> parsed;
        try {
            parsed = IdxBlocks.read(sc, imagesUri, labelsUri, partitions, name).persist(StorageLevel.MEMORY_ONLY());
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException(rootMessage(e), e);
        }
        return finish(parsed, imagesUri, name);
    }

    /** Parsed blocks with the whole data's shape (their feature count agreed, the class count = largest label + 1), cached. */
    private static SparkData finish(JavaRDD<Block> parsed, String uri, String name) {
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
            return new SparkData(blocks, sizes, f, classes, true, name, null);
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

    /** A training set and the rows held out for testing, both spread over the cluster. */
    public record Split(SparkData train, SparkData test) { }

    /**
     * Holds out each row with probability {@code fraction}, decided by a hash of {@code seed} and the row's index in
     * the whole data (as Spark's {@code randomSplit} does, and unlike the single-machine {@link Dataset#split}, which
     * shuffles): the same rows for any partitioning. Both parts keep this data's partitions; this data is released.
     *
     * @throws IllegalArgumentException if {@code fraction} is not in (0, 1) or either part would be empty
     */
    public Split holdOut(double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) throw new IllegalArgumentException("fraction must be in (0, 1), was " + fraction);
        long[] offsets = new long[sizes.length];
        for (int p = 1; p < sizes.length; p++) offsets[p] = offsets[p - 1] + sizes[p - 1];
        JavaRDD<Block> test = blocks.map(b -> b.select(heldOut(b, offsets[b.partition], fraction, seed, true)));
        JavaRDD<Block> train = blocks.map(b -> b.select(heldOut(b, offsets[b.partition], fraction, seed, false)));
        SparkData tr = derived(train, name + "/train"), te = derived(test, name + "/test"); // as Dataset.split names them
        release();
        if (tr.rows() == 0 || te.rows() == 0) {
            tr.release();
            te.release();
            throw new IllegalArgumentException("fraction: " + fraction + " of " + rows() + " rows leaves an empty " + (tr.rows() == 0 ? "training" : "test") + " set");
        }
        return new Split(tr, te);
    }

    private static boolean[] heldOut(Block b, long offset, double fraction, long seed, boolean wanted) {
        boolean[] keep = new boolean[b.rows];
        for (int r = 0; r < b.rows; r++) {
            keep[r] = (new java.util.SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (offset + r + 1))).nextDouble() < fraction) == wanted;
        }
        return keep;
    }

    /** Blocks computed from this data's, cached and counted, with this data's shape. */
    private SparkData derived(JavaRDD<Block> rdd, String newName) {
        JavaRDD<Block> cached = rdd.persist(StorageLevel.MEMORY_ONLY());
        List<int[]> shapes = cached.map(b -> new int[] {b.partition, b.rows}).collect();
        int[] s = new int[shapes.size()];
        for (int[] sh : shapes) s[sh[0]] = sh[1];
        if (shipped != null) {
            synchronized (shipped) {
                shipped.users++;
            }
        }
        return new SparkData(cached, s, features, outputs, classification, newName, shipped);
    }

    /** All rows on the driver, partition after partition: for a test set small enough to evaluate there. */
    public Dataset collect() {
        List<Block> parts = new ArrayList<>(blocks.collect());
        parts.sort(java.util.Comparator.comparingInt(b -> b.partition));
        int n = (int) Math.min(Integer.MAX_VALUE, rows());
        float[] x = new float[n * features];
        int[] labels = classification ? new int[n] : null;
        float[] targets = classification ? null : new float[n * outputs];
        int at = 0;
        for (Block b : parts) {
            System.arraycopy(b.x, 0, x, at * features, b.rows * features);
            if (classification) System.arraycopy(b.labels, 0, labels, at, b.rows);
            else System.arraycopy(b.targets, 0, targets, at * outputs, b.rows * outputs);
            at += b.rows;
        }
        return classification ? Dataset.classification(name, x, features, labels, outputs) : Dataset.regression(name, x, features, targets, outputs);
    }

    /**
     * Every feature's mean and (population) standard deviation over all rows, as {@link Standardizer#fit} computes
     * them (two passes in double; a feature with no spread gets 1): partitions are summed in partition order, so with
     * one partition the statistics have the same bits as on one machine.
     */
    public Standardizer standardizer() {
        int f = features;
        double n = rows();
        double[] sum = blocks.map(b -> {
            double[] s = new double[f];
            for (int r = 0; r < b.rows; r++) for (int j = 0; j < f; j++) s[j] += b.x[r * f + j];
            return new Object[] {b.partition, s};
        }).collect().stream().sorted(java.util.Comparator.comparingInt(o -> (Integer) o[0])).map(o -> (double[]) o[1])
                .reduce(new double[f], SparkData::plus);
        double[] mean = new double[f];
        for (int j = 0; j < f; j++) mean[j] = sum[j] / n;
        double[] sq = blocks.map(b -> {
            double[] s = new double[f];
            for (int r = 0; r < b.rows; r++) {
                for (int j = 0; j < f; j++) {
                    double d = b.x[r * f + j] - mean[j];
                    s[j] += d * d;
                }
            }
            return new Object[] {b.partition, s};
        }).collect().stream().sorted(java.util.Comparator.comparingInt(o -> (Integer) o[0])).map(o -> (double[]) o[1])
                .reduce(new double[f], SparkData::plus);
        float[] m = new float[f], std = new float[f];
        for (int j = 0; j < f; j++) {
            m[j] = (float) mean[j];
            float s = (float) Math.sqrt(sq[j] / n);
            std[j] = s > 0f && Float.isFinite(s) ? s : 1f;
        }
        return Standardizer.of(m, std);
    }

    private static double[] plus(double[] a, double[] b) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) c[i] = a[i] + b[i];
        return c;
    }

    /** This data with {@code s} applied to every row, cached; this data is released. */
    public SparkData standardized(Standardizer s) {
        Objects.requireNonNull(s, "s");
        if (s.features() != features) {
            throw new IllegalArgumentException("s: standardizes " + s.features() + " features, the data has " + features);
        }
        float[] mean = s.mean(), std = s.std(); // Standardizer is not Serializable: rebuilt on the executors
        SparkData d = derived(blocks.map(b -> Block.of(b.partition, Standardizer.of(mean, std).apply(b.dataset()), 0, b.rows)), name);
        release();
        return d;
    }

    /** The largest absolute feature value (what decides whether a hint to standardize is due). */
    public float maxAbs() {
        return blocks.map(b -> Standardizer.maxAbs(b.dataset())).reduce(Math::max);
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

    /** Drops the cached blocks from the executors (and the shipped rows, once no data derived from them is left). */
    public synchronized void release() {
        if (released) return;
        released = true;
        blocks.unpersist(false);
        if (shipped == null) return;
        synchronized (shipped) {
            if (--shipped.users == 0) for (Broadcast<Block> b : shipped.parts) b.destroy();
        }
    }
}
