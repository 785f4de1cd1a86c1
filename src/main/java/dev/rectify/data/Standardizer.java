package dev.rectify.data;

import java.util.Locale;
import java.util.Objects;

/**
 * Per-feature standardization, as scikit-learn's {@code StandardScaler}: {@code x' = (x - mean) / std} with the mean
 * and the population standard deviation of each feature fitted on a training set (in double, rounded to float once),
 * and a standard deviation of 0 (a constant feature) taken as 1. Fit it on the training set only and apply the same
 * instance to every other set, so no test statistic leaks into training. Immutable.
 */
public final class Standardizer {
    private final float[] mean, std;

    private Standardizer(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    /** The mean and standard deviation of every feature of {@code train}. */
    public static Standardizer fit(Dataset train) {
        Objects.requireNonNull(train, "train");
        int f = train.features(), n = train.rows();
        double[] sum = new double[f], sq = new double[f];
        float[] x = train.x();
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < f; j++) sum[j] += x[r * f + j];
        }
        float[] mean = new float[f], std = new float[f];
        for (int j = 0; j < f; j++) mean[j] = (float) (sum[j] / n);
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < f; j++) {
                double d = x[r * f + j] - sum[j] / n;
                sq[j] += d * d;
            }
        }
        for (int j = 0; j < f; j++) {
            float s = (float) Math.sqrt(sq[j] / n);
            std[j] = s > 0f && Float.isFinite(s) ? s : 1f;
        }
        return new Standardizer(mean, std);
    }

    /**
     * A standardizer with given statistics (e.g. read back from a checkpoint).
     *
     * @throws IllegalArgumentException naming {@code mean} or {@code std}: different lengths, a non-finite mean or a
     *         standard deviation that is not positive and finite
     */
    public static Standardizer of(float[] mean, float[] std) {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(std, "std");
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std must have the same, positive length, were " + mean.length + " and " + std.length);
        }
        for (int j = 0; j < mean.length; j++) {
            if (!Float.isFinite(mean[j])) throw new IllegalArgumentException("mean[" + j + "] must be finite, was " + mean[j]);
            if (!(std[j] > 0f) || !Float.isFinite(std[j])) {
                throw new IllegalArgumentException("std[" + j + "] must be > 0 and finite, was " + std[j]);
            }
        }
        return new Standardizer(mean.clone(), std.clone());
    }

    public int features() { return mean.length; }

    public float[] mean() { return mean.clone(); }

    public float[] std() { return std.clone(); }

    /** A new data set with standardized features (labels or targets shared), named like {@code d}. */
    public Dataset apply(Dataset d) {
        Objects.requireNonNull(d, "d");
        if (d.features() != mean.length) {
            throw new IllegalArgumentException("d: " + d.name() + " has " + d.features() + " features, the standardizer was fitted on "
                    + mean.length);
        }
        float[] x = d.x(), out = new float[d.rows() * mean.length];
        int f = mean.length;
        for (int r = 0; r < d.rows(); r++) {
            for (int j = 0; j < f; j++) out[r * f + j] = (x[r * f + j] - mean[j]) / std[j];
        }
        return d.isClassification() ? Dataset.classification(d.name(), out, f, d.labels(), d.classes())
                : Dataset.regression(d.name(), out, f, d.targets(), d.outputs());
    }

    /** The statistics as text, {@code mean,...;std,...}, each float in the shortest form that reads back exactly. */
    public String encode() {
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < mean.length; j++) b.append(j == 0 ? "" : ",").append(Float.toString(mean[j]));
        b.append(';');
        for (int j = 0; j < std.length; j++) b.append(j == 0 ? "" : ",").append(Float.toString(std[j]));
        return b.toString();
    }

    /**
     * Reads {@link #encode()}'s text back.
     *
     * @throws IllegalArgumentException naming {@code text} when it is not two equally long lists of floats
     */
    public static Standardizer decode(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.split(";", -1);
        if (parts.length != 2) throw new IllegalArgumentException("text: expected mean;std, was '" + shorten(text) + "'");
        try {
            return of(floats(parts[0]), floats(parts[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("text: not a list of numbers: '" + shorten(text) + "'");
        }
    }

    private static float[] floats(String s) {
        String[] p = s.split(",", -1);
        float[] v = new float[p.length];
        for (int i = 0; i < p.length; i++) v[i] = Float.parseFloat(p[i]);
        return v;
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    /** The largest absolute feature value of a data set: what decides whether a hint to standardize is due. */
    public static float maxAbs(Dataset d) {
        float m = 0;
        for (float v : d.x()) m = Math.max(m, Math.abs(v));
        return m;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Standardizer(%d features)", mean.length);
    }
}
