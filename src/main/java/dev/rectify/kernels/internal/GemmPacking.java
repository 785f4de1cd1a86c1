package dev.rectify.kernels.internal;

/**
 * Not API. BLIS's packing routines: a block of A into MR-row micro-panels and a block of B into NR-column
 * micro-panels, each zero padded to full panels so that edge tiles run the same micro-kernel. Packing copies
 * values exactly; it never changes the bits, only where they are read from. Tested on its own against the
 * panel layout (GemmPackingTest).
 */
public final class GemmPacking {
    private GemmPacking() {}

    /**
     * A[ic .. ic+mc, pc .. pc+kc) into the MR-row panels of {@code kernel}: panel r holds, for each p, MR values; zero
     * padded. Full panels of an A stored transposed are copied by the micro-kernel's own
     * {@code packPanelsOfTransposedA}.
     */
    public static void packA(GemmProblem p, MicroKernel kernel, int ic, int mc, int pc, int kc, float[] pa) {
        final int mr = kernel.mr(), full = mc / mr * mr;
        final int src = p.aOff + ic * p.rsA + pc * p.csA;
        if (p.csA == 1) {
            for (int ir = 0; ir < full; ir += mr) {
                if (mr == 5) {
                    packPanel5(p.a, src + ir * p.rsA, p.rsA, kc, pa, ir * kc);
                } else {
                    copyRowsOfA(p.a, src + ir * p.rsA, p.rsA, kc, mr, pa, ir * kc, mr);
                }
            }
        } else if (full > 0) {
            // Not row by row: then one of rsA, csA is 1 (GemmProblem), so here each k step's rows are contiguous.
            kernel.packPanelsOfTransposedA(p.a, src, p.csA, kc, full / mr, pa, 0);
        }
        if (full < mc) {
            final int rows = mc - full, base = full * kc, s = src + full * p.rsA;
            if (p.csA == 1) {
                copyRowsOfA(p.a, s, p.rsA, kc, rows, pa, base, mr);
            } else {
                copyTransposedRows(p.a, s, p.csA, kc, rows, pa, base, mr);
            }
            for (int q = 0; q < kc; q++) {
                for (int r = rows; r < mr; r++) {
                    pa[base + q * mr + r] = 0f;
                }
            }
        }
    }

    /** {@code rows} rows of A of kc contiguous floats, from a[src + r rsA] to pa[base + q stride + r]. */
    private static void copyRowsOfA(float[] a, int src, int rsA, int kc, int rows, float[] pa, int base, int stride) {
        for (int r = 0; r < rows; r++) {
            final int s = src + r * rsA;
            for (int q = 0; q < kc; q++) {
                pa[base + q * stride + r] = a[s + q];
            }
        }
    }

    /**
     * {@code rows} rows of an A stored transposed (each k step's rows contiguous), from a[src + q csA + r] to
     * pa[base + q stride + r].
     */
    public static void copyTransposedRows(float[] a, int src, int csA, int kc, int rows, float[] pa, int base, int stride) {
        for (int q = 0, s = src, d = base; q < kc; q++, s += csA, d += stride) {
            for (int r = 0; r < rows; r++) {
                pa[d + r] = a[s + r];
            }
        }
    }

    /**
     * K steps q0 .. kc of {@code panels} full mr-row panels of an A stored transposed, float by float: row i of panel r
     * at k step q, a[src + r mr + i + q csA], to pa[base + r mr kc + q mr + i].
     */
    public static void copyTransposedPanels(float[] a, int src, int csA, int kc, int q0, int panels, int mr, float[] pa,
                                            int base) {
        for (int r = 0; r < panels && q0 < kc; r++) {
            copyTransposedRows(a, src + r * mr + q0 * csA, csA, kc - q0, mr, pa, base + r * mr * kc + q0 * mr, mr);
        }
    }

    /**
     * A full panel of five contiguous rows (the SIMD micro-kernel's MR): five source streams written as one
     * sequential stream; the generic loop is bound by loop overhead on rows of five (figures in docs/design.md).
     * The source indices are the loop variable plus invariants, so C2 hoists their bounds checks, and the rows
     * are copied four k steps at a time.
     */
    private static void packPanel5(float[] a, int src, int rsA, int kc, float[] pa, int base) {
        final int s0 = src, s1 = src + rsA, s2 = src + 2 * rsA, s3 = src + 3 * rsA, s4 = src + 4 * rsA;
        int q = 0, d = base;
        for (; q + 4 <= kc; q += 4, d += 20) {
            float a00 = a[s0 + q], a01 = a[s0 + q + 1], a02 = a[s0 + q + 2], a03 = a[s0 + q + 3];
            float a10 = a[s1 + q], a11 = a[s1 + q + 1], a12 = a[s1 + q + 2], a13 = a[s1 + q + 3];
            float a20 = a[s2 + q], a21 = a[s2 + q + 1], a22 = a[s2 + q + 2], a23 = a[s2 + q + 3];
            float a30 = a[s3 + q], a31 = a[s3 + q + 1], a32 = a[s3 + q + 2], a33 = a[s3 + q + 3];
            float a40 = a[s4 + q], a41 = a[s4 + q + 1], a42 = a[s4 + q + 2], a43 = a[s4 + q + 3];
            pa[d] = a00; pa[d + 1] = a10; pa[d + 2] = a20; pa[d + 3] = a30; pa[d + 4] = a40;
            pa[d + 5] = a01; pa[d + 6] = a11; pa[d + 7] = a21; pa[d + 8] = a31; pa[d + 9] = a41;
            pa[d + 10] = a02; pa[d + 11] = a12; pa[d + 12] = a22; pa[d + 13] = a32; pa[d + 14] = a42;
            pa[d + 15] = a03; pa[d + 16] = a13; pa[d + 17] = a23; pa[d + 18] = a33; pa[d + 19] = a43;
        }
        for (; q < kc; q++, d += 5) {
            pa[d] = a[s0 + q];
            pa[d + 1] = a[s1 + q];
            pa[d + 2] = a[s2 + q];
            pa[d + 3] = a[s3 + q];
            pa[d + 4] = a[s4 + q];
        }
    }

    /**
     * B[pc .. pc+kc, jc .. jc+nc) into NR-column panels from pb[pbOff]: panel j holds, for each p, NR values; zero
     * padded. Full panels are copied by the micro-kernel's own {@code packRowsOfB} (unit column stride) or
     * {@code packColumnsOfB} (B stored transposed).
     */
    public static void packB(GemmProblem p, MicroKernel kernel, int pc, int kc, int jc, int nc, float[] pb, int pbOff) {
        final int nr = kernel.nr();
        for (int jr = 0; jr < nc; jr += nr) {
            int base = pbOff + jr * kc, cols = Math.min(nr, nc - jr);
            int src = p.bOff + pc * p.rsB + (jc + jr) * p.csB;
            if (p.csB == 1 && cols == nr) {
                kernel.packRowsOfB(p.b, src, p.rsB, kc, pb, base);
            } else if (p.csB == 1) {
                copyRows(p.b, src, p.rsB, kc, pb, base, nr, cols);
            } else if (p.rsB == 1 && cols == nr) {
                kernel.packColumnsOfB(p.b, src, p.csB, kc, pb, base);
            } else if (p.rsB == 1) {
                copyColumns(p.b, src, p.csB, kc, pb, base, nr, cols);
            } else {
                for (int j = 0; j < cols; j++) {
                    int s = src + j * p.csB;
                    for (int q = 0; q < kc; q++) {
                        pb[base + q * nr + j] = p.b[s + q * p.rsB];
                    }
                }
            }
            if (cols < nr) {
                for (int q = 0; q < kc; q++) {
                    for (int j = cols; j < nr; j++) {
                        pb[base + q * nr + j] = 0f;
                    }
                }
            }
        }
    }

    /**
     * {@code cols} columns of kc contiguous floats (a B stored transposed), from b[src + j csB] to the panel rows
     * pb[base + q stride + j]. The panel is written in order while the columns are read as {@code cols}
     * sequential streams; column by column, each column's writes touched kc cache lines of a panel larger
     * than L1 (docs/design.md).
     */
    public static void copyColumns(float[] b, int src, int csB, int kc, float[] pb, int base, int stride, int cols) {
        for (int q = 0; q < kc; q++) {
            final int d = base + q * stride;
            for (int j = 0, s = src + q; j < cols; j++, s += csB) {
                pb[d + j] = b[s];
            }
        }
    }

    /** kc rows of {@code cols} floats, from b[src + q rsB] to pb[base + q stride]. */
    static void copyRows(float[] b, int src, int rsB, int kc, float[] pb, int base, int stride, int cols) {
        for (int q = 0; q < kc; q++) {
            System.arraycopy(b, src + q * rsB, pb, base + q * stride, cols);
        }
    }
}
