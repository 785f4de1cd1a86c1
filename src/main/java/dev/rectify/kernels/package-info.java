/**
 * The kernels: element-wise activations with their derivatives and backward passes, softmax and log-softmax,
 * two reductions, and SGEMM with a fused dense-layer epilogue, on BLAS-style {@code (array, offset, length)}
 * ranges.
 *
 * <p>Start at {@link dev.rectify.kernels.Kernels}: it chooses once between the Vector API path and the scalar
 * path ({@code --add-modules jdk.incubator.vector} selects the first, {@code -Drectify.kernels=auto|simd|scalar}
 * overrides) and hands out the {@link dev.rectify.kernels.ActivationKernels}, {@link dev.rectify.kernels.Reductions}
 * and {@link dev.rectify.kernels.Gemm} of that path, together a {@link dev.rectify.kernels.KernelSet}.
 * {@link dev.rectify.kernels.Eltwise} names a function with its parameters ({@link dev.rectify.kernels.Algorithm}
 * lists them); {@link dev.rectify.kernels.GemmEpilogue} describes what a dense layer fuses into the GEMM's
 * write-back. The numerical contract (both paths give the same bits; dead ReLU gradients are exactly +0.0) is on
 * {@code ActivationKernels} and {@code Gemm}.
 *
 * <p>These facades are final: each validates its arguments once, then calls the chosen path's implementation in
 * {@code dev.rectify.kernels.internal}, which is not API (not exported when Rectify runs as a module).
 */
package dev.rectify.kernels;
