package dev.rectify.data;

import java.util.SplittableRandom;

/** Generated data sets, seeded: the same arguments give the same bits. */
public final class Synthetic {
    private Synthetic() { }

    /**
     * Two interleaved spirals in the plane (Lang and Witbrock's benchmark): {@code perClass} points per class,
     * 1.5 turns each, radius up to 1, Gaussian noise of standard deviation {@code noise} added to both
     * coordinates. Class 1 is class 0 turned by 180 degrees.
     */
    public static Dataset twoSpirals(int perClass, double noise, long seed) {
        if (perClass <= 0) throw new IllegalArgumentException("perClass must be > 0, was " + perClass);
        if (!(noise >= 0) || Double.isInfinite(noise)) throw new IllegalArgumentException("noise must be finite and >= 0, was " + noise);
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[4 * perClass];
        int[] y = new int[2 * perClass];
        for (int i = 0; i < perClass; i++) {
            double t = (double) i / perClass, angle = 3 * Math.PI * t, radius = 0.05 + 0.95 * t;
            for (int c = 0; c < 2; c++) {
                int row = 2 * i + c;
                double sign = c == 0 ? 1 : -1;
                x[2 * row] = (float) (sign * radius * Math.cos(angle) + noise * r.nextGaussian());
                x[2 * row + 1] = (float) (sign * radius * Math.sin(angle) + noise * r.nextGaussian());
                y[row] = c;
            }
        }
        return Dataset.classification("two-spirals", x, 2, y, 2);
    }

    /**
     * A target function for the regression and collapse experiments of Lu et al. (2019), with the input domain
     * its experiments use: |x| on [-sqrt 3, sqrt 3] (inputs of unit variance), sin x on [-pi, pi], and a 2-D target
     * with two outputs, (|x1 + x2|, |x1 - x2|) on [-sqrt 3, sqrt 3]^2.
     */
    public enum Target {
        ABS("abs", 1, 1, Math.sqrt(3)) { @Override double f(double x) { return Math.abs(x); } },
        SIN("sin", 1, 1, Math.PI) { @Override double f(double x) { return Math.sin(x); } },
        ABS2("abs2", 2, 2, Math.sqrt(3)) {
            @Override double f(double x) { throw new UnsupportedOperationException("abs2 has two inputs"); }

            @Override
            void eval(float[] x, int xo, float[] t, int to) {
                double a = x[xo], b = x[xo + 1];
                t[to] = (float) Math.abs(a + b);
                t[to + 1] = (float) Math.abs(a - b);
            }
        };

        private final String cliName;
        private final int inputs, outputs;
        private final double bound;

        Target(String cliName, int inputs, int outputs, double bound) {
            this.cliName = cliName;
            this.inputs = inputs;
            this.outputs = outputs;
            this.bound = bound;
        }

        abstract double f(double x);

        /** Writes the outputs for the input at {@code x[xo..]} into {@code t[to..]}. */
        void eval(float[] x, int xo, float[] t, int to) {
            t[to] = (float) f(x[xo]);
        }

        public String cliName() { return cliName; }

        public int inputs() { return inputs; }

        public int outputs() { return outputs; }

        /** The domain is [-bound, bound] in every input. */
        public double bound() { return bound; }

        /** The target named {@code name} (abs, sin, abs2), or null. */
        public static Target named(String name) {
            for (Target t : values()) if (t.cliName.equals(name)) return t;
            return null;
        }
    }

    /**
     * Samples of {@code target} on its domain: a grid of {@code points} evenly spaced values per input dimension
     * (both ends included; {@code points^inputs} samples), or {@code points} samples drawn uniformly with
     * {@code seed}. The data set is named after the target and the sampling, e.g. {@code abs:grid:101}.
     */
    public static Dataset regression(Target target, boolean grid, int points, long seed) {
        java.util.Objects.requireNonNull(target, "target");
        if (points < (grid ? 2 : 1)) throw new IllegalArgumentException("points must be >= " + (grid ? 2 : 1) + ", was " + points);
        int d = target.inputs();
        float[] x = grid ? grid(points, d) : uniformCube(points, d, seed);
        for (int i = 0; i < x.length; i++) x[i] = (float) (target.bound() * x[i]);
        int rows = x.length / d;
        float[] t = new float[rows * target.outputs()];
        for (int r = 0; r < rows; r++) target.eval(x, r * d, t, r * target.outputs());
        return Dataset.regression(target.cliName() + (grid ? ":grid:" : ":uniform:") + points, x, d, t, target.outputs());
    }

    /**
     * {@code n} points x uniform in [lo, hi] with targets f(x), as in Lu et al.'s experiments (|x| on
     * [-sqrt 3, sqrt 3], sin on [-pi, pi]: inputs of unit variance for |x|).
     */
    public static Dataset regression1d(Target target, int n, double lo, double hi, long seed) {
        java.util.Objects.requireNonNull(target, "target");
        if (n <= 0) throw new IllegalArgumentException("n must be > 0, was " + n);
        if (!(lo < hi) || Double.isInfinite(lo) || Double.isInfinite(hi)) {
            throw new IllegalArgumentException("need finite lo < hi, was [" + lo + ", " + hi + "]");
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n], t = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (lo + (hi - lo) * r.nextDouble());
            t[i] = (float) target.f(x[i]);
        }
        return Dataset.regression(target.cliName(), x, 1, t, 1);
    }

    /** {@code points} evenly spaced values per dimension in [-1, 1], all {@code points^dims} combinations, row-major. */
    public static float[] grid(int points, int dims) {
        if (points < 2) throw new IllegalArgumentException("points must be >= 2, was " + points);
        if (dims <= 0) throw new IllegalArgumentException("dims must be > 0, was " + dims);
        long rows = 1;
        for (int d = 0; d < dims; d++) {
            rows *= points;
            if (rows * dims > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("grid of " + points + "^" + dims + " points is too large");
        }
        float[] x = new float[(int) rows * dims];
        for (int row = 0; row < rows; row++) {
            int rest = row;
            for (int d = dims - 1; d >= 0; d--) {
                x[row * dims + d] = (float) (-1 + 2.0 * (rest % points) / (points - 1));
                rest /= points;
            }
        }
        return x;
    }

    /** {@code points} points uniform in [-1, 1]^dims, row-major. */
    public static float[] uniformCube(int points, int dims, long seed) {
        if (points <= 0) throw new IllegalArgumentException("points must be > 0, was " + points);
        if (dims <= 0) throw new IllegalArgumentException("dims must be > 0, was " + dims);
        if ((long) points * dims > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("points * dims is too large");
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[points * dims];
        for (int i = 0; i < x.length; i++) x[i] = (float) (2 * r.nextDouble() - 1);
        return x;
    }

    /**
     * MNIST-shaped data: {@code n} samples of 784 features in [0, 1] and 10 classes, each class a fixed random
     * sparse prototype (about a fifth of the pixels lit) blurred by Gaussian noise of standard deviation 0.2 and
     * clipped to [0, 1]. For benchmarks and tests of 784-wide networks where the real MNIST is not at hand.
     */
    public static Dataset mnistShaped(int n, long seed) {
        if (n <= 0) throw new IllegalArgumentException("n must be > 0, was " + n);
        final int f = 784, classes = 10;
        SplittableRandom r = new SplittableRandom(seed);
        float[][] proto = new float[classes][f];
        for (float[] p : proto) for (int i = 0; i < f; i++) p[i] = r.nextDouble() < 0.2 ? (float) (0.5 + 0.5 * r.nextDouble()) : 0f;
        float[] x = new float[n * f];
        int[] y = new int[n];
        for (int s = 0; s < n; s++) {
            y[s] = r.nextInt(classes);
            for (int i = 0; i < f; i++) {
                x[s * f + i] = (float) Math.min(1, Math.max(0, proto[y[s]][i] + 0.2 * r.nextGaussian()));
            }
        }
        return Dataset.classification("mnist-shaped", x, f, y, classes);
    }
}
