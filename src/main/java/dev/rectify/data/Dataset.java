package dev.rectify.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * An in-memory data set: {@code rows} samples of {@code features} floats each, stored row-major, with either a
 * class label per sample (classification) or {@code outputs} float targets per sample (regression).
 * Instances are immutable: the constructor copies nothing, so callers hand over their arrays and must not
 * change them afterwards; accessors return the arrays themselves for speed and must be treated as read-only.
 */
public final class Dataset {
    private final String name;
    private final int rows, features, classes, outputs;
    private final float[] x;
    private final int[] labels;
    private final float[] targets;

    private Dataset(String name, int rows, int features, float[] x, int[] labels, int classes, float[] targets, int outputs) {
        this.name = name;
        this.rows = rows;
        this.features = features;
        this.x = x;
        this.labels = labels;
        this.classes = classes;
        this.targets = targets;
        this.outputs = outputs;
    }

    /**
     * A classification set.
     *
     * @throws IllegalArgumentException naming the argument: non-positive features or classes, an x length that
     *         is not rows * features, a label outside [0, classes), or a non-finite feature value
     */
    public static Dataset classification(String name, float[] x, int features, int[] labels, int classes) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(labels, "labels");
        if (features <= 0) throw new IllegalArgumentException("features must be > 0, was " + features);
        if (classes < 2) throw new IllegalArgumentException("classes must be >= 2, was " + classes);
        if ((long) labels.length * features != x.length) {
            throw new IllegalArgumentException("x has " + x.length + " values, expected labels.length * features = "
                    + labels.length + " * " + features);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + " is outside [0, " + classes + ")");
            }
        }
        requireFinite("x", x);
        return new Dataset(name, labels.length, features, x, labels, classes, null, 0);
    }

    /** A regression set with {@code outputs} targets per sample; same checks as {@link #classification}. */
    public static Dataset regression(String name, float[] x, int features, float[] targets, int outputs) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(targets, "targets");
        if (features <= 0) throw new IllegalArgumentException("features must be > 0, was " + features);
        if (outputs <= 0) throw new IllegalArgumentException("outputs must be > 0, was " + outputs);
        if (x.length % features != 0) {
            throw new IllegalArgumentException("x has " + x.length + " values, not a multiple of features = " + features);
        }
        int rows = x.length / features;
        if ((long) rows * outputs != targets.length) {
            throw new IllegalArgumentException("targets has " + targets.length + " values, expected rows * outputs = "
                    + rows + " * " + outputs);
        }
        requireFinite("x", x);
        requireFinite("targets", targets);
        return new Dataset(name, rows, features, x, null, 0, targets, outputs);
    }

    private static void requireFinite(String what, float[] a) {
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(a[i])) {
                throw new IllegalArgumentException(what + "[" + i + "] is not finite: " + a[i]);
            }
        }
    }

    public String name() { return name; }
    public int rows() { return rows; }
    public int features() { return features; }
    /** Number of classes, or 0 for a regression set. */
    public int classes() { return classes; }
    /** Targets per sample: the number of classes for classification, the regression outputs otherwise. */
    public int outputs() { return isClassification() ? classes : outputs; }
    public boolean isClassification() { return labels != null; }
    /** Row-major features, read-only. */
    public float[] x() { return x; }
    /** Labels (classification) or null, read-only. */
    public int[] labels() { return labels; }
    /** Row-major targets (regression) or null, read-only. */
    public float[] targets() { return targets; }

    /** The samples at the given row indices, in that order. */
    public Dataset select(String newName, int[] rowsToTake) {
        float[] nx = new float[rowsToTake.length * features];
        for (int i = 0; i < rowsToTake.length; i++) {
            int r = Objects.checkIndex(rowsToTake[i], rows);
            System.arraycopy(x, r * features, nx, i * features, features);
        }
        if (isClassification()) {
            int[] nl = new int[rowsToTake.length];
            for (int i = 0; i < nl.length; i++) nl[i] = labels[rowsToTake[i]];
            return new Dataset(newName, rowsToTake.length, features, nx, nl, classes, null, 0);
        }
        float[] nt = new float[rowsToTake.length * outputs];
        for (int i = 0; i < rowsToTake.length; i++) {
            System.arraycopy(targets, rowsToTake[i] * outputs, nt, i * outputs, outputs);
        }
        return new Dataset(newName, rowsToTake.length, features, nx, null, 0, nt, outputs);
    }

    /** A seeded shuffle split into a training part and a held-out part of {@code heldOutFraction} of the rows. */
    public Split split(double heldOutFraction, long seed) {
        if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
            throw new IllegalArgumentException("heldOutFraction must be in (0, 1), was " + heldOutFraction);
        }
        int[] order = permutation(rows, new SplittableRandom(seed));
        int test = (int) Math.round(rows * heldOutFraction);
        if (test == 0 || test == rows) {
            throw new IllegalArgumentException("heldOutFraction " + heldOutFraction + " leaves an empty part of "
                    + rows + " rows");
        }
        return new Split(select(name + "/train", Arrays.copyOfRange(order, test, rows)),
                select(name + "/test", Arrays.copyOfRange(order, 0, test)));
    }

    /** A training part and a held-out part. */
    public record Split(Dataset train, Dataset test) { }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    public static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        shuffle(p, random);
        return p;
    }

    /** Shuffles in place (Fisher-Yates). */
    public static void shuffle(int[] p, SplittableRandom random) {
        for (int i = p.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
    }

    @Override
    public String toString() {
        return name + " (" + rows + " x " + features + (isClassification() ? ", " + classes + " classes)" : ", " + outputs + " outputs)");
    }
}
