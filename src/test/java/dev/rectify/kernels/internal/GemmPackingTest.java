package dev.rectify.kernels.internal;

import dev.rectify.kernels.internal.scalar.ScalarSupport;
import dev.rectify.kernels.internal.simd.SimdSupport;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packing on its own (GemmPacking), against the documented panel layout: A[ic .. ic+mc, pc .. pc+kc) becomes MR-row panels
 * (panel r holds, for each k step, MR values), B[pc .. pc+kc, jc .. jc+nc) NR-column panels from an offset; short
 * edge panels are padded with +0.0. Every path's tile sizes (scalar 4 x 4, SIMD 5 x 2 vectors), both storage
 * orders, offsets and leading dimensions wider than a row; the destination starts as NaN so a missed store shows.
 */
class GemmPackingTest {
    static final List<MicroKernel> KERNELS = List.of(ScalarSupport.path().microKernel(), SimdSupport.path(256).microKernel(),
            SimdSupport.path(512).microKernel());

    static float[] random(int n, SplittableRandom r) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    static GemmProblem problem(boolean transA, boolean transB, int m, int n, int k, int nr, SplittableRandom r) {
        int lda = (transA ? m : k) + r.nextInt(3), ldb = (transB ? k : n) + r.nextInt(3);
        int aOff = r.nextInt(4), bOff = r.nextInt(4);
        float[] a = random(aOff + lda * (transA ? k : m), r), b = random(bOff + ldb * (transB ? n : k), r);
        return new GemmProblem().set(transA, transB, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, 0f, new float[m * n], 0, n, false,
                null, 0, true, null, null, 0, 0, null, 0, ScalarSupport.path().activations(), nr);
    }

    static float b(GemmProblem p, int q, int j) {
        return p.b[p.bOff + q * p.rsB + j * p.csB];
    }

    @Test
    void aPanelsHoldMrRowsPerKStepPaddedWithZeros() {
        SplittableRandom r = new SplittableRandom(7);
        for (MicroKernel g : KERNELS) {
            for (int trial = 0; trial < 60; trial++) {
                boolean transA = r.nextBoolean();
                int m = 1 + r.nextInt(70), k = 1 + r.nextInt(53), n = 16 + r.nextInt(20); // n >= 16: executed as given
                GemmProblem p = problem(transA, r.nextBoolean(), m, n, k, g.nr(), r);
                int ic = r.nextInt(m), mc = 1 + r.nextInt(m - ic), pc = r.nextInt(k), kc = 1 + r.nextInt(k - pc);
                float[] pa = new float[GemmBlocking.roundUp(mc, g.mr()) * kc];
                Arrays.fill(pa, Float.NaN);
                GemmPacking.packA(p, g, ic, mc, pc, kc, pa);
                for (int ir = 0; ir < mc; ir += g.mr()) {
                    for (int q = 0; q < kc; q++) {
                        for (int row = 0; row < g.mr(); row++) {
                            float want = ir + row < mc ? p.a(ic + ir + row, pc + q) : 0f;
                            float got = pa[ir * kc + q * g.mr() + row];
                            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got), g.name() + " transA " + transA
                                    + " mc " + mc + " kc " + kc + ": panel " + ir / g.mr() + ", k step " + q + ", row " + row);
                        }
                    }
                }
            }
        }
    }

    @Test
    void bPanelsHoldNrColumnsPerKStepFromTheirOffsetPaddedWithZeros() {
        SplittableRandom r = new SplittableRandom(8);
        for (MicroKernel g : KERNELS) {
            for (int trial = 0; trial < 60; trial++) {
                boolean transB = r.nextBoolean();
                int m = 1 + r.nextInt(70), k = 1 + r.nextInt(53), n = 16 + r.nextInt(60);
                GemmProblem p = problem(false, transB, m, n, k, g.nr(), r);
                n = p.n; // the executed B: a few rows times a transposed B run transposed
                int jc = r.nextInt(n), nc = 1 + r.nextInt(n - jc), pc = r.nextInt(k), kc = 1 + r.nextInt(k - pc);
                int pbOff = r.nextInt(5);
                float[] pb = new float[pbOff + GemmBlocking.roundUp(nc, g.nr()) * kc + 3];
                Arrays.fill(pb, Float.NaN);
                GemmPacking.packB(p, g, pc, kc, jc, nc, pb, pbOff);
                for (int jr = 0; jr < nc; jr += g.nr()) {
                    for (int q = 0; q < kc; q++) {
                        for (int col = 0; col < g.nr(); col++) {
                            float want = jr + col < nc ? b(p, pc + q, jc + jr + col) : 0f;
                            float got = pb[pbOff + jr * kc + q * g.nr() + col];
                            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got), g.name() + " transB " + transB
                                    + " nc " + nc + " kc " + kc + ": panel " + jr / g.nr() + ", k step " + q + ", column " + col);
                        }
                    }
                }
                for (int i = 0; i < pbOff; i++) assertTrue(Float.isNaN(pb[i]), "nothing written before the offset");
                assertTrue(Float.isNaN(pb[pb.length - 1]), "nothing written past the panels");
            }
        }
    }

    /**
     * A full panel of a B stored transposed, as the kernels' own packing writes it (the SIMD kernels transpose
     * square blocks in registers): every depth from 1 to past three blocks, so whole blocks and every tail show.
     */
    @Test
    void transposedBPanelsHoldNrColumnsPerKStepAtEveryDepth() {
        SplittableRandom r = new SplittableRandom(9);
        for (MicroKernel g : KERNELS) {
            int nr = g.nr();
            for (int kc = 1; kc <= 3 * nr + 3; kc++) {
                int csB = kc + r.nextInt(4), src = r.nextInt(5), base = r.nextInt(5);
                float[] b = random(src + nr * csB, r);
                float[] pb = new float[base + kc * nr + 3];
                Arrays.fill(pb, Float.NaN);
                g.packColumnsOfB(b, src, csB, kc, pb, base);
                for (int q = 0; q < kc; q++) {
                    for (int j = 0; j < nr; j++) {
                        assertEquals(Float.floatToRawIntBits(b[src + j * csB + q]), Float.floatToRawIntBits(pb[base + q * nr + j]),
                                g.name() + " kc " + kc + " csB " + csB + ": k step " + q + ", column " + j);
                    }
                }
                for (int i = 0; i < base; i++) assertTrue(Float.isNaN(pb[i]), "nothing written before the panel");
                for (int i = base + kc * nr; i < pb.length; i++) assertTrue(Float.isNaN(pb[i]), "nothing written past the panel");
            }
        }
    }

    /**
     * Full panels of an A stored transposed, as the kernels' own packing writes them (the SIMD kernels blend shifted
     * loads): every depth from 1 to past three L-step blocks, one to four panels, the k stride from the panels' width
     * up; A ends at the last element the panels use, so a load past it throws.
     */
    @Test
    void transposedAPanelsHoldMrRowsPerKStepAtEveryDepth() {
        SplittableRandom r = new SplittableRandom(10);
        for (MicroKernel g : KERNELS) {
            int mr = g.mr();
            for (int kc = 1; kc <= 3 * 16 + 3; kc++) {
                int panels = 1 + r.nextInt(4), csA = panels * mr + r.nextInt(20), src = r.nextInt(5), base = r.nextInt(5);
                float[] a = random(src + (kc - 1) * csA + panels * mr, r);
                float[] pa = new float[base + panels * mr * kc + 3];
                Arrays.fill(pa, Float.NaN);
                g.packPanelsOfTransposedA(a, src, csA, kc, panels, pa, base);
                for (int p = 0; p < panels; p++) {
                    for (int q = 0; q < kc; q++) {
                        for (int i = 0; i < mr; i++) {
                            assertEquals(Float.floatToRawIntBits(a[src + p * mr + i + q * csA]),
                                    Float.floatToRawIntBits(pa[base + p * mr * kc + q * mr + i]),
                                    g.name() + " kc " + kc + " csA " + csA + ": panel " + p + ", k step " + q + ", row " + i);
                        }
                    }
                }
                for (int i = 0; i < base; i++) assertTrue(Float.isNaN(pa[i]), "nothing written before the panels");
                for (int i = base + panels * mr * kc; i < pa.length; i++) assertTrue(Float.isNaN(pa[i]), "nothing written past the panels");
            }
        }
    }
}
