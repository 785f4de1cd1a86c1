/**
 * Not API: the implementations behind the public kernel facades, free to change between releases and not exported
 * when Rectify runs as a module. Here: the service-provider interfaces one path implements
 * ({@link dev.rectify.kernels.internal.ActivationSupport}, {@link dev.rectify.kernels.internal.ReductionSupport},
 * {@link dev.rectify.kernels.internal.MicroKernel}, bundled as a {@link dev.rectify.kernels.internal.KernelPath});
 * the one home of argument validation ({@link dev.rectify.kernels.internal.Checks}); SGEMM in BLIS's rooms — the
 * executed problem, the driver and its threads, packing, the small-shape paths and the write-back; the counter-based
 * noise of RReLU and dropout. {@code .scalar} holds the plain-Java path, {@code .simd} the Vector API path, the only
 * package that imports {@code jdk.incubator.vector}.
 */
package dev.rectify.kernels.internal;
