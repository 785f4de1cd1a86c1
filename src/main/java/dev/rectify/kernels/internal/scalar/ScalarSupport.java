package dev.rectify.kernels.internal.scalar;

import dev.rectify.kernels.internal.KernelPath;

/** Not API. The scalar provider: the plain-Java implementations, always available. */
public final class ScalarSupport {
    private static final KernelPath PATH = new KernelPath("scalar", Float.SIZE, ScalarActivations.INSTANCE,
            ScalarReductions.INSTANCE, ScalarMicroKernel.INSTANCE);

    private ScalarSupport() {}

    /** The scalar path. */
    public static KernelPath path() {
        return PATH;
    }
}
