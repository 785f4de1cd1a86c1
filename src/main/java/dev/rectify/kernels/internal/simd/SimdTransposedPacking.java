package dev.rectify.kernels.internal.simd;

import dev.rectify.kernels.internal.GemmPacking;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Not API. Packing of the operands stored transposed, in registers. Full-width panels of a B stored transposed (each
 * of the panel's columns kc contiguous floats): a block of L columns times L k steps is loaded as L vectors and
 * turned into L panel rows in log2(L) butterfly stages. A stage pairs rows d apart and exchanges the lanes whose bit
 * d differs, with one rearrange and three blends per pair. Element by element the packing was a gather of one float
 * per column per k step; the backward pass's dY W^T packs all of W that way. Full five-row panels of an A stored
 * transposed (each k step's five rows contiguous): L k steps of a panel are 5 L contiguous floats, five vectors,
 * each blended from the loads of the (up to four) k steps it holds, every load shifted so that its lanes land in
 * place; five floats per k step, the panel took one store per float or, as vectors, one split store per k step
 * (figures in docs/design.md). The values are copied exactly. One class per width, each on its constant species:
 * C2 specializes vector code only on a constant species, and only the kernel's own width is ever used.
 */
final class SimdTransposedPacking {
    private SimdTransposedPacking() {
    }

    /** Lane l of the result takes lane l ^ d. */
    static VectorShuffle<Float> swap(VectorSpecies<Float> s, int d) {
        return VectorShuffle.fromOp(s, l -> l ^ d);
    }

    /** The lanes whose bit d is set. */
    static VectorMask<Float> upper(VectorSpecies<Float> s, int d) {
        long bits = 0;
        for (int l = 0; l < s.length(); l++) {
            if ((l & d) != 0) {
                bits |= 1L << l;
            }
        }
        return VectorMask.fromLong(s, bits);
    }

    /**
     * The lanes of vector j of a five-row panel's L k steps (5 L floats) that hold k step qq: lane l holds float
     * L j + l, row (L j + l) mod 5 of k step (L j + l) / 5.
     */
    static VectorMask<Float> stepLanes(VectorSpecies<Float> s, int j, int qq) {
        long bits = 0;
        for (int l = 0; l < s.length(); l++) {
            if ((s.length() * j + l) / 5 == qq) {
                bits |= 1L << l;
            }
        }
        return VectorMask.fromLong(s, bits);
    }

    /** 16 lanes (the 512-bit kernel): two 16 x 16 blocks per 16 k steps. */
    static final class Lanes16 {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
        private static final VectorShuffle<Float> X8 = swap(S, 8), X4 = swap(S, 4), X2 = swap(S, 2),
                X1 = swap(S, 1);
        private static final VectorMask<Float> M8 = upper(S, 8), M4 = upper(S, 4), M2 = upper(S, 2), M1 = upper(S, 1);
        private static final VectorMask<Float> K1 = stepLanes(S, 0, 1), K2 = stepLanes(S, 0, 2), K3 = stepLanes(S, 0, 3),
                K4 = stepLanes(S, 1, 4), K5 = stepLanes(S, 1, 5), K6 = stepLanes(S, 1, 6),
                K7 = stepLanes(S, 2, 7), K8 = stepLanes(S, 2, 8), K9 = stepLanes(S, 2, 9),
                K10 = stepLanes(S, 3, 10), K11 = stepLanes(S, 3, 11), K12 = stepLanes(S, 3, 12),
                K13 = stepLanes(S, 4, 13), K14 = stepLanes(S, 4, 14), K15 = stepLanes(S, 4, 15);

        private Lanes16() {
        }

        static void packColumns(float[] b, int src, int csB, int kc, float[] pb, int base) {
            int q = 0;
            for (; q <= kc - 16; q += 16) {
                transposeStep(b, src + q, csB, pb, base + q * 32);
            }
            GemmPacking.copyColumns(b, src + q, csB, kc - q, pb, base + q * 32, 32, 32);
        }

        /**
         * 16 k steps of a panel: columns src, src + csB, ... (32 of them, 16 k steps each) as 16 rows of 32 floats from
         * pb[base], in 16 x 16 blocks. A method of its own, called for every 16 k steps, so that the JIT compiles it
         * after a few products instead of running its slow first-tier code for seconds (docs/design.md).
         */
        private static void transposeStep(float[] b, int src, int csB, float[] pb, int base) {
            for (int jb = 0; jb < 32; jb += 16) {
                final int s = src + jb * csB, d = base + jb;
                FloatVector r0 = FloatVector.fromArray(S, b, s), r1 = FloatVector.fromArray(S, b, s + csB),
                        r2 = FloatVector.fromArray(S, b, s + 2 * csB), r3 = FloatVector.fromArray(S, b, s + 3 * csB),
                        r4 = FloatVector.fromArray(S, b, s + 4 * csB), r5 = FloatVector.fromArray(S, b, s + 5 * csB),
                        r6 = FloatVector.fromArray(S, b, s + 6 * csB), r7 = FloatVector.fromArray(S, b, s + 7 * csB),
                        r8 = FloatVector.fromArray(S, b, s + 8 * csB), r9 = FloatVector.fromArray(S, b, s + 9 * csB),
                        r10 = FloatVector.fromArray(S, b, s + 10 * csB), r11 = FloatVector.fromArray(S, b, s + 11 * csB),
                        r12 = FloatVector.fromArray(S, b, s + 12 * csB), r13 = FloatVector.fromArray(S, b, s + 13 * csB),
                        r14 = FloatVector.fromArray(S, b, s + 14 * csB), r15 = FloatVector.fromArray(S, b, s + 15 * csB);
                FloatVector u, t;
                u = r8.blend(r0, M8).rearrange(X8); t = r0.blend(u, M8); r8 = u.blend(r8, M8); r0 = t;
                u = r9.blend(r1, M8).rearrange(X8); t = r1.blend(u, M8); r9 = u.blend(r9, M8); r1 = t;
                u = r10.blend(r2, M8).rearrange(X8); t = r2.blend(u, M8); r10 = u.blend(r10, M8); r2 = t;
                u = r11.blend(r3, M8).rearrange(X8); t = r3.blend(u, M8); r11 = u.blend(r11, M8); r3 = t;
                u = r12.blend(r4, M8).rearrange(X8); t = r4.blend(u, M8); r12 = u.blend(r12, M8); r4 = t;
                u = r13.blend(r5, M8).rearrange(X8); t = r5.blend(u, M8); r13 = u.blend(r13, M8); r5 = t;
                u = r14.blend(r6, M8).rearrange(X8); t = r6.blend(u, M8); r14 = u.blend(r14, M8); r6 = t;
                u = r15.blend(r7, M8).rearrange(X8); t = r7.blend(u, M8); r15 = u.blend(r15, M8); r7 = t;
                u = r4.blend(r0, M4).rearrange(X4); t = r0.blend(u, M4); r4 = u.blend(r4, M4); r0 = t;
                u = r5.blend(r1, M4).rearrange(X4); t = r1.blend(u, M4); r5 = u.blend(r5, M4); r1 = t;
                u = r6.blend(r2, M4).rearrange(X4); t = r2.blend(u, M4); r6 = u.blend(r6, M4); r2 = t;
                u = r7.blend(r3, M4).rearrange(X4); t = r3.blend(u, M4); r7 = u.blend(r7, M4); r3 = t;
                u = r12.blend(r8, M4).rearrange(X4); t = r8.blend(u, M4); r12 = u.blend(r12, M4); r8 = t;
                u = r13.blend(r9, M4).rearrange(X4); t = r9.blend(u, M4); r13 = u.blend(r13, M4); r9 = t;
                u = r14.blend(r10, M4).rearrange(X4); t = r10.blend(u, M4); r14 = u.blend(r14, M4); r10 = t;
                u = r15.blend(r11, M4).rearrange(X4); t = r11.blend(u, M4); r15 = u.blend(r15, M4); r11 = t;
                u = r2.blend(r0, M2).rearrange(X2); t = r0.blend(u, M2); r2 = u.blend(r2, M2); r0 = t;
                u = r3.blend(r1, M2).rearrange(X2); t = r1.blend(u, M2); r3 = u.blend(r3, M2); r1 = t;
                u = r6.blend(r4, M2).rearrange(X2); t = r4.blend(u, M2); r6 = u.blend(r6, M2); r4 = t;
                u = r7.blend(r5, M2).rearrange(X2); t = r5.blend(u, M2); r7 = u.blend(r7, M2); r5 = t;
                u = r10.blend(r8, M2).rearrange(X2); t = r8.blend(u, M2); r10 = u.blend(r10, M2); r8 = t;
                u = r11.blend(r9, M2).rearrange(X2); t = r9.blend(u, M2); r11 = u.blend(r11, M2); r9 = t;
                u = r14.blend(r12, M2).rearrange(X2); t = r12.blend(u, M2); r14 = u.blend(r14, M2); r12 = t;
                u = r15.blend(r13, M2).rearrange(X2); t = r13.blend(u, M2); r15 = u.blend(r15, M2); r13 = t;
                u = r1.blend(r0, M1).rearrange(X1); t = r0.blend(u, M1); r1 = u.blend(r1, M1); r0 = t;
                u = r3.blend(r2, M1).rearrange(X1); t = r2.blend(u, M1); r3 = u.blend(r3, M1); r2 = t;
                u = r5.blend(r4, M1).rearrange(X1); t = r4.blend(u, M1); r5 = u.blend(r5, M1); r4 = t;
                u = r7.blend(r6, M1).rearrange(X1); t = r6.blend(u, M1); r7 = u.blend(r7, M1); r6 = t;
                u = r9.blend(r8, M1).rearrange(X1); t = r8.blend(u, M1); r9 = u.blend(r9, M1); r8 = t;
                u = r11.blend(r10, M1).rearrange(X1); t = r10.blend(u, M1); r11 = u.blend(r11, M1); r10 = t;
                u = r13.blend(r12, M1).rearrange(X1); t = r12.blend(u, M1); r13 = u.blend(r13, M1); r12 = t;
                u = r15.blend(r14, M1).rearrange(X1); t = r14.blend(u, M1); r15 = u.blend(r15, M1); r14 = t;
                r0.intoArray(pb, d); r1.intoArray(pb, d + 32); r2.intoArray(pb, d + 64); r3.intoArray(pb, d + 96);
                r4.intoArray(pb, d + 128); r5.intoArray(pb, d + 160); r6.intoArray(pb, d + 192); r7.intoArray(pb, d + 224);
                r8.intoArray(pb, d + 256); r9.intoArray(pb, d + 288); r10.intoArray(pb, d + 320); r11.intoArray(pb, d + 352);
                r12.intoArray(pb, d + 384); r13.intoArray(pb, d + 416); r14.intoArray(pb, d + 448); r15.intoArray(pb, d + 480);
            }
        }

        private static FloatVector at(float[] a, int i) {
            return FloatVector.fromArray(S, a, i);
        }

        /**
         * {@code panels} five-row panels of an A stored transposed, csA &gt;= 16: k step qq of vector j is loaded
         * from a[o + qq csA + 16 j - 5 qq], which stays within the panel's first and last elements.
         */
        static void packTransposedA(float[] a, int src, int csA, int kc, int panels, float[] pa, int base) {
            int q = 0;
            for (; q <= kc - 16; q += 16) {
                for (int r = 0; r < panels; r++) {
                    final int o = src + q * csA + 5 * r, d = base + r * 5 * kc + 5 * q;
                    at(a, o).blend(at(a, o + csA - 5), K1).blend(at(a, o + 2 * csA - 10), K2)
                            .blend(at(a, o + 3 * csA - 15), K3).intoArray(pa, d);
                    at(a, o + 3 * csA + 1).blend(at(a, o + 4 * csA - 4), K4).blend(at(a, o + 5 * csA - 9), K5)
                            .blend(at(a, o + 6 * csA - 14), K6).intoArray(pa, d + 16);
                    at(a, o + 6 * csA + 2).blend(at(a, o + 7 * csA - 3), K7).blend(at(a, o + 8 * csA - 8), K8)
                            .blend(at(a, o + 9 * csA - 13), K9).intoArray(pa, d + 32);
                    at(a, o + 9 * csA + 3).blend(at(a, o + 10 * csA - 2), K10).blend(at(a, o + 11 * csA - 7), K11)
                            .blend(at(a, o + 12 * csA - 12), K12).intoArray(pa, d + 48);
                    at(a, o + 12 * csA + 4).blend(at(a, o + 13 * csA - 1), K13).blend(at(a, o + 14 * csA - 6), K14)
                            .blend(at(a, o + 15 * csA - 11), K15).intoArray(pa, d + 64);
                }
            }
            GemmPacking.copyTransposedPanels(a, src, csA, kc, q, panels, 5, pa, base);
        }
    }

    /** 8 lanes (the 256-bit kernel): two 8 x 8 blocks per 8 k steps. */
    static final class Lanes8 {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
        private static final VectorShuffle<Float> X4 = swap(S, 4), X2 = swap(S, 2), X1 = swap(S, 1);
        private static final VectorMask<Float> M4 = upper(S, 4), M2 = upper(S, 2), M1 = upper(S, 1);
        private static final VectorMask<Float> K1 = stepLanes(S, 0, 1), K2 = stepLanes(S, 1, 2), K3 = stepLanes(S, 1, 3),
                K4 = stepLanes(S, 2, 4), K5 = stepLanes(S, 3, 5), K6 = stepLanes(S, 3, 6), K7 = stepLanes(S, 4, 7);

        private Lanes8() {
        }

        static void packColumns(float[] b, int src, int csB, int kc, float[] pb, int base) {
            int q = 0;
            for (; q <= kc - 8; q += 8) {
                transposeStep(b, src + q, csB, pb, base + q * 16);
            }
            GemmPacking.copyColumns(b, src + q, csB, kc - q, pb, base + q * 16, 16, 16);
        }

        /**
         * 8 k steps of a panel: columns src, src + csB, ... (16 of them, 8 k steps each) as 8 rows of 16 floats from
         * pb[base], in 8 x 8 blocks. A method of its own, called for every 8 k steps, so that the JIT compiles it
         * after a few products instead of running its slow first-tier code for seconds (docs/design.md).
         */
        private static void transposeStep(float[] b, int src, int csB, float[] pb, int base) {
            for (int jb = 0; jb < 16; jb += 8) {
                final int s = src + jb * csB, d = base + jb;
                FloatVector r0 = FloatVector.fromArray(S, b, s), r1 = FloatVector.fromArray(S, b, s + csB),
                        r2 = FloatVector.fromArray(S, b, s + 2 * csB), r3 = FloatVector.fromArray(S, b, s + 3 * csB),
                        r4 = FloatVector.fromArray(S, b, s + 4 * csB), r5 = FloatVector.fromArray(S, b, s + 5 * csB),
                        r6 = FloatVector.fromArray(S, b, s + 6 * csB), r7 = FloatVector.fromArray(S, b, s + 7 * csB);
                FloatVector u, t;
                u = r4.blend(r0, M4).rearrange(X4); t = r0.blend(u, M4); r4 = u.blend(r4, M4); r0 = t;
                u = r5.blend(r1, M4).rearrange(X4); t = r1.blend(u, M4); r5 = u.blend(r5, M4); r1 = t;
                u = r6.blend(r2, M4).rearrange(X4); t = r2.blend(u, M4); r6 = u.blend(r6, M4); r2 = t;
                u = r7.blend(r3, M4).rearrange(X4); t = r3.blend(u, M4); r7 = u.blend(r7, M4); r3 = t;
                u = r2.blend(r0, M2).rearrange(X2); t = r0.blend(u, M2); r2 = u.blend(r2, M2); r0 = t;
                u = r3.blend(r1, M2).rearrange(X2); t = r1.blend(u, M2); r3 = u.blend(r3, M2); r1 = t;
                u = r6.blend(r4, M2).rearrange(X2); t = r4.blend(u, M2); r6 = u.blend(r6, M2); r4 = t;
                u = r7.blend(r5, M2).rearrange(X2); t = r5.blend(u, M2); r7 = u.blend(r7, M2); r5 = t;
                u = r1.blend(r0, M1).rearrange(X1); t = r0.blend(u, M1); r1 = u.blend(r1, M1); r0 = t;
                u = r3.blend(r2, M1).rearrange(X1); t = r2.blend(u, M1); r3 = u.blend(r3, M1); r2 = t;
                u = r5.blend(r4, M1).rearrange(X1); t = r4.blend(u, M1); r5 = u.blend(r5, M1); r4 = t;
                u = r7.blend(r6, M1).rearrange(X1); t = r6.blend(u, M1); r7 = u.blend(r7, M1); r6 = t;
                r0.intoArray(pb, d); r1.intoArray(pb, d + 16); r2.intoArray(pb, d + 32); r3.intoArray(pb, d + 48);
                r4.intoArray(pb, d + 64); r5.intoArray(pb, d + 80); r6.intoArray(pb, d + 96); r7.intoArray(pb, d + 112);
            }
        }

        private static FloatVector at(float[] a, int i) {
            return FloatVector.fromArray(S, a, i);
        }

        /**
         * {@code panels} five-row panels of an A stored transposed, csA &gt;= 8: k step qq of vector j is loaded
         * from a[o + qq csA + 8 j - 5 qq], which stays within the panel's first and last elements.
         */
        static void packTransposedA(float[] a, int src, int csA, int kc, int panels, float[] pa, int base) {
            int q = 0;
            for (; q <= kc - 8; q += 8) {
                for (int r = 0; r < panels; r++) {
                    final int o = src + q * csA + 5 * r, d = base + r * 5 * kc + 5 * q;
                    at(a, o).blend(at(a, o + csA - 5), K1).intoArray(pa, d);
                    at(a, o + csA + 3).blend(at(a, o + 2 * csA - 2), K2).blend(at(a, o + 3 * csA - 7), K3)
                            .intoArray(pa, d + 8);
                    at(a, o + 3 * csA + 1).blend(at(a, o + 4 * csA - 4), K4).intoArray(pa, d + 16);
                    at(a, o + 4 * csA + 4).blend(at(a, o + 5 * csA - 1), K5).blend(at(a, o + 6 * csA - 6), K6)
                            .intoArray(pa, d + 24);
                    at(a, o + 6 * csA + 2).blend(at(a, o + 7 * csA - 3), K7).intoArray(pa, d + 32);
                }
            }
            GemmPacking.copyTransposedPanels(a, src, csA, kc, q, panels, 5, pa, base);
        }
    }
}
