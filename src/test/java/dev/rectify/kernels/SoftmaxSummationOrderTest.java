package dev.rectify.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The row sums inside softmax follow the order the class Javadoc of {@link ActivationKernels} states,
 * also once the JIT has compiled the loop. JDK 25's C2 reduces {@code reduceLanes(ADD)} as a tree while
 * its interpreter adds lane by lane, so a kernel relying on it changed bits at warm-up and a seeded
 * training run did not repeat. Log-softmax backward with {@code y = 0} gives {@code dx = dy - sum(dy)}
 * (exp(0) is exactly 1), which exposes the sum's bits.
 */
class SoftmaxSummationOrderTest {
    static final int ROWS = 4, COLS = 8 * 16 + 5;

    @Test
    void logSoftmaxBackwardSumsInTheDocumentedOrderAfterWarmUp() {
        SplittableRandom r = new SplittableRandom(KernelFixtures.seed());
        float[] dy = new float[ROWS * COLS];
        for (int i = 0; i < dy.length; i++) {
            // Magnitudes from 1e-3 to 1e5: reordering the additions changes the rounded sum.
            dy[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-3, 6)));
        }
        float[] y = new float[dy.length], dx = new float[dy.length];
        for (ActivationKernels k : KernelFixtures.implementations()) {
            int lanes = k.name().startsWith("simd-") ? Integer.parseInt(k.name().substring(5)) / 32 : 1;
            for (int warm = 0; warm < 20_000; warm++) {
                k.logSoftmaxBackward(y, 0, dy, 0, dx, 0, ROWS, COLS);
            }
            k.logSoftmaxBackward(y, 0, dy, 0, dx, 0, ROWS, COLS);
            for (int row = 0; row < ROWS; row++) {
                float s = documentedSum(dy, row * COLS, COLS, lanes);
                for (int j = 0; j < COLS; j++) {
                    int i = row * COLS + j;
                    assertEquals(Float.floatToIntBits(dy[i] - s), Float.floatToIntBits(dx[i]),
                            k.name() + " row " + row + " col " + j);
                }
            }
        }
    }

    private static float documentedSum(float[] a, int off, int n, int lanes) {
        int vectorPart = n / lanes * lanes;
        float[] partial = new float[lanes];
        for (int j = 0; j < vectorPart; j++) {
            partial[j % lanes] += a[off + j];
        }
        float s = 0f;
        for (int l = 0; l < lanes; l++) {
            s = l == 0 ? partial[0] : s + partial[l];
        }
        for (int j = vectorPart; j < n; j++) {
            s += a[off + j];
        }
        return s;
    }
}
