package dev.rectify.kernels.internal.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Not API. The base of every SIMD kernel family: the species of one vector width, from one final subclass per
 * width that returns a {@code static final} constant, and the loads every loop uses. The activation families are
 * layered on it as superclasses of {@link SimdActivations} (ReLU family, smooth exp family, GELU-erf, row-wise), so
 * every loop is a final method of the one per-width class and C2 sees the species as a constant wherever one
 * width is in use; a species held in a field made the loops slower (docs/design.md).
 */
abstract class SimdLoops {
    /**
     * The species, from one final subclass per width that returns a {@code static final} constant. C2
     * inlines this call wherever one width is in use (production, a benchmark fork) and then knows the
     * vector shape at compile time; a species from an instance field, whose value C2 does not treat as a
     * constant, made the loops slower (docs/design.md).
     */
    abstract VectorSpecies<Float> species();

    static final float[] ZEROS = new float[16];

    /**
     * A zero vector. C2 does not intrinsify the static factories (zero, broadcast) for a species held in a
     * field, and a vector it cannot intrinsify is boxed; a load from a constant array is intrinsified, and
     * broadcasts are taken from the vector it gives.
     */
    final FloatVector zeros() {
        return FloatVector.fromArray(species(), ZEROS, 0);
    }

    final FloatVector load(float[] a, int i) {
        return FloatVector.fromArray(species(), a, i);
    }
}
