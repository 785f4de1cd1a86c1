package dev.rectify.kernels;

import java.util.Objects;

/**
 * The kernels of one path, activations and GEMM together: the scalar path ({@link Kernels#scalarSet()}) or SIMD
 * at one vector width ({@link Kernels#simdSet(int)}); the JVM's choice is {@link Kernels.Selection#kernels()}.
 * Both members execute the same arithmetic path, so a network built from one set gives the bits of that path.
 *
 * @param name {@code scalar} or {@code simd-BITS}, e.g. {@code simd-256}
 * @param vectorBits the float vector width in bits; 32 (one lane) on the scalar path
 */
public record KernelSet(String name, int vectorBits, ActivationKernels activations, Gemm gemm) {
    public KernelSet {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(activations, "activations");
        Objects.requireNonNull(gemm, "gemm");
        if (vectorBits < Float.SIZE || vectorBits % Float.SIZE != 0) {
            throw new IllegalArgumentException("vectorBits must be a positive multiple of 32, was " + vectorBits);
        }
    }

    /** The reductions on this path. */
    public Reductions reductions() {
        return Reductions.of(activations);
    }

    /** Float lanes per vector; 1 on the scalar path. */
    public int lanes() {
        return vectorBits / Float.SIZE;
    }
}
