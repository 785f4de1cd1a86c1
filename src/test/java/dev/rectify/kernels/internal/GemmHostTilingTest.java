package dev.rectify.kernels.internal;

import dev.rectify.kernels.internal.scalar.ScalarSupport;
import dev.rectify.kernels.internal.simd.SimdSupport;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each CPU family's GEMM tiling at 16 and 8 lanes, run on whichever host the tests run on: Intel's packed A and k
 * sub-blocks, Zen 4's single tiles, Zen 5's row-tile pairs over A copied at a constant stride. A host only picks its
 * own, so without this a wrong pair kernel would pass everywhere but on the one CPU that runs it (Zen 5's eight-row
 * passes over A and B in place and its A stored transposed read in place have their own cases). Products taller
 * than the in-place-B limit (64 rows), so B is packed and A read in place, copied or packed, with edge rows and
 * columns, both storage orders, alpha and beta, an epilogue, one k block past KC, one and two threads; every element
 * must have the bits of the contract's fma chain.
 */
class GemmHostTilingTest {
    private static final int[] FAMILIES = {6, 25, 26};

    @Test
    void everyFamilysTilingGivesTheContractsBits() {
        SplittableRandom r = new SplittableRandom(29);
        for (int bits : new int[] {512, 256}) {
            for (int family : FAMILIES) {
                MicroKernel kernel = SimdSupport.microKernel(bits, family);
                for (int trial = 0; trial < 12; trial++) {
                    int m = 65 + r.nextInt(90), n = 1 + r.nextInt(80), k = 1 + r.nextInt(trial == 0 ? 1200 : 300);
                    check(kernel, family, GemmSubBlockTest.Case.random(r, m, n, k, r.nextBoolean()), 1 + r.nextInt(2));
                }
            }
        }
    }

    @Test
    void copiedRowsPairsCoverEveryRowOfTheirTenOnZen5() {
        // Eighty rows, past the in-place-B limit: whole pairs only, no single tile, both storage orders of B.
        MicroKernel kernel = SimdSupport.microKernel(512, 26);
        SplittableRandom r = new SplittableRandom(31);
        for (int trial = 0; trial < 4; trial++) {
            check(kernel, 26, GemmSubBlockTest.Case.random(r, 80, 64, 40 + trial, false), 1);
        }
    }

    @Test
    void narrowPanelsPairTheirRowTilesOnZen5() {
        // One column panel of at most a vector's width (a 10-class output layer) or up to two vectors, rows past
        // the in-place-B limit, with rows left over after the pairs.
        MicroKernel kernel = SimdSupport.microKernel(512, 26);
        SplittableRandom r = new SplittableRandom(37);
        for (int n : new int[] {1, 10, 16, 17, 32}) {
            check(kernel, 26, GemmSubBlockTest.Case.random(r, 87, n, 30 + r.nextInt(40), r.nextBoolean()), 1);
        }
    }

    @Test
    void eightRowTilesCoverEveryRowOnZen5() {
        // Row counts that are multiples of eight but not of ten, at most the in-place-B limit, full-width panels of
        // B, A and B in place: the eight-row passes, with alpha, beta and the epilogue drawn, one k block past KC.
        MicroKernel kernel = SimdSupport.microKernel(512, 26);
        SplittableRandom r = new SplittableRandom(41);
        for (int m : new int[] {8, 16, 24, 32, 48, 56, 64}) {
            for (int n : new int[] {32, 96}) {
                GemmSubBlockTest.Case x;
                do {
                    x = GemmSubBlockTest.Case.random(r, m, n, m == 32 ? 1100 : 1 + r.nextInt(300), r.nextBoolean());
                } while (x.transA() || x.transB());
                check(kernel, 26, x, 1);
            }
        }
    }

    @Test
    void transposedAReadInPlaceCoversEveryRowOnZen5() {
        // A stored transposed (a dW = x^T dZ product), B panels full width and packed (more rows than the in-place-B
        // limit, or few), rows past the last pair of tiles, alpha, beta and the epilogue drawn, one k block past KC.
        MicroKernel kernel = SimdSupport.microKernel(512, 26);
        SplittableRandom r = new SplittableRandom(43);
        for (int m : new int[] {10, 23, 70, 87, 130}) {
            for (int n : new int[] {32, 96}) {
                GemmSubBlockTest.Case x;
                do {
                    x = GemmSubBlockTest.Case.random(r, m, n, m == 87 ? 1100 : 1 + r.nextInt(64), r.nextBoolean());
                } while (!x.transA());
                check(kernel, 26, x, 1 + r.nextInt(2));
            }
        }
    }

    /** Without an epilogue against the contract's chain written out; with one against the scalar kernel's bits. */
    private static void check(MicroKernel kernel, int family, GemmSubBlockTest.Case x, int threads) {
        float[] got = x.run(kernel, threads, kernel.kSubBlock());
        float[] scalar = x.bias() != null ? x.run(ScalarSupport.path().microKernel(), 1, 0) : null;
        String what = kernel.name() + " family " + family + " " + x.m() + "x" + x.k() + "x" + x.n() + " threads " + threads
                + " transA " + x.transA() + " transB " + x.transB() + " alpha " + x.alpha() + " beta " + x.beta()
                + " epilogue " + (x.bias() != null);
        for (int i = 0; i < x.m(); i++) {
            for (int j = 0; j < x.n(); j++) {
                float want = scalar != null ? scalar[i * x.n() + j] : x.contract(i, j);
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[i * x.n() + j]),
                        what + " at (" + i + ", " + j + ")");
            }
        }
    }
}
