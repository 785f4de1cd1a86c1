package dev.rectify.kernels.internal.simd;

import dev.rectify.kernels.internal.KernelPath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Not API. The SIMD provider: the one entry point {@code Kernels} looks up (a method handle on {@link #path}), and
 * only after it has seen {@code jdk.incubator.vector} in the boot layer: nothing outside this package names a
 * Vector API type.
 */
public final class SimdSupport {
    private SimdSupport() {}

    /** The SIMD implementations for vectors of {@code bits} bits (128, 256 or 512; 0 for the preferred size). */
    public static KernelPath path(int bits) {
        int width = bits == 0 ? FloatVector.SPECIES_PREFERRED.vectorBitSize() : bits;
        VectorSpecies<Float> species = VectorSpecies.of(float.class, VectorShape.forBitSize(width));
        SimdActivations activations = SimdActivations.of(species);
        return new KernelPath("simd-" + width, width, activations, SimdReductions.of(species),
                SimdMicroKernel.of(species, activations));
    }
}
