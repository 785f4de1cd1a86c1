package dev.rectify.kernels;

import dev.rectify.kernels.internal.ActivationSupport;
import dev.rectify.kernels.internal.Checks;
import dev.rectify.kernels.internal.GemmBlocking;
import dev.rectify.kernels.internal.GemmDriver;
import dev.rectify.kernels.internal.GemmProblem;
import dev.rectify.kernels.internal.GemmSmallShapes;

/**
 * Single-precision matrix multiply, BLAS-style and row-major:
 * {@code C = alpha op(A) op(B) + beta C}, op(X) being X or its transpose, optionally followed by a fused
 * dense-layer epilogue (bias, activation, saved pre-activation, ever-active mask; see {@link GemmEpilogue}).
 *
 * <p>Shapes follow BLAS: op(A) is m x k, op(B) is k x n, C is m x n. Element (i, j) of a row-major matrix X
 * with leading dimension ldx is {@code x[xOff + i * ldx + j]}; A is stored m x k (k x m when transposed),
 * B is stored k x n (n x k when transposed). m, n or k may be 0: then C is only scaled by beta (and the
 * epilogue applied) or, when m or n is 0, nothing happens.
 *
 * <h2>Numerical contract</h2>
 * <ul>
 * <li>Each C element's sum runs over k in order, as fused multiply-adds in k blocks: k is cut into
 * {@code ceil(k / KC)} blocks of {@code ceil(k / ceil(k / KC))} (the last one shorter; see {@link #KC}):
 * {@code acc = fma(a, b, acc)} from 0 within a block; the first block gives {@code alpha * acc} when beta
 * is 0, else {@code fma(alpha, acc, beta * C)}; every later block {@code fma(alpha, acc, C)}. How the
 * work is tiled, packed or split across threads never changes that order, so <b>the result is bit-identical
 * on every kernel path (SIMD at any width, scalar), for any shape-independent setting such as the thread
 * count, and for concurrent callers.</b></li>
 * <li>Error bound against the exact result, elementwise: {@code |C - exact| <= (k + ceil(k / KC) + 2) u
 * (|alpha| sum_p |a_ip b_pj| + |beta c_ij|)} to first order, u = 2^-24: one rounding per FMA, one per block
 * combination, one for beta c and one final (the property tests check it, with 1% for second-order terms).</li>
 * <li>The one exception to the k order: a matrix-vector product with A's rows contiguous (n == 1, A not
 * transposed) sums each row as a dot product in {@link #DOT_LANES} interleaved partial sums (product p goes to
 * partial sum p mod 16, each an in-order fma chain from 0), reduced pairwise (l + 8, then l + 4, l + 2, l + 1),
 * then combined with alpha and beta like a single k block. That is the same on every path and width too, and
 * it streams A once instead of packing it.</li>
 * <li>beta == 0 never reads C (NaN or garbage in C does not matter); alpha == 0 never reads A or B.</li>
 * <li>NaN and infinities in A or B propagate as IEEE arithmetic dictates.</li>
 * </ul>
 *
 * <p>Parallelism: {@link #withParallelism(int)} (default: available processors). Work is split over
 * independent blocks of C on threads shared by all callers; see {@code GemmThreads} for why this neither
 * deadlocks nor oversubscribes, including when called from ForkJoinPool tasks (which run single-threaded).
 *
 * <p>Sizes are dispatched here (EJML's pattern): a matrix-vector or row-vector product and tiny problems take
 * their own unpacked paths, everything else the packed, blocked driver (BLIS's loop nest around a register
 * micro-kernel). Each path computes the bits this contract fixes.
 *
 * <p>Instances are immutable and thread-safe. Obtain them from {@link Kernels#gemm()}.
 */
public final class Gemm {
    /**
     * Deepest k block: k is cut into {@code ceil(k / KC)} blocks of equal depth (the last may be shorter). Part of
     * the numerical contract: it fixes where the k blocks split. Why 1024: docs/design.md.
     */
    public static final int KC = GemmBlocking.KC;
    /** Rows of A packed at a time for blocks up to 512 deep (fewer for deeper blocks); blocking only, not contract. */
    public static final int MC = GemmBlocking.MC;
    /** Columns of B packed at a time; blocking only, not contract. */
    public static final int NC = GemmBlocking.NC;
    /** Interleaved partial sums of the matrix-vector dot products, the same on every path and width. */
    public static final int DOT_LANES = GemmBlocking.DOT_LANES;

    private final String name;
    private final GemmDriver driver;
    private final ActivationSupport activations;

    Gemm(String name, GemmDriver driver, ActivationSupport activations) {
        this.name = name;
        this.driver = driver;
        this.activations = activations;
    }

    /** Name of the implementation, e.g. "simd-256". */
    public String name() {
        return name;
    }

    /** The same implementation with another parallelism (1 = the calling thread only). */
    public Gemm withParallelism(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        return new Gemm(name, new GemmDriver(driver.kernel(), threads), activations);
    }

    /** Threads one call may use, the caller's included. */
    public int parallelism() {
        return driver.parallelism();
    }

    /** {@code C = alpha op(A) op(B) + beta C}. */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null);
    }

    /**
     * {@code C = epilogue(alpha op(A) op(B) + beta C)}.
     *
     * @param epilogue bias, activation, pre-activation output and ever-active mask; null for none
     * @throws IllegalArgumentException for negative sizes, leading dimensions smaller than the stored row
     *         length, non-finite alpha or beta, or C (or Z) overlapping A or B
     * @throws IndexOutOfBoundsException when an array is too short for its shape and offset
     * @throws NullPointerException for a missing array that the call would read or write
     */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc, GemmEpilogue epilogue) {
        Checks.count("m", m);
        Checks.count("n", n);
        Checks.count("k", k);
        if (!Float.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite, was " + alpha);
        }
        if (!Float.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be finite, was " + beta);
        }
        boolean readsAB = alpha != 0f && k > 0 && m > 0 && n > 0;
        if (readsAB) {
            Checks.matrix("a", a, aOff, lda, transA ? k : m, transA ? m : k);
            Checks.matrix("b", b, bOff, ldb, transB ? n : k, transB ? k : n);
        } else {
            Checks.ld("lda", lda, transA ? m : k);
            Checks.ld("ldb", ldb, transB ? k : n);
        }
        Checks.matrix("c", c, cOff, ldc, m, n);
        GemmEpilogue ep = epilogue == null || epilogue.isEmpty() ? null : epilogue;
        if (ep != null) {
            ep.validate(m, n);
        }
        if (readsAB) {
            Checks.noOverlap("c", c, cOff, ldc, m, n, "a", a, aOff, lda, transA ? k : m, transA ? m : k);
            Checks.noOverlap("c", c, cOff, ldc, m, n, "b", b, bOff, ldb, transB ? n : k, transB ? k : n);
        }
        if (ep != null && ep.z != null) {
            if (readsAB) {
                Checks.noOverlap("z", ep.z, ep.zOff, ep.ldz, m, n, "a", a, aOff, lda, transA ? k : m, transA ? m : k);
                Checks.noOverlap("z", ep.z, ep.zOff, ep.ldz, m, n, "b", b, bOff, ldb, transB ? n : k, transB ? k : n);
            }
            Checks.noOverlap("z", ep.z, ep.zOff, ep.ldz, m, n, "c", c, cOff, ldc, m, n);
        }
        if (ep != null && ep.bias != null) {
            int len = ep.biasAxis == GemmEpilogue.BiasAxis.COLUMN ? n : m;
            Checks.noOverlap("c", c, cOff, ldc, m, n, "bias", ep.bias, ep.biasOff, len, 1, len);
        }
        if (m == 0 || n == 0) {
            return;
        }
        GemmProblem p = GemmProblem.ofThisThread();
        if (ep == null) {
            p.set(transA, transB, m, n, readsAB ? k : 0, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, false,
                    null, 0, true, null, null, 0, 0, null, 0, activations, driver.kernel().nr());
        } else {
            p.set(transA, transB, m, n, readsAB ? k : 0, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, true,
                    ep.bias, ep.biasOff, ep.biasAxis == GemmEpilogue.BiasAxis.COLUMN, ep.activation, ep.z, ep.zOff,
                    ep.ldz, ep.everActive, ep.everActiveOff, activations, driver.kernel().nr());
        }
        try {
            if (readsAB && n == 1 && !transA) {
                GemmSmallShapes.matrixVector(p, driver.kernel(), a, aOff, lda, b, bOff, transB ? 1 : ldb, m, k);
            } else if (readsAB && m == 1 && !transB && n >= 16) {
                GemmSmallShapes.rowVector(p, driver.kernel(), a, aOff, transA ? lda : 1, b, bOff, ldb, n, k);
            } else if ((long) p.m * p.n * Math.max(1, p.k) <= GemmBlocking.TINY_WORK && p.k <= KC) {
                GemmSmallShapes.tiny(p);
            } else {
                driver.execute(p);
            }
        } finally {
            p.release();
        }
    }
}
