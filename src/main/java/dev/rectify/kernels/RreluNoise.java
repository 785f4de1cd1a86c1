package dev.rectify.kernels;

/**
 * RReLU's per-element slopes, from a counter-based generator: element i's slope is a hash of
 * (seed, i), so the draw needs no state, is the same on every kernel path and splits across threads.
 */
final class RreluNoise {
    private RreluNoise() {}

    static void fill(long seed, float lower, float upper, float[] noise, int off, int n) {
        float width = upper - lower;
        for (int i = 0; i < n; i++) {
            long z = seed + (i + 1L) * 0x9E3779B97F4A7C15L;
            // SplitMix64's finaliser: a bijective mix with full avalanche.
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            float u = (z >>> 40) * 0x1.0p-24f; // 24 random bits: uniform in [0, 1), exact in float
            noise[off + i] = Math.min(Math.fma(width, u, lower), upper);
        }
    }
}
