/**
 * Not API: the scalar implementations of the kernels, the reference the SIMD path matches bit for bit.
 * Reached through {@link dev.rectify.kernels.Kernels}.
 */
package dev.rectify.kernels.scalar;
