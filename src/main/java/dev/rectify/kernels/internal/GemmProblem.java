package dev.rectify.kernels.internal;

import dev.rectify.kernels.Eltwise;

/**
 * Not API. One validated GEMM call in strided form, as it is executed: element (i, p) of A is
 * {@code a[aOff + i rsA + p csA]}, and so on; the epilogue in the same executed coordinates (bias index =
 * {@code biasOff + i biasRs + j biasCs}, ...). When n is much smaller than m the problem is executed transposed
 * (C^T = op(B)^T op(A)^T), which keeps the micro-tiles full; both operands enter each product symmetrically and
 * alpha is applied at write-back, so the bits are the same either way.
 *
 * <p>One instance per calling thread is reused from call to call ({@link #ofThisThread}), so a GEMM call allocates
 * nothing: the fields are written by {@link #set} before the call runs and only read while it runs (by the helper
 * threads too, which the caller waits for), and {@link #release} drops the array references afterwards. A GEMM
 * call never starts another GEMM call on its thread, so one instance per thread suffices.
 */
public final class GemmProblem {
    private static final ThreadLocal<GemmProblem> OWN = ThreadLocal.withInitial(GemmProblem::new);

    public int m, n, k;
    public float alpha, beta;
    public float[] a, b, c;
    public int aOff, rsA, csA, bOff, rsB, csB, cOff, rsC, csC;
    public float[] bias;
    public int biasOff, biasRs, biasCs;
    public Eltwise activation;
    public float[] z;
    public int zOff, rsZ, csZ;
    public boolean[] everActive;
    public int eaOff, eaRs, eaCs;
    /** True when the last k block applies an epilogue. */
    public boolean epilogue;
    /** The path's activations, which the write-back applies to stored runs of C. */
    public ActivationSupport activations;

    /** An empty problem; {@link #set} fills it. */
    public GemmProblem() {}

    /** The calling thread's problem, to {@link #set}, run and {@link #release}. */
    public static GemmProblem ofThisThread() {
        return OWN.get();
    }

    /**
     * A call as the facade validated it (BLAS row-major arguments); {@code k} is 0 when A and B are not read.
     * The epilogue arrays are null when absent; {@code biasPerColumn} says along which axis of C the bias runs;
     * {@code nr} is the micro-tile width of the kernel that will run it.
     */
    public GemmProblem set(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                       float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc, boolean epilogue,
                       float[] bias, int biasOff, boolean biasPerColumn, Eltwise activation, float[] z, int zOff,
                       int ldz, boolean[] everActive, int everActiveOff, ActivationSupport activations, int nr) {
        int rsA0 = transA ? 1 : lda, csA0 = transA ? lda : 1;
        int rsB0 = transB ? 1 : ldb, csB0 = transB ? ldb : 1;
        boolean t = transposeExecution(transA, transB, m, n, k, nr);
        this.k = k;
        this.alpha = alpha;
        this.beta = beta;
        this.c = c;
        this.cOff = cOff;
        this.epilogue = epilogue;
        this.activation = activation;
        this.bias = bias;
        this.biasOff = biasOff;
        this.z = z;
        this.zOff = zOff;
        this.everActive = everActive;
        this.eaOff = everActiveOff;
        this.activations = activations;
        if (!t) {
            this.m = m; this.n = n;
            this.a = a; this.aOff = aOff; this.rsA = rsA0; this.csA = csA0;
            this.b = b; this.bOff = bOff; this.rsB = rsB0; this.csB = csB0;
            this.rsC = ldc; this.csC = 1;
            this.biasRs = biasPerColumn ? 0 : 1; this.biasCs = biasPerColumn ? 1 : 0;
            this.rsZ = ldz; this.csZ = 1;
            this.eaRs = 0; this.eaCs = 1;
        } else {
            this.m = n; this.n = m;
            this.a = b; this.aOff = bOff; this.rsA = csB0; this.csA = rsB0;
            this.b = a; this.bOff = aOff; this.rsB = csA0; this.csB = rsA0;
            this.rsC = 1; this.csC = ldc;
            this.biasRs = biasPerColumn ? 1 : 0; this.biasCs = biasPerColumn ? 0 : 1;
            this.rsZ = 1; this.csZ = ldz;
            this.eaRs = 1; this.eaCs = 0;
        }
        return this;
    }

    /** Drops the references to the caller's arrays, so a finished call keeps nothing alive. */
    public void release() {
        a = b = c = bias = z = null;
        everActive = null;
        activation = null;
        activations = null;
    }

    /**
     * A thin C (fewer columns than a micro-tile is wide, many rows) with A stored transposed runs transposed: A's
     * rows then pack into B panels by contiguous copies and the micro-tiles are full. With A stored row by row
     * that pack would be a transposition costing about one store per element of A, more than the arithmetic;
     * such a product runs as given and the micro-kernel reads A in place (see {@code readsUnpackedA}).
     * A few rows (at most one micro-tile width, {@code nr}) times a B stored transposed (dY W^T in a backward
     * pass) runs transposed too: B's rows become the executed A, read in place, and only the few rows of A are
     * transposed into one panel, instead of all of B; unless k is shorter than m, when packing B is cheap and
     * the transposed write-back of C is not. And a thin C of few rows (a batch through the 10-unit output layer)
     * runs transposed as well: two row tiles of B^T instead of a row tile per five rows, each 10 of 32 columns
     * wide (docs/design.md).
     */
    static boolean transposeExecution(boolean transA, boolean transB, int m, int n, int k, int nr) {
        return (transA && n < 16 && m > n) || (!transA && m <= nr && k >= m && (transB ? m < n : n < 16 && m > n));
    }

    /** Element (i, p) of the executed A. */
    public float a(int i, int p) {
        return a[aOff + i * rsA + p * csA];
    }
}
