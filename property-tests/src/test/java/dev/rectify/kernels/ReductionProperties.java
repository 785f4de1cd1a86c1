package dev.rectify.kernels;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.List;
import java.util.SplittableRandom;

import static dev.rectify.kernels.KernelFixtures.check;
import static dev.rectify.kernels.KernelFixtures.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The reductions the trainer's norms and diagnostics use. {@link Reductions#sumOfSquares}: the same bits
 * on every path and width, within 2^-18 of the exact sum for finite inputs, NaN and Infinity by the stated
 * rule, and never a spurious infinity from a float partial that overflows. {@link Reductions#summarize}:
 * the same bits everywhere, exact minimum, maximum and zero count, the sum within its bound.
 * {@link Reductions#allFinite}: true exactly when the range holds no infinity and no NaN. {@link Reductions#sgdStep}:
 * the Java expression's bits and its finiteness.
 */
class ReductionProperties {
    static final double BOUND = 0x1p-18;
    static List<Reductions> all;

    @BeforeAll
    static void requireSimd() {
        all = KernelFixtures.implementations().stream().map(Reductions::of).toList();
        assertEquals(4, all.size(), "property tests must run with " + Kernels.FLAG);
    }

    /** A range long enough to cross block (1,024) and partial-group (32) boundaries, and its placement. */
    record Input(float[] data, int off, int n) {
        @Override public String toString() { return "n=" + n + " off=" + off; }
    }

    /**
     * Lengths 0 to 3,100 (short ones often), an offset, values from a seeded mix of every scale; with
     * {@code specials}, a few NaN, infinities, subnormals and huge values at drawn positions.
     */
    static Gen<Input> inputs(boolean specials) {
        Gen<Integer> lengths = Generate.frequency(List.of(
                org.quicktheories.api.Pair.of(3, integers().between(0, 100)),
                org.quicktheories.api.Pair.of(2, integers().between(990, 1090)),
                org.quicktheories.api.Pair.of(2, integers().between(0, 3100))));
        return lengths.zip(integers().between(0, 9), longs().all(), (n, off, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            float[] a = new float[off + n + 3];
            double scale = Math.pow(2, r.nextInt(-60, 60));
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (r.nextGaussian() * scale);
            }
            if (specials && n > 0) {
                for (int s = r.nextInt(4); s >= 0; s--) {
                    a[off + r.nextInt(n)] = KernelFixtures.SPECIALS[r.nextInt(KernelFixtures.SPECIALS.length)];
                }
            }
            return new Input(a, off, n);
        });
    }

    static double exact(Input in) {
        double s = 0;
        for (int i = in.off; i < in.off + in.n; i++) s += (double) in.data[i] * in.data[i];
        return s;
    }

    /**
     * allFinite is false exactly when the range holds an infinity or a NaN, on every path and width; a NaN right
     * before and after the range does not count.
     */
    @Test
    void allFiniteSeesEveryInfinityAndNanInItsRangeOnly() {
        check("allFinite", () -> qt(400).forAll(inputs(true)).checkAssert(in -> {
            boolean want = true;
            for (int i = in.off; i < in.off + in.n; i++) want &= !Float.isNaN(in.data[i]) && !Float.isInfinite(in.data[i]);
            float[] fenced = in.data.clone();
            if (in.off > 0) fenced[in.off - 1] = Float.NaN;
            fenced[in.off + in.n] = Float.POSITIVE_INFINITY;
            for (Reductions k : all) {
                assertEquals(want, k.allFinite(in.data, in.off, in.n), k.name() + " " + in);
                assertEquals(want, k.allFinite(fenced, in.off, in.n), k.name() + " fenced " + in);
            }
        }));
    }

    /**
     * sgdStep writes the bits of {@code w - lr * (g + wd * w)} as Java evaluates it, on every path and width, leaves
     * the floats around the range alone, and reports a non-finite result (from a special in w or g, or an overflow)
     * exactly when there is one.
     */
    @Test
    void sgdStepIsTheJavaExpressionAndSeesEveryNonFiniteResult() {
        Gen<float[]> rates = longs().all().map(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            return new float[] {(float) Math.pow(2, r.nextInt(-20, 130)) * (float) r.nextDouble(), r.nextInt(3) == 0 ? 0f : (float) r.nextDouble()};
        });
        check("sgdStep", () -> qt(300).forAll(inputs(true), inputs(true), rates).checkAssert((w, g, rate) -> {
            int n = Math.min(w.n, g.n);
            float lr = rate[0], wd = rate[1];
            float[] want = w.data.clone();
            boolean finite = true;
            for (int i = 0; i < n; i++) {
                want[w.off + i] = w.data[w.off + i] - lr * (g.data[g.off + i] + wd * w.data[w.off + i]);
                finite &= !Float.isNaN(want[w.off + i]) && !Float.isInfinite(want[w.off + i]);
            }
            for (Reductions k : all) {
                float[] got = w.data.clone();
                assertEquals(finite, k.sgdStep(got, w.off, g.data, g.off, lr, wd, n), k.name() + " w " + w + " g " + g);
                for (int i = 0; i < got.length; i++) {
                    if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                        fail(k.name() + " element " + i + ": " + got[i] + " != " + want[i] + " (w " + w + ", g " + g + ")");
                    }
                }
            }
        }));
    }

    @Test
    void everyPathAndWidthGivesTheSameBits() {
        check("sumOfSquares SIMD == scalar", () -> qt(300).forAll(inputs(true)).checkAssert(in -> {
            double want = all.get(0).sumOfSquares(in.data, in.off, in.n);
            for (Reductions k : all) {
                double got = k.sumOfSquares(in.data, in.off, in.n);
                if (Double.doubleToLongBits(want) != Double.doubleToLongBits(got)) {
                    fail(k.name() + " " + in + ": " + got + " != scalar " + want);
                }
            }
        }));
    }

    /** Ranges long enough to be split over threads (65,536 elements and up), with a short last block and a tail. */
    static Gen<Input> longInputs() {
        return integers().between(65_536, 200_000).zip(integers().between(0, 9), longs().all(), (n, off, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            float[] a = new float[off + n];
            // a spread of magnitudes, so that the double total rounds and its order shows in the bits
            for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextGaussian() * Math.scalb(1.0, r.nextInt(-30, 31)));
            if (r.nextInt(3) == 0) a[off + r.nextInt(n)] = KernelFixtures.SPECIALS[r.nextInt(KernelFixtures.SPECIALS.length)];
            return new Input(a, off, n);
        });
    }

    @Test
    void everyParallelismGivesTheBitsOfOneThread() {
        check("sumOfSquares threads == one thread", () -> qt(40).forAll(longInputs()).checkAssert(in -> {
            for (Reductions k : all) {
                double want = k.sumOfSquares(in.data, in.off, in.n);
                for (int threads : new int[] {2, 3, 8}) {
                    double got = k.withParallelism(threads).sumOfSquares(in.data, in.off, in.n);
                    if (Double.doubleToLongBits(want) != Double.doubleToLongBits(got)) {
                        fail(k.name() + " on " + threads + " threads, " + in + ": " + got + " != " + want);
                    }
                }
            }
        }));
    }

    @Test
    void finiteInputsStayWithinTheStatedRelativeError() {
        check("sumOfSquares accuracy", () -> qt(300).forAll(inputs(false)).checkAssert(in -> {
            double ref = exact(in);
            for (Reductions k : all) {
                double got = k.sumOfSquares(in.data, in.off, in.n);
                assertTrue(Double.isFinite(got), k.name() + " " + in + ": " + got);
                assertTrue(Math.abs(got - ref) <= BOUND * ref,
                        k.name() + " " + in + ": " + got + " vs exact " + ref + ", relative " + Math.abs(got - ref) / ref);
            }
        }));
    }

    @Test
    void nanThenInfinityDecideTheResultAndHugeFiniteValuesDoNot() {
        check("sumOfSquares special values", () -> qt(300).forAll(inputs(true)).checkAssert(in -> {
            boolean nan = false, inf = false;
            for (int i = in.off; i < in.off + in.n; i++) {
                nan |= Float.isNaN(in.data[i]);
                inf |= Float.isInfinite(in.data[i]);
            }
            for (Reductions k : all) {
                double got = k.sumOfSquares(in.data, in.off, in.n);
                if (nan) {
                    assertTrue(Double.isNaN(got), k.name() + " " + in + " holds NaN but gave " + got);
                } else if (inf) {
                    assertEquals(Double.POSITIVE_INFINITY, got, k.name() + " " + in);
                } else {
                    // Float.MAX_VALUE squared overflows a float partial; the result must still be the finite sum.
                    double ref = exact(in);
                    assertTrue(Math.abs(got - ref) <= BOUND * ref, k.name() + " " + in + ": " + got + " vs " + ref);
                }
            }
        }));
    }

    @Test
    void badArgumentsAreNamed() {
        for (Reductions k : all) {
            float[] a = new float[8];
            assertTrue(assertThrows(IllegalArgumentException.class, () -> k.sumOfSquares(a, 0, -1)).getMessage().contains("n"));
            assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> k.sumOfSquares(a, 4, 5)).getMessage().contains("src"));
            assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> k.sumOfSquares(a, -1, 2)).getMessage().contains("src"));
            assertTrue(assertThrows(NullPointerException.class, () -> k.sumOfSquares(null, 0, 0)).getMessage().contains("src"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> k.allFinite(a, 0, -1)).getMessage().contains("n"));
            assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> k.allFinite(a, 4, 5)).getMessage().contains("src"));
            assertTrue(assertThrows(NullPointerException.class, () -> k.allFinite(null, 0, 0)).getMessage().contains("src"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> k.sgdStep(a, 0, a, 0, 1f, 0f, -1)).getMessage().contains("n"));
            assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> k.sgdStep(a, 4, new float[8], 0, 1f, 0f, 5)).getMessage().contains("w"));
            assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> k.sgdStep(new float[8], 0, a, 6, 1f, 0f, 3)).getMessage().contains("g"));
            assertEquals(0.0, k.sumOfSquares(a, 8, 0));
        }
    }

    static double[] summary(Reductions k, Input in) {
        double[] out = new double[Reductions.SUMMARY_LENGTH + 2];
        out[0] = -5; // guard before the offset
        out[out.length - 1] = -5; // guard after
        k.summarize(in.data, in.off, in.n, out, 1);
        assertEquals(-5.0, out[0], k.name() + " wrote before the summary");
        assertEquals(-5.0, out[out.length - 1], k.name() + " wrote after the summary");
        return java.util.Arrays.copyOfRange(out, 1, 1 + Reductions.SUMMARY_LENGTH);
    }

    @Test
    void summariesAgreeBitForBitOnEveryPathAndWidth() {
        check("summarize SIMD == scalar", () -> qt(300).forAll(inputs(true)).checkAssert(in -> {
            double[] want = summary(all.get(0), in);
            for (Reductions k : all) {
                double[] got = summary(k, in);
                for (int f = 0; f < want.length; f++) {
                    if (Double.doubleToLongBits(want[f]) != Double.doubleToLongBits(got[f])) {
                        fail(k.name() + " " + in + " figure " + f + ": " + got[f] + " != scalar " + want[f]);
                    }
                }
            }
        }));
    }

    @Test
    void summariesAreExactExceptForTheBoundedSum() {
        check("summarize accuracy", () -> qt(300).forAll(inputs(true)).checkAssert(in -> {
            boolean nan = false;
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0, magnitudes = 0;
            long zeros = 0, nonPositive = 0;
            for (int i = in.off; i < in.off + in.n; i++) {
                float e = in.data[i];
                nan |= Float.isNaN(e);
                if (Float.isNaN(e)) continue;
                min = Math.min(min, e);
                max = Math.max(max, e);
                sum += e;
                magnitudes += Math.abs(e);
                if (e == 0f) zeros++;
                if (e <= 0f) nonPositive++;
            }
            for (Reductions k : all) {
                double[] got = summary(k, in);
                String where = k.name() + " " + in;
                assertEquals((double) zeros, got[Reductions.SUMMARY_ZEROS], where + " zeros");
                assertEquals((double) nonPositive, got[Reductions.SUMMARY_NONPOSITIVE], where + " non-positive");
                if (nan) {
                    assertTrue(Double.isNaN(got[Reductions.SUMMARY_MIN]), where + " min with NaN");
                    assertTrue(Double.isNaN(got[Reductions.SUMMARY_MAX]), where + " max with NaN");
                    assertTrue(Double.isNaN(got[Reductions.SUMMARY_SUM]), where + " sum with NaN");
                    continue;
                }
                // the sign of a zero extreme is not tracked: +0.0 (adding +0.0 turns -0.0 into +0.0)
                assertEquals(min + 0.0, got[Reductions.SUMMARY_MIN], where + " min");
                assertEquals(max + 0.0, got[Reductions.SUMMARY_MAX], where + " max");
                double s = got[Reductions.SUMMARY_SUM];
                if (Double.isFinite(magnitudes) && Double.isFinite(sum)) {
                    assertTrue(Math.abs(s - sum) <= BOUND * magnitudes, where + " sum " + s + " vs exact " + sum);
                } else if (!Double.isNaN(sum)) {
                    assertEquals(sum, s, where + " infinite sum");
                }
            }
        }));
    }

    @Test
    void badSummaryArgumentsAreNamedAndWriteNothing() {
        for (Reductions k : all) {
            float[] a = new float[8];
            double[] out = {7, 7, 7, 7, 7};
            assertTrue(assertThrows(NullPointerException.class, () -> k.summarize(a, 0, 8, null, 0)).getMessage().contains("summary"));
            assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> k.summarize(a, 0, 8, out, 1)).getMessage().contains("summary"));
            assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> k.summarize(a, 0, 8, out, -1)).getMessage().contains("summary"));
            assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> k.summarize(a, 2, 7, out, 0)).getMessage().contains("src"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> k.summarize(a, 0, -1, out, 0)).getMessage().contains("n"));
            assertTrue(java.util.Arrays.equals(new double[] {7, 7, 7, 7, 7}, out), k.name() + " wrote on a bad call");
            k.summarize(a, 8, 0, out, 0);
            assertTrue(java.util.Arrays.equals(new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 0, 0}, out));
        }
    }
}
