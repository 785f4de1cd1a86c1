package dev.rectify.kernels;

import dev.rectify.kernels.internal.Checks;

import java.util.Objects;

/**
 * What {@link Gemm#sgemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float,
 * float[], int, int, GemmEpilogue) sgemm} does to each element of C after the product and before it is stored:
 * the dense-layer epilogue {@code C = act(alpha op(A) op(B) + beta C + bias)}, applied to each C tile while it is
 * still in registers or in L1, instead of two more passes over C. The bits are the same however a path applies it.
 *
 * <p>In order, for each element: add the bias (one value per column or per row of C); optionally store that
 * pre-activation value into Z; optionally record in {@code everActive[column]} whether it was {@code > 0};
 * apply the activation; store into C. Immutable; build it with the static factories and the {@code with...}
 * methods. Arrays are referenced, not copied; they are validated against the shape on every call.
 */
public final class GemmEpilogue {
    /** Which dimension of C the bias vector runs along. */
    public enum BiasAxis {
        /** One bias per column of C (the usual dense layer with samples in rows). */
        COLUMN,
        /** One bias per row of C (samples in columns). */
        ROW
    }

    final float[] bias;
    final int biasOff;
    final BiasAxis biasAxis;
    final Eltwise activation;
    final float[] z;
    final int zOff;
    final int ldz;
    final boolean[] everActive;
    final int everActiveOff;

    private GemmEpilogue(float[] bias, int biasOff, BiasAxis biasAxis, Eltwise activation,
                         float[] z, int zOff, int ldz, boolean[] everActive, int everActiveOff) {
        this.bias = bias;
        this.biasOff = biasOff;
        this.biasAxis = biasAxis;
        this.activation = activation;
        this.z = z;
        this.zOff = zOff;
        this.ldz = ldz;
        this.everActive = everActive;
        this.everActiveOff = everActiveOff;
    }

    /** No bias and no activation: only the options added with the {@code with...} methods. */
    public static GemmEpilogue none() {
        return new GemmEpilogue(null, 0, BiasAxis.COLUMN, null, null, 0, 0, null, 0);
    }

    /** A bias per column of C, read from {@code bias[biasOff .. biasOff + n)}. */
    public static GemmEpilogue biasPerColumn(float[] bias, int biasOff) {
        return none().withBias(bias, biasOff, BiasAxis.COLUMN);
    }

    /** A bias per row of C, read from {@code bias[biasOff .. biasOff + m)}. */
    public static GemmEpilogue biasPerRow(float[] bias, int biasOff) {
        return none().withBias(bias, biasOff, BiasAxis.ROW);
    }

    /** This epilogue with a bias vector along the given axis. */
    public GemmEpilogue withBias(float[] bias, int biasOff, BiasAxis axis) {
        Objects.requireNonNull(bias, "bias must not be null");
        Objects.requireNonNull(axis, "axis must not be null");
        return new GemmEpilogue(bias, biasOff, axis, activation, z, zOff, ldz, everActive, everActiveOff);
    }

    /** This epilogue followed by a forward activation (any {@link Eltwise}; RReLU in inference mode). */
    public GemmEpilogue withActivation(Eltwise activation) {
        Objects.requireNonNull(activation, "activation must not be null");
        return new GemmEpilogue(bias, biasOff, biasAxis, activation, z, zOff, ldz, everActive, everActiveOff);
    }

    /**
     * Also store the pre-activation values (after bias, before the activation) into the m x n row-major
     * matrix {@code z[zOff + i * ldz + j]}, for backward passes that need them. Z must not overlap A, B or C.
     */
    public GemmEpilogue withPreActivation(float[] z, int zOff, int ldz) {
        Objects.requireNonNull(z, "z must not be null");
        return new GemmEpilogue(bias, biasOff, biasAxis, activation, z, zOff, ldz, everActive, everActiveOff);
    }

    /**
     * Also set {@code everActive[everActiveOff + j] = true} for every column j in which some pre-activation
     * is {@code > 0} (NaN is not). Entries are only ever set, never cleared, so one mask can accumulate
     * over the mini-batches of an epoch: a column still false at the end is a unit that was dead on all of
     * them. Concurrent calls may share the mask.
     */
    public GemmEpilogue withEverActive(boolean[] everActive, int everActiveOff) {
        Objects.requireNonNull(everActive, "everActive must not be null");
        return new GemmEpilogue(bias, biasOff, biasAxis, activation, z, zOff, ldz, everActive, everActiveOff);
    }

    /** The activation, or null. */
    public Eltwise activation() {
        return activation;
    }

    /** The bias axis (meaningful when a bias is set). */
    public BiasAxis biasAxis() {
        return biasAxis;
    }

    boolean isEmpty() {
        return bias == null && activation == null && z == null && everActive == null;
    }

    void validate(int m, int n) {
        if (bias != null) {
            Checks.range("bias", bias, biasOff, biasAxis == BiasAxis.COLUMN ? n : m);
        }
        if (z != null) {
            Checks.matrix("z", z, zOff, ldz, m, n);
        }
        if (everActive != null) {
            Checks.mask("everActive", everActive, everActiveOff, n);
        }
    }
}
