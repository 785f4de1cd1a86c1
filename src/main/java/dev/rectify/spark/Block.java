package dev.rectify.spark;

import dev.rectify.data.Dataset;

import java.io.Serializable;

/**
 * One partition's training rows packed once into dense row-major arrays (not an object per row): features
 * {@code x[row * features + f]}, and a label per row (classification) or {@code outputs} targets per row.
 */
final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition, rows, features, outputs;
    final float[] x;
    final int[] labels;
    final float[] targets;
    final String name;
    private transient Dataset view;

    private Block(int partition, String name, int rows, int features, int outputs, float[] x, int[] labels, float[] targets) {
        this.partition = partition;
        this.name = name;
        this.rows = rows;
        this.features = features;
        this.outputs = outputs;
        this.x = x;
        this.labels = labels;
        this.targets = targets;
    }

    /** Rows {@code [from, to)} of {@code d} as partition {@code partition}'s block. */
    static Block of(int partition, Dataset d, int from, int to) {
        int n = to - from, f = d.features(), o = d.outputs();
        float[] x = new float[n * f];
        System.arraycopy(d.x(), from * f, x, 0, n * f);
        if (d.isClassification()) {
            int[] labels = new int[n];
            System.arraycopy(d.labels(), from, labels, 0, n);
            return new Block(partition, d.name(), n, f, o, x, labels, null);
        }
        float[] t = new float[n * o];
        System.arraycopy(d.targets(), from * o, t, 0, n * o);
        return new Block(partition, d.name(), n, f, o, x, null, t);
    }

    /** Parsed rows of a classification file, the class count still unknown (it is the whole file's). */
    static Block parsed(int partition, String name, int rows, int features, float[] x, int[] labels) {
        return new Block(partition, name, rows, features, -1, x, labels, null);
    }

    /** This block with the class count of the whole data and its feature count (an empty block has none of its own). */
    Block withShape(int features, int classes) {
        return new Block(partition, name, rows, features, classes, x, labels, targets);
    }

    /** The rows of this block for which {@code keep} is true, in order, as partition {@code partition}'s block. */
    Block select(boolean[] keep) {
        int n = 0;
        for (boolean k : keep) if (k) n++;
        float[] x2 = new float[n * features];
        int[] l2 = labels == null ? null : new int[n];
        float[] t2 = targets == null ? null : new float[n * outputs];
        for (int r = 0, i = 0; r < rows; r++) {
            if (!keep[r]) continue;
            System.arraycopy(x, r * features, x2, i * features, features);
            if (l2 != null) l2[i] = labels[r];
            if (t2 != null) System.arraycopy(targets, r * outputs, t2, i * outputs, outputs);
            i++;
        }
        return new Block(partition, name, n, features, outputs, x2, l2, t2);
    }

    int maxLabel() {
        int m = -1;
        for (int l : labels) m = Math.max(m, l);
        return m;
    }

    boolean classification() {
        return labels != null;
    }

    /** The block as a data set (sharing its arrays), for the trainer's batch code. */
    Dataset dataset() {
        if (view != null) return view;
        String n = name + " partition " + partition;
        view = labels != null ? Dataset.classification(n, x, features, labels, outputs) : Dataset.regression(n, x, features, targets, outputs);
        return view;
    }
}
