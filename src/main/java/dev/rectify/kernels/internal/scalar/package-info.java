/**
 * Not API: the scalar implementations of the kernels, the reference the SIMD path matches bit for bit, and the
 * per-element formulas that finish the SIMD loops' remainders. Reached through {@link dev.rectify.kernels.Kernels}.
 */
package dev.rectify.kernels.internal.scalar;
