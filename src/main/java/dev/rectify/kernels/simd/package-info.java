/**
 * Not API: the Vector API implementations of the kernels, the only package that imports
 * {@code jdk.incubator.vector}. Loaded only when that module is present; reached through
 * {@link dev.rectify.kernels.Kernels}.
 */
package dev.rectify.kernels.simd;
