package dev.rectify.kernels.internal;

/**
 * Not API. Uniform random floats from a counter-based generator: element i's value is a hash of (seed, i), so a draw needs
 * no state, is the same on every kernel path and thread split, and can be replayed from its seed alone. RReLU's
 * training-mode slopes and the trainer's dropout masks come from here.
 */
public final class CounterNoise {
    private CounterNoise() {}

    /**
     * Writes {@code n} values uniform in [lower, upper) (upper itself when the interval is empty) to
     * {@code dst[off..off+n)}; value i depends only on {@code seed} and i.
     */
    public static void uniform(long seed, float lower, float upper, float[] dst, int off, int n) {
        Checks.range("dst", dst, off, n);
        if (!(lower <= upper)) throw new IllegalArgumentException("lower must be <= upper, was " + lower + " > " + upper);
        float width = upper - lower;
        for (int i = 0; i < n; i++) {
            float u = (mix(seed + (i + 1L) * 0x9E3779B97F4A7C15L) >>> 40) * 0x1.0p-24f; // 24 bits: exact in float
            dst[off + i] = Math.min(Math.fma(width, u, lower), upper);
        }
    }

    /** SplitMix64's finaliser: a bijective mix with full avalanche; also derives per-step seeds from a base seed. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
