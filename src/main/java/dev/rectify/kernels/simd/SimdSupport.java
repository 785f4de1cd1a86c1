package dev.rectify.kernels.simd;

import dev.rectify.kernels.KernelSet;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one entry point {@code Kernels} looks up (a method handle on {@link #kernelSet}), and only after it has seen
 * {@code jdk.incubator.vector} in the boot layer: nothing outside this package names a Vector API type.
 */
public final class SimdSupport {
    private SimdSupport() {}

    /**
     * The SIMD kernels for vectors of {@code bits} bits (128, 256 or 512; 0 for the platform's preferred size),
     * GEMM on up to {@code parallelism} threads per call.
     */
    public static KernelSet kernelSet(int bits, int parallelism) {
        int width = bits == 0 ? FloatVector.SPECIES_PREFERRED.vectorBitSize() : bits;
        VectorSpecies<Float> species = species(width);
        return new KernelSet("simd-" + width, width, SimdActivations.of(species), SimdGemm.of(species, parallelism));
    }

    static VectorSpecies<Float> species(int bits) {
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }
}
