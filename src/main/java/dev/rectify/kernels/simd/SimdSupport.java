package dev.rectify.kernels.simd;

import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Gemm;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The entry point {@code Kernels} loads reflectively, and only after it has seen
 * {@code jdk.incubator.vector} in the boot layer: nothing outside this package names a Vector API type.
 */
public final class SimdSupport {
    private SimdSupport() {}

    /** The preferred float vector size of this platform, in bits. */
    public static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    /** Activation kernels for vectors of the given size. */
    public static ActivationKernels activations(int bits) {
        return SimdActivations.of(species(bits));
    }

    /** GEMM for vectors of the given size, using up to {@code parallelism} threads per call. */
    public static Gemm gemm(int bits, int parallelism) {
        return SimdGemm.of(species(bits), parallelism);
    }

    static VectorSpecies<Float> species(int bits) {
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }
}
