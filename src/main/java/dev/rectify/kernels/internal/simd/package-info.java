/**
 * Not API: the Vector API implementations of the kernels, the only package that imports
 * {@code jdk.incubator.vector}. Loaded only when that module is present, through the one method handle
 * {@link dev.rectify.kernels.Kernels} holds on {@link dev.rectify.kernels.internal.simd.SimdSupport#path(int)}.
 */
package dev.rectify.kernels.internal.simd;
