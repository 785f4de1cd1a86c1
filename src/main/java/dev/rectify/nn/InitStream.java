package dev.rectify.nn;

import java.util.SplittableRandom;

/**
 * The order in which a network's dense layers draw their initial parameters from its seed: layer {@code i}
 * (from the input) draws from the {@code i}-th split of a {@link SplittableRandom} seeded with the network's seed.
 * {@link Network.Builder} draws through it, and so does anything that must reproduce a network's initial weights
 * without building it (the born-dead Monte Carlo estimate), so the two cannot drift apart.
 */
public final class InitStream {
    private final SplittableRandom weights;

    /** The stream of a network built with {@code seed}. */
    public InitStream(long seed) {
        this.weights = new SplittableRandom(seed);
    }

    /**
     * Fills the next dense layer's weights {@code w} (fanIn x fanOut, row-major) and biases {@code b} (fanOut), as
     * {@link Init#fill(float[], float[], int, int, double, double, Init.Bias, SplittableRandom)} does.
     */
    public void nextLayer(Init init, float[] w, float[] b, int fanIn, int fanOut, double gain, double scale, Init.Bias bias) {
        init.fill(w, b, fanIn, fanOut, gain, scale, bias, weights.split());
    }
}
