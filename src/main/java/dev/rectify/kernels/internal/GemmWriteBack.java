package dev.rectify.kernels.internal;

/**
 * Not API. The element-wise write-back of a tile of sums into C with the whole epilogue, the reference every
 * micro-kernel's write-back follows (the SIMD path does the same lane-wise for full tiles):
 * {@code C = alpha acc} (first k block, beta 0), {@code fma(alpha, acc, beta C)} (first block) or
 * {@code fma(alpha, acc, C)} (later blocks); on the last block then bias, Z, the ever-active mask and the
 * activation, in that order. The activation runs through the path's {@link ActivationSupport}.
 */
public final class GemmWriteBack {
    private GemmWriteBack() {}

    /** A tile of sums acc[r * accLd + j] to executed rows i0 .. i0+mr and columns j0 .. j0+nr of C. */
    public static void writeBack(GemmProblem p, float[] acc, int accLd, int i0, int j0, int mr, int nr,
                                 boolean first, boolean last) {
        final float alpha = p.alpha, beta = p.beta;
        final float[] c = p.c;
        final int rsC = p.rsC, csC = p.csC, cOff = p.cOff;
        if (!(last && p.epilogue)) {
            for (int r = 0; r < mr; r++) {
                final int row = cOff + (i0 + r) * rsC + j0 * csC, a0 = r * accLd;
                for (int j = 0; j < nr; j++) {
                    int idx = row + j * csC;
                    float s = acc[a0 + j];
                    c[idx] = !first ? Math.fma(alpha, s, c[idx]) : beta == 0f ? alpha * s : Math.fma(alpha, s, beta * c[idx]);
                }
            }
            return;
        }
        final float[] bias = p.bias, z = p.z;
        final boolean[] everActive = p.everActive;
        for (int r = 0; r < mr; r++) {
            int i = i0 + r;
            for (int j = 0; j < nr; j++) {
                int jj = j0 + j;
                int idx = cOff + i * rsC + jj * csC;
                float s = acc[r * accLd + j];
                float v = !first ? Math.fma(alpha, s, c[idx]) : beta == 0f ? alpha * s : Math.fma(alpha, s, beta * c[idx]);
                if (bias != null) v += bias[p.biasOff + i * p.biasRs + jj * p.biasCs];
                if (z != null) z[p.zOff + i * p.rsZ + jj * p.csZ] = v;
                if (everActive != null && v > 0f) everActive[p.eaOff + i * p.eaRs + jj * p.eaCs] = true;
                c[idx] = v;
            }
        }
        // The activation once per contiguous run of C (a row, or a column of a transposed execution) instead of
        // once per element: the same element-wise function, so the same bits, without a dispatch per element.
        if (p.activation != null) {
            if (csC == 1) {
                for (int r = 0; r < mr; r++) {
                    int idx = cOff + (i0 + r) * rsC + j0;
                    p.activations.forward(p.activation, c, idx, c, idx, nr);
                }
            } else { // a transposed execution: rsC == 1
                for (int j = 0; j < nr; j++) {
                    int idx = cOff + i0 + (j0 + j) * csC;
                    p.activations.forward(p.activation, c, idx, c, idx, mr);
                }
            }
        }
    }
}
