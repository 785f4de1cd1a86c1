package dev.rectify.spark;

import dev.rectify.diagnostics.EpochActivity;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The partitions' contributions to one step, summed in a fixed order whatever order Spark delivers them in.
 * Partition {@code p}'s contribution is leaf {@code (0, p)} of a binary tree over the partitions; node
 * {@code (level, k)} is the sum of its children {@code (level - 1, 2k)} and {@code (level - 1, 2k + 1)}, left
 * plus right, or its left child alone when the right one covers no partition. Merging two sets of nodes combines
 * siblings as soon as both are present, so a tree aggregation's intermediate sums happen on the executors, and
 * the root is the same float sum for a fixed partitioning no matter how the merges were ordered: floating-point
 * addition is not associative, so a sum in arrival order would not be reproducible.
 */
final class StepSum implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One node: the summed gradient (null: no rows), loss, rows, correct predictions and unit activity. */
    static final class Part implements Serializable {
        private static final long serialVersionUID = 1L;
        float[] gradient;
        double loss, lossSum;
        int rows, correct;
        EpochActivity activity;

        static Part plus(Part left, Part right) {
            Part s = new Part();
            s.gradient = left.gradient == null ? right.gradient : right.gradient == null ? left.gradient : add(left.gradient, right.gradient);
            s.lossSum = left.lossSum + right.lossSum;
            s.rows = left.rows + right.rows;
            s.correct = left.correct + right.correct;
            s.loss = left.rows == 0 ? right.loss : right.rows == 0 ? left.loss : s.lossSum / s.rows;
            s.activity = left.activity == null ? right.activity : right.activity == null ? left.activity : left.activity.merge(right.activity);
            return s;
        }

        private static float[] add(float[] a, float[] b) {
            for (int i = 0; i < a.length; i++) a[i] += b[i];
            return a;
        }
    }

    private final int partitions;
    private final TreeMap<Long, Part> nodes = new TreeMap<>();

    StepSum(int partitions) {
        this.partitions = partitions;
    }

    private static long key(int level, long k) {
        return ((long) level << 40) | k;
    }

    StepSum add(int partition, Part p) {
        put(0, partition, p);
        return this;
    }

    StepSum merge(StepSum other) {
        for (Map.Entry<Long, Part> e : other.nodes.entrySet()) put((int) (e.getKey() >>> 40), e.getKey() & ((1L << 40) - 1), e.getValue());
        return this;
    }

    private void put(int level, long k, Part p) {
        while (true) {
            long sibling = k ^ 1;
            long siblingStart = sibling << level;
            if ((k & 1) == 0 && siblingStart >= partitions) { // no right sibling: the node moves up alone
                if ((1L << level) >= partitions && k == 0) break;
                level++;
                k >>= 1;
                continue;
            }
            Part other = nodes.remove(key(level, sibling));
            if (other == null) break;
            p = (k & 1) == 0 ? Part.plus(p, other) : Part.plus(other, p);
            level++;
            k >>= 1;
        }
        nodes.put(key(level, k), p);
    }

    /** The sum over every partition; null until all have been added. */
    Part total() {
        if (nodes.size() != 1) return null;
        Map.Entry<Long, Part> e = nodes.firstEntry();
        int level = (int) (e.getKey() >>> 40);
        return (e.getKey() & ((1L << 40) - 1)) == 0 && (1L << level) >= partitions ? e.getValue() : null;
    }
}
