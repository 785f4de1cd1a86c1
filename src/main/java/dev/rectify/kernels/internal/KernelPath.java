package dev.rectify.kernels.internal;

import java.util.Objects;

/**
 * Not API. The implementations of one kernel path, as a provider hands them to {@code Kernels}, which wraps them
 * in the public facades: {@code scalar} or {@code simd-BITS}.
 *
 * @param vectorBits the float vector width in bits; 32 (one lane) on the scalar path
 */
public record KernelPath(String name, int vectorBits, ActivationSupport activations, ReductionSupport reductions,
                         MicroKernel microKernel) {
    public KernelPath {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(activations, "activations");
        Objects.requireNonNull(reductions, "reductions");
        Objects.requireNonNull(microKernel, "microKernel");
    }
}
