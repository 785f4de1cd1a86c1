package dev.rectify.kernels.internal.simd;

import dev.rectify.kernels.Algorithm;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.internal.GemmProblem;
import dev.rectify.kernels.internal.MicroKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Not API. The SIMD micro-kernel's lane-wise write-back of full-width tile rows of a C whose rows are contiguous, with the
 * epilogue: bias, Z and the ever-active mask lane by lane, the piecewise-linear activations in registers and the
 * others over the stored row (still in L1) through the path's activation kernels. The same bits as the reference
 * {@code GemmWriteBack}. A superclass of {@link SimdMicroKernel}, so these are final methods of the one per-width
 * class (see {@link SimdLoops}).
 */
abstract class SimdTileWriteBack extends SimdLoops implements MicroKernel {
    /** Micro-tile rows: 5 x (2 vectors), 10 accumulators (why not 6: docs/design.md). */
    static final int MR = 5;

    final int lanes, nr;
    final SimdActivations activations;

    SimdTileWriteBack(int lanes, SimdActivations activations) {
        this.lanes = lanes;
        this.nr = 2 * lanes;
        this.activations = activations;
    }

    /**
     * {@code rows} rows of {@code width} sums (a multiple of the lanes; rows {@code width} apart in t) to a C whose
     * rows are contiguous (csC == 1), lane-wise, with the epilogue.
     */
    final void writeBackFull(GemmProblem p, float[] t, int rows, int width, int i0, int j0, boolean first, boolean last) {
        final VectorSpecies<Float> sp = species();
        final float[] c = p.c;
        final boolean epi = last && p.epilogue;
        final Eltwise act = epi ? p.activation : null;
        final boolean inRegisters = act == null || fusable(act.algorithm());
        final FloatVector alpha = FloatVector.fromArray(sp, t, 0).broadcast(p.alpha);
        for (int r = 0; r < rows; r++) {
            final int i = i0 + r, row = p.cOff + i * p.rsC + j0;
            for (int h = 0; h < width; h += lanes) {
                FloatVector s = FloatVector.fromArray(sp, t, r * width + h);
                FloatVector v;
                if (!first) {
                    v = s.fma(alpha, FloatVector.fromArray(sp, c, row + h));
                } else if (p.beta == 0f) {
                    v = s.mul(p.alpha);
                } else {
                    v = s.fma(alpha, FloatVector.fromArray(sp, c, row + h).mul(p.beta));
                }
                if (epi) {
                    v = epilogue(p, v, t, r * width + h, i, j0 + h, act, inRegisters);
                }
                v.intoArray(c, row + h);
            }
            if (epi && !inRegisters) {
                activations.forward(act, c, row, c, row, width);
            }
        }
    }

    /** {@code slot} is v's place in the tile buffer t, already consumed: scratch for the ever-active scan. */
    private FloatVector epilogue(GemmProblem p, FloatVector v, float[] t, int slot, int i, int j, Eltwise act,
                                 boolean inRegisters) {
        if (p.bias != null) {
            v = v.add(p.biasRs == 0
                    ? FloatVector.fromArray(species(), p.bias, p.biasOff + j)
                    : v.broadcast(p.bias[p.biasOff + i]));
        }
        if (p.z != null) {
            v.intoArray(p.z, p.zOff + i * p.rsZ + j);
        }
        if (p.everActive != null && v.compare(VectorOperators.GT, 0f).anyTrue()) {
            // The mask only feeds anyTrue: VectorMask.toLong is not intrinsic on JDK 17, and handing the mask
            // to it boxed one mask per vector (5.6 MB per MNIST epoch). The lanes are scanned from memory.
            v.intoArray(t, slot);
            boolean[] ea = p.everActive;
            int at = p.eaOff + j;
            for (int lane = 0, n = species().length(); lane < n; lane++) {
                ea[at + lane] |= t[slot + lane] > 0f; // no branch: a sign test per lane mispredicts half the time
            }
        }
        if (act != null && inRegisters) {
            v = SimdReluFamily.piecewiseLinear(act, v);
        }
        return v;
    }

    /** Activations applied lane-wise inside the write-back; the others run over the stored row (in L1). */
    static boolean fusable(Algorithm a) {
        return a == Algorithm.RELU || a == Algorithm.LEAKY_RELU || a == Algorithm.RRELU
                || a == Algorithm.HARD_TANH || a == Algorithm.RELU6;
    }
}
