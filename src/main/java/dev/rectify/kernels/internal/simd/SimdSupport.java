package dev.rectify.kernels.internal.simd;

import dev.rectify.kernels.internal.KernelPath;
import dev.rectify.kernels.internal.MicroKernel;
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

    /**
     * The GEMM micro-kernel for {@code bits}-bit vectors as CPU family {@code cpuFamily} gets it (6 Intel, 25 Zen 3
     * and 4, 26 Zen 5): the tests run every host's tiling on whichever host they run on.
     */
    public static MicroKernel microKernel(int bits, int cpuFamily) {
        VectorSpecies<Float> species = VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
        return SimdMicroKernel.of(species, SimdActivations.of(species), cpuFamily);
    }
}
