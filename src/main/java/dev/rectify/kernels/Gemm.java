package dev.rectify.kernels;

import dev.rectify.kernels.scalar.ScalarActivations;

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
 * <p>Instances are immutable and thread-safe. Obtain them from {@link Kernels#gemm()}.
 */
public abstract class Gemm {
    /**
     * Deepest k block. Every block passes over all of C once (each tile's accumulators are combined with C
     * and stored), so fewer blocks mean fewer of those passes and fewer roundings; and k is cut into blocks
     * of equal depth rather than KC-deep blocks and a remainder, so that a 784-deep product is one block,
     * not 512 + 272. The textbook choice keeps the kc x NR panel of B in L1 (256 deep: 16 KB); deeper
     * panels stream from L2, which the micro-kernel's 84 bytes per 10 FMAs are far from saturating, as long
     * as the MC x kc block of A stays in L2 too (see {@link #MC}); the measurement is in docs/design.md.
     * Part of the numerical contract: it fixes where the k blocks split.
     */
    public static final int KC = 1024;
    /**
     * Rows of A packed at a time for blocks up to 512 deep: MC x kc floats (at most 240 KB) stay in half of
     * the 512 KB L2 while the B panel streams by; deeper blocks pack fewer rows at a time to stay under the
     * same 240 KB (see {@link #rowsPerABlock}).
     */
    public static final int MC = 120;
    /** Columns of B packed at a time: kc x NC floats (up to 8 MB) stay in the 32 MB L3. */
    public static final int NC = 2048;
    /** The packed A block's budget: MC rows of a 512-deep block, 240 KB, half of a 512 KB L2. */
    private static final int A_BLOCK_FLOATS = MC * 512;
    /** Both micro-tile heights (5 for SIMD, 4 scalar) divide every A block height. */
    private static final int MC_STEP = 20;

    /** The depth of each k block (the last may be shorter) of a k-deep product: k cut into equal blocks. */
    static int kBlock(int k) {
        int blocks = Math.max(1, (k + KC - 1) / KC);
        return (k + blocks - 1) / blocks;
    }

    /** Rows per packed A block for blocks kc deep: MC, or fewer (in steps of MC_STEP) to stay in budget. */
    static int rowsPerABlock(int kc) {
        return MC * kc <= A_BLOCK_FLOATS ? MC : Math.max(MC_STEP, A_BLOCK_FLOATS / kc / MC_STEP * MC_STEP);
    }

    /** Micro-tile rows and columns of this implementation. */
    protected final int mr, nr;
    private final int parallelism;

    protected Gemm(int mr, int nr, int parallelism) {
        if (MC_STEP % mr != 0 || NC % nr != 0) {
            throw new IllegalArgumentException("micro-tile " + mr + "x" + nr + " does not divide the blocking");
        }
        this.mr = mr;
        this.nr = nr;
        this.parallelism = parallelism;
    }

    /** Name of the implementation, e.g. "simd-256". */
    public abstract String name();

    /** The same implementation with another parallelism (1 = the calling thread only). */
    public abstract Gemm withParallelism(int threads);

    /** Threads one call may use, the caller's included. */
    public final int parallelism() {
        return parallelism;
    }

    protected static int checkParallelism(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        return threads;
    }

    /** {@code C = alpha op(A) op(B) + beta C}. */
    public final void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
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
    public final void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
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
            checkMatrix("a", a, aOff, lda, transA ? k : m, transA ? m : k);
            checkMatrix("b", b, bOff, ldb, transB ? n : k, transB ? k : n);
        } else {
            checkLd("lda", lda, transA ? m : k);
            checkLd("ldb", ldb, transB ? k : n);
        }
        checkMatrix("c", c, cOff, ldc, m, n);
        GemmEpilogue ep = epilogue == null || epilogue.isEmpty() ? null : epilogue;
        if (ep != null) {
            ep.validate(m, n);
        }
        if (readsAB) {
            checkNoOverlap("c", c, cOff, ldc, m, n, "a", a, aOff, lda, transA ? k : m, transA ? m : k);
            checkNoOverlap("c", c, cOff, ldc, m, n, "b", b, bOff, ldb, transB ? n : k, transB ? k : n);
        }
        if (ep != null && ep.z != null) {
            if (readsAB) {
                checkNoOverlap("z", ep.z, ep.zOff, ep.ldz, m, n, "a", a, aOff, lda, transA ? k : m, transA ? m : k);
                checkNoOverlap("z", ep.z, ep.zOff, ep.ldz, m, n, "b", b, bOff, ldb, transB ? n : k, transB ? k : n);
            }
            checkNoOverlap("z", ep.z, ep.zOff, ep.ldz, m, n, "c", c, cOff, ldc, m, n);
        }
        if (ep != null && ep.bias != null) {
            int len = ep.biasAxis == GemmEpilogue.BiasAxis.COLUMN ? n : m;
            checkNoOverlap("c", c, cOff, ldc, m, n, "bias", ep.bias, ep.biasOff, len, 1, len);
        }
        if (m == 0 || n == 0) {
            return;
        }
        Problem p = new Problem(transA, transB, m, n, readsAB ? k : 0, alpha, a, aOff, lda, b, bOff, ldb,
                beta, c, cOff, ldc, ep);
        if (readsAB && n == 1 && !transA) {
            matrixVector(p, a, aOff, lda, b, bOff, transB ? 1 : ldb, m, k);
        } else if (readsAB && m == 1 && !transB && n >= 16) {
            rowVector(p, a, aOff, transA ? lda : 1, b, bOff, ldb, n, k);
        } else if ((long) p.m * p.n * Math.max(1, p.k) <= TINY_WORK && p.k <= KC) {
            tiny(p);
        } else {
            execute(p);
        }
    }

    /**
     * Problems up to this many multiply-adds skip packing: for them the packing and the edge tiles cost more
     * than the arithmetic (the born-dead estimate's 101 x 2 x 2 layers; see docs/design.md).
     */
    static final int TINY_WORK = 8192;

    /**
     * The whole product, unpacked, into a scratch tile, then one write-back: each element the same in-order
     * fma chain over k (k <= KC: one block) as the packed path, so the same bits.
     */
    private static void tiny(Problem p) {
        final int m = p.m, n = p.n, k = p.k, rsA = p.rsA, csA = p.csA, rsB = p.rsB, csB = p.csB;
        final float[] a = p.a, b = p.b;
        Buffers buf = BUFFERS.get();
        buf.ensure(0, 0, m * n);
        final float[] acc = buf.tile;
        java.util.Arrays.fill(acc, 0, m * n, 0f);
        for (int i = 0; i < m; i++) {
            final int row = i * n, ai = p.aOff + i * rsA;
            for (int q = 0; q < k; q++) {
                final float aq = a[ai + q * csA];
                final int bq = p.bOff + q * rsB;
                for (int j = 0; j < n; j++) {
                    acc[row + j] = Math.fma(aq, b[bq + j * csB], acc[row + j]);
                }
            }
        }
        writeBack(p, acc, n, 0, 0, m, n, true, true);
    }

    // ---- validation ---------------------------------------------------------------------------------

    static void checkLd(String name, int ld, int rowLength) {
        if (ld < Math.max(1, rowLength)) {
            throw new IllegalArgumentException(name + " must be >= max(1, " + rowLength + "), was " + ld);
        }
    }

    /** A rows x cols row-major matrix with leading dimension ld must fit in x from xOff. */
    static void checkMatrix(String name, float[] x, int xOff, int ld, int rows, int cols) {
        checkLd("ld" + name, ld, cols);
        if (x == null) {
            throw new NullPointerException(name + " must not be null");
        }
        if (xOff < 0) {
            throw new IndexOutOfBoundsException(name + " offset must be >= 0, was " + xOff);
        }
        long span = rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
        if (span > x.length - (long) xOff) {
            throw new IndexOutOfBoundsException(name + ": offset " + xOff + " + " + rows + " rows x " + cols
                    + " columns with ld " + ld + " exceeds array length " + x.length);
        }
    }

    /** Output x must not share any element's storage range with input y (same array, overlapping spans). */
    static void checkNoOverlap(String outName, float[] out, int outOff, int ldOut, int outRows, int outCols,
                               String inName, float[] in, int inOff, int ldIn, int inRows, int inCols) {
        if (out != in || outRows == 0 || outCols == 0 || inRows == 0 || inCols == 0) {
            return;
        }
        long outEnd = outOff + (long) (outRows - 1) * ldOut + outCols;
        long inEnd = inOff + (long) (inRows - 1) * ldIn + inCols;
        if (outOff < inEnd && inOff < outEnd) {
            throw new IllegalArgumentException(outName + " must not overlap " + inName);
        }
    }

    // ---- the executed problem -----------------------------------------------------------------------

    /**
     * One call, in strided form: element (i, p) of A is a[aOff + i rsA + p csA], and so on. When n is much
     * smaller than m the problem is executed transposed (C^T = op(B)^T op(A)^T), which keeps the micro-tiles
     * full; both operands enter each product symmetrically and alpha is applied at write-back, so the bits
     * are the same either way.
     */
    protected static final class Problem {
        public final int m, n, k;
        public final float alpha, beta;
        public final float[] a, b, c;
        public final int aOff, rsA, csA, bOff, rsB, csB, cOff, rsC, csC;
        // epilogue, in executed coordinates: bias index = biasOff + i biasRs + j biasCs, and so on
        public final float[] bias;
        public final int biasOff, biasRs, biasCs;
        public final Eltwise activation;
        public final float[] z;
        public final int zOff, rsZ, csZ;
        public final boolean[] everActive;
        public final int eaOff, eaRs, eaCs;
        public final boolean epilogue;

        Problem(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc, GemmEpilogue ep) {
            int rsA0 = transA ? 1 : lda, csA0 = transA ? lda : 1;
            int rsB0 = transB ? 1 : ldb, csB0 = transB ? ldb : 1;
            boolean t = transposeExecution(transA, m, n);
            this.k = k;
            this.alpha = alpha;
            this.beta = beta;
            this.c = c;
            this.cOff = cOff;
            this.epilogue = ep != null;
            this.activation = ep == null ? null : ep.activation;
            float[] bias0 = ep == null ? null : ep.bias;
            boolean perColumn = ep == null || ep.biasAxis == GemmEpilogue.BiasAxis.COLUMN;
            this.bias = bias0;
            this.biasOff = ep == null ? 0 : ep.biasOff;
            this.z = ep == null ? null : ep.z;
            this.zOff = ep == null ? 0 : ep.zOff;
            int ldz = ep == null ? 0 : ep.ldz;
            this.everActive = ep == null ? null : ep.everActive;
            this.eaOff = ep == null ? 0 : ep.everActiveOff;
            if (!t) {
                this.m = m; this.n = n;
                this.a = a; this.aOff = aOff; this.rsA = rsA0; this.csA = csA0;
                this.b = b; this.bOff = bOff; this.rsB = rsB0; this.csB = csB0;
                this.rsC = ldc; this.csC = 1;
                this.biasRs = perColumn ? 0 : 1; this.biasCs = perColumn ? 1 : 0;
                this.rsZ = ldz; this.csZ = 1;
                this.eaRs = 0; this.eaCs = 1;
            } else {
                this.m = n; this.n = m;
                this.a = b; this.aOff = bOff; this.rsA = csB0; this.csA = rsB0;
                this.b = a; this.bOff = aOff; this.rsB = csA0; this.csB = rsA0;
                this.rsC = 1; this.csC = ldc;
                this.biasRs = perColumn ? 1 : 0; this.biasCs = perColumn ? 0 : 1;
                this.rsZ = 1; this.csZ = ldz;
                this.eaRs = 1; this.eaCs = 0;
            }
        }

        /**
         * A thin C (fewer columns than a micro-tile is wide, many rows) with A stored transposed runs
         * transposed: A's rows then pack into B panels by contiguous copies and the micro-tiles are full.
         * With A stored row by row that pack would be a transposition costing about one store per element
         * of A, more than the arithmetic; such a product runs as given and the micro-kernel reads A in place
         * (see {@code readsUnpackedA}).
         */
        static boolean transposeExecution(boolean transA, int m, int n) {
            return transA && n < 16 && m > n;
        }

        public float a(int i, int p) {
            return a[aOff + i * rsA + p * csA];
        }
    }

    // ---- matrix-vector ------------------------------------------------------------------------------

    /** Interleaved partial sums of the matrix-vector dot products, the same on every path and width. */
    public static final int DOT_LANES = 16;

    private void matrixVector(Problem p, float[] a, int aOff, int lda, float[] x, int xOff, int incx, int m, int k) {
        Buffers buf = BUFFERS.get();
        buf.ensure(m, incx == 1 ? 0 : k, DOT_LANES);
        float[] xv = x;
        int xo = xOff;
        if (incx != 1) {
            for (int q = 0; q < k; q++) {
                buf.pb[q] = x[xOff + q * incx];
            }
            xv = buf.pb;
            xo = 0;
        }
        for (int i = 0; i < m; i++) {
            buf.pa[i] = dot(a, aOff + i * lda, xv, xo, k, buf.tile);
        }
        // In executed coordinates the m results are one row (m > 1 runs transposed) or one element.
        writeBack(p, buf.pa, p.n, 0, 0, p.m, p.n, true, true);
    }

    /**
     * The dot product of a[aOff ..+k) and x[xOff ..+k) in the {@link #DOT_LANES}-way interleaved order;
     * {@code lanes} is scratch of at least DOT_LANES floats.
     */
    protected abstract float dot(float[] a, int aOff, float[] x, int xOff, int k, float[] lanes);

    /** The interleaved dot product from product {@code from} on, onto partial sums already in {@code lanes}. */
    protected static float dotTail(float[] a, int aOff, float[] x, int xOff, int from, int k, float[] lanes) {
        for (int q = from; q < k; q++) {
            int l = (q - from) & (DOT_LANES - 1);
            lanes[l] = Math.fma(a[aOff + q], x[xOff + q], lanes[l]);
        }
        for (int half = DOT_LANES / 2; half > 0; half /= 2) {
            for (int l = 0; l < half; l++) {
                lanes[l] += lanes[l + half];
            }
        }
        return lanes[0];
    }

    // ---- row vector times matrix ----------------------------------------------------------------------

    /**
     * m == 1 with B's rows contiguous: B is streamed row by row, without packing, in column chunks of
     * {@link #rowChunk()}; each element's sum keeps the k-block order of the packed path.
     */
    private void rowVector(Problem p, float[] a, int aOff, int incA, float[] b, int bOff, int ldb, int n, int k) {
        Buffers buf = BUFFERS.get();
        int w = rowChunk();
        buf.ensure(0, 0, w);
        final int kb = kBlock(k);
        for (int j0 = 0; j0 < n; j0 += w) {
            int nrr = Math.min(w, n - j0);
            int pc = 0;
            do {
                int kc = Math.min(kb, k - pc);
                rowBlock(a, aOff + pc * incA, incA, b, bOff + pc * ldb + j0, ldb, kc, nrr, buf.tile);
                writeBack(p, buf.tile, nrr, 0, j0, 1, nrr, pc == 0, pc + kc >= k);
                pc += kc;
            } while (pc < k);
        }
    }

    /** Columns per chunk of the row-vector path. */
    protected abstract int rowChunk();

    /**
     * acc[j] = sum over q < kc of a[aOff + q incA] * b[bOff + q ldb + j], for j < nr, each an in-order fma chain
     * from 0.
     */
    protected abstract void rowBlock(float[] a, int aOff, int incA, float[] b, int bOff, int ldb, int kc, int nr,
                                     float[] acc);

    /** Scalar rowBlock over columns [from, nr): the reference order, also the SIMD path's remainder. */
    protected static void rowBlockTail(float[] a, int aOff, int incA, float[] b, int bOff, int ldb, int kc,
                                       int from, int nr, float[] acc) {
        java.util.Arrays.fill(acc, from, nr, 0f);
        for (int q = 0; q < kc; q++) {
            float aq = a[aOff + q * incA];
            int row = bOff + q * ldb;
            for (int j = from; j < nr; j++) {
                acc[j] = Math.fma(aq, b[row + j], acc[j]);
            }
        }
    }

    // ---- the blocked driver -------------------------------------------------------------------------

    /** Per-thread packing buffers, grown on demand and reused across calls; the driver's own. */
    private static final class Buffers {
        float[] pa = new float[0], pb = new float[0], tile = new float[0];

        void ensure(int paSize, int pbSize, int tileSize) {
            if (pa.length < paSize) pa = new float[paSize];
            if (pb.length < pbSize) pb = new float[pbSize];
            if (tile.length < tileSize) tile = new float[tileSize];
        }
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** Below this many multiply-adds one thread does the whole call. */
    static final long PARALLEL_THRESHOLD = 1L << 21;

    private void execute(Problem p) {
        int chunks = 1;
        boolean splitRows = true;
        long work = (long) p.m * p.n * Math.max(1, p.k);
        if (parallelism > 1 && work >= PARALLEL_THRESHOLD && GemmThreads.HELPERS > 0) {
            // Split the rows when B is the smaller operand: B is packed once and shared (sharedB). Else split
            // the columns, one chunk per thread, each packing all of A (m x k) for itself, unless that
            // dimension is too small.
            int target = Math.min(parallelism, GemmThreads.HELPERS + 1);
            int rowTiles = (p.m + mr - 1) / mr, colTiles = (p.n + nr - 1) / nr;
            if (p.n <= p.m) {
                splitRows = rowTiles >= target || rowTiles >= colTiles;
            } else {
                splitRows = colTiles < target && rowTiles > colTiles;
            }
            chunks = Math.max(1, Math.min(target, splitRows ? rowTiles : colTiles));
        }
        if (chunks == 1) {
            blocked(p, 0, p.m, 0, p.n);
            return;
        }
        if (splitRows) {
            sharedB(p, chunks);
            return;
        }
        final int tiles = (p.n + nr - 1) / nr;
        final int nChunks = chunks;
        GemmThreads.run(nChunks, parallelism, chunk -> {
            int from = (int) ((long) tiles * chunk / nChunks) * nr;
            int to = Math.min(p.n, (int) ((long) tiles * (chunk + 1) / nChunks) * nr);
            if (from < to) {
                blocked(p, 0, p.m, from, to);
            }
        });
    }

    /** The GotoBLAS loop nest over rows [i0, i1) and columns [j0, j1) of the executed C. */
    private void blocked(Problem p, int i0, int i1, int j0, int j1) {
        Buffers buf = BUFFERS.get();
        final int kb = kBlock(p.k), mcMax = rowsPerABlock(kb);
        buf.ensure(mcMax * Math.max(kb, 1), Math.min(NC, roundUp(j1 - j0, nr)) * Math.max(kb, 1), mr * nr);
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            int pc = 0;
            do {
                int kc = Math.min(kb, p.k - pc);
                boolean first = pc == 0, last = pc + kc >= p.k;
                packB(p, pc, kc, jc, nc, buf.pb, 0);
                for (int ic = i0; ic < i1; ic += mcMax) {
                    rowBlock(p, kc, pc, ic, Math.min(mcMax, i1 - ic), jc, nc, first, last, buf.pb, buf);
                }
                pc += kc;
            } while (pc < p.k);
        }
    }

    /**
     * The loop nest of {@link #blocked} on several threads, split by rows: each (column panel, k block) of B is
     * packed once, by all threads (a share of its NR-wide panels each), into the calling thread's buffer; then
     * blocks of rows go to whichever thread is free next, each packing its rows of A into its own buffer and
     * reading the shared B. Against one chunk of rows per thread, each packing all of B for itself, this packs
     * B once, and a thread slowed by a neighbour on its core (this project's machine is shared) leaves more
     * blocks to the other instead of holding up the call. Blocks are at most an A block tall; the last
     * {@code threads} blocks' worth of rows go in MC_STEP-row blocks, so the threads finish close together.
     * Each C tile is computed by the same operations whichever thread takes it: the bits do not depend on the
     * threads.
     */
    private void sharedB(Problem p, int threads) {
        Buffers buf = BUFFERS.get();
        final int kb = kBlock(p.k);
        final int rows = Math.min(rowsPerABlock(kb),
                Math.max(MC_STEP, roundUp((p.m + 4 * threads - 1) / (4 * threads), MC_STEP)));
        final int headBlocks = Math.max(0, (p.m - threads * rows) / rows), head = headBlocks * rows;
        final int blocks = headBlocks + (p.m - head + MC_STEP - 1) / MC_STEP;
        buf.ensure(0, Math.min(NC, roundUp(p.n, nr)) * Math.max(kb, 1), 0);
        final float[] pb = buf.pb;
        for (int jc = 0; jc < p.n; jc += NC) {
            final int nc = Math.min(NC, p.n - jc), j = jc, panels = (nc + nr - 1) / nr;
            final int packChunks = Math.min(threads, panels);
            int pc = 0;
            do {
                final int kc = Math.min(kb, p.k - pc), q = pc;
                final boolean first = pc == 0, last = pc + kc >= p.k;
                GemmThreads.run(packChunks, parallelism, chunk -> {
                    int from = panels * chunk / packChunks * nr, to = Math.min(nc, panels * (chunk + 1) / packChunks * nr);
                    packB(p, q, kc, j + from, to - from, pb, from * kc);
                });
                GemmThreads.run(blocks, parallelism, block -> {
                    int ic = block < headBlocks ? block * rows : head + (block - headBlocks) * MC_STEP;
                    int mc = Math.min(block < headBlocks ? rows : MC_STEP, p.m - ic);
                    Buffers own = BUFFERS.get();   // the caller's own too: pa and tile only, pb untouched
                    own.ensure(rows * Math.max(kc, 1), 0, mr * nr);
                    rowBlock(p, kc, q, ic, mc, j, nc, first, last, pb, own);
                });
                pc += kc;
            } while (pc < p.k);
        }
    }

    /** Rows [ic, ic+mc) of one k block against the packed column panel pb at jc; A packed into buf.pa. */
    private void rowBlock(Problem p, int kc, int pc, int ic, int mc, int jc, int nc, boolean first, boolean last,
                          float[] pb, Buffers buf) {
        // One column panel uses each A panel once: packing A would copy it only to read it once more.
        if (nc <= nr && p.csA == 1 && readsUnpackedA()) {
            unpackedATiles(p, kc, pc, ic, mc, jc, nc, first, last, pb, buf);
            return;
        }
        packA(p, ic, mc, pc, kc, buf.pa);
        for (int jr = 0; jr < nc; jr += nr) {
            int nrr = Math.min(nr, nc - jr);
            for (int ir = 0; ir < mc; ir += mr) {
                int mrr = Math.min(mr, mc - ir);
                tile(p, kc, buf.pa, ir * kc, pb, jr * kc, ic + ir, jc + jr, mrr, nrr, first, last, buf.tile);
            }
        }
    }

    /** Rows [ic, ic+mc) against the single column panel at jc: full row panels straight from A, the rest packed. */
    private void unpackedATiles(Problem p, int kc, int pc, int ic, int mc, int jc, int nc, boolean first, boolean last,
                                float[] pb, Buffers buf) {
        int ir = 0;
        for (; ir + mr <= mc; ir += mr) {
            tileUnpackedA(p, kc, p.aOff + (ic + ir) * p.rsA + pc, p.rsA, pb, 0, ic + ir, jc, nc, first, last,
                    buf.tile);
        }
        if (ir < mc) {
            packA(p, ic + ir, mc - ir, pc, kc, buf.pa);
            tile(p, kc, buf.pa, 0, pb, 0, ic + ir, jc, mc - ir, nc, first, last, buf.tile);
        }
    }

    static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    /** A[ic .. ic+mc, pc .. pc+kc) into MR-row panels: panel r holds, for each p, MR values; zero padded. */
    void packA(Problem p, int ic, int mc, int pc, int kc, float[] pa) {
        final int mr = this.mr;
        for (int ir = 0; ir < mc; ir += mr) {
            int base = ir * kc, rows = Math.min(mr, mc - ir);
            int src = p.aOff + (ic + ir) * p.rsA + pc * p.csA;
            if (rows == 5) {
                packPanel5(p.a, src, p.rsA, p.csA, kc, pa, base);
                continue;
            }
            if (p.csA == 1) {
                for (int r = 0; r < rows; r++) {
                    int s = src + r * p.rsA;
                    for (int q = 0; q < kc; q++) {
                        pa[base + q * mr + r] = p.a[s + q];
                    }
                }
            } else {
                for (int q = 0; q < kc; q++) {
                    int s = src + q * p.csA, d = base + q * mr;
                    for (int r = 0; r < rows; r++) {
                        pa[d + r] = p.a[s + r * p.rsA];
                    }
                }
            }
            if (rows < mr) {
                for (int q = 0; q < kc; q++) {
                    for (int r = rows; r < mr; r++) {
                        pa[base + q * mr + r] = 0f;
                    }
                }
            }
        }
    }

    /**
     * A full panel of five rows (the SIMD micro-kernel's MR), both layouts: five source streams written as
     * one sequential stream: the generic loops above are bound by loop overhead on rows of five (the
     * transposed A of a backward pass; figures in docs/design.md).
     */
    private static void packPanel5(float[] a, int src, int rsA, int csA, int kc, float[] pa, int base) {
        final int s0 = src, s1 = src + rsA, s2 = src + 2 * rsA, s3 = src + 3 * rsA, s4 = src + 4 * rsA;
        if (csA == 1) {
            // Unit stride: the source indices are the loop variable plus invariants, so C2 hoists their
            // bounds checks, and the rows are copied four k steps at a time.
            int q = 0, d = base;
            for (; q + 4 <= kc; q += 4, d += 20) {
                float a00 = a[s0 + q], a01 = a[s0 + q + 1], a02 = a[s0 + q + 2], a03 = a[s0 + q + 3];
                float a10 = a[s1 + q], a11 = a[s1 + q + 1], a12 = a[s1 + q + 2], a13 = a[s1 + q + 3];
                float a20 = a[s2 + q], a21 = a[s2 + q + 1], a22 = a[s2 + q + 2], a23 = a[s2 + q + 3];
                float a30 = a[s3 + q], a31 = a[s3 + q + 1], a32 = a[s3 + q + 2], a33 = a[s3 + q + 3];
                float a40 = a[s4 + q], a41 = a[s4 + q + 1], a42 = a[s4 + q + 2], a43 = a[s4 + q + 3];
                pa[d] = a00; pa[d + 1] = a10; pa[d + 2] = a20; pa[d + 3] = a30; pa[d + 4] = a40;
                pa[d + 5] = a01; pa[d + 6] = a11; pa[d + 7] = a21; pa[d + 8] = a31; pa[d + 9] = a41;
                pa[d + 10] = a02; pa[d + 11] = a12; pa[d + 12] = a22; pa[d + 13] = a32; pa[d + 14] = a42;
                pa[d + 15] = a03; pa[d + 16] = a13; pa[d + 17] = a23; pa[d + 18] = a33; pa[d + 19] = a43;
            }
            for (; q < kc; q++, d += 5) {
                pa[d] = a[s0 + q];
                pa[d + 1] = a[s1 + q];
                pa[d + 2] = a[s2 + q];
                pa[d + 3] = a[s3 + q];
                pa[d + 4] = a[s4 + q];
            }
            return;
        }
        for (int q = 0, d = base, o = 0; q < kc; q++, d += 5, o += csA) {
            pa[d] = a[s0 + o];
            pa[d + 1] = a[s1 + o];
            pa[d + 2] = a[s2 + o];
            pa[d + 3] = a[s3 + o];
            pa[d + 4] = a[s4 + o];
        }
    }

    /** B[pc .. pc+kc, jc .. jc+nc) into NR-column panels from pb[pbOff]: panel j holds, for each p, NR values; zero padded. */
    void packB(Problem p, int pc, int kc, int jc, int nc, float[] pb, int pbOff) {
        final int nr = this.nr;
        for (int jr = 0; jr < nc; jr += nr) {
            int base = pbOff + jr * kc, cols = Math.min(nr, nc - jr);
            int src = p.bOff + pc * p.rsB + (jc + jr) * p.csB;
            if (p.csB == 1 && cols == nr) {
                packRowsOfB(p.b, src, p.rsB, kc, pb, base);
            } else if (p.csB == 1) {
                copyRows(p.b, src, p.rsB, kc, pb, base, nr, cols);
            } else {
                for (int j = 0; j < cols; j++) {
                    int s = src + j * p.csB;
                    for (int q = 0; q < kc; q++) {
                        pb[base + q * nr + j] = p.b[s + q * p.rsB];
                    }
                }
            }
            if (cols < nr) {
                for (int q = 0; q < kc; q++) {
                    for (int j = cols; j < nr; j++) {
                        pb[base + q * nr + j] = 0f;
                    }
                }
            }
        }
    }

    /**
     * A full-width panel of B with unit column stride: row q of the panel, nr floats from b[src + q rsB], to
     * pb[base + q nr]. Implementations may copy with vectors; the values are copied exactly either way.
     */
    protected void packRowsOfB(float[] b, int src, int rsB, int kc, float[] pb, int base) {
        copyRows(b, src, rsB, kc, pb, base, nr, nr);
    }

    /** kc rows of {@code cols} floats, from b[src + q rsB] to pb[base + q stride]. */
    private static void copyRows(float[] b, int src, int rsB, int kc, float[] pb, int base, int stride, int cols) {
        for (int q = 0; q < kc; q++) {
            System.arraycopy(b, src + q * rsB, pb, base + q * stride, cols);
        }
    }

    /**
     * One micro-tile: the kc-deep product of an MR-row panel of A and an NR-column panel of B, written to C
     * at executed rows i0 .. i0+mr and columns j0 .. j0+nr (mr and nr may be smaller at the edges).
     */
    protected abstract void tile(Problem p, int kc, float[] pa, int paOff, float[] pb, int pbOff,
                                 int i0, int j0, int mr, int nr, boolean first, boolean last, float[] scratch);

    /** Whether {@link #tileUnpackedA} is implemented; the driver packs every A panel otherwise. */
    protected boolean readsUnpackedA() {
        return false;
    }

    /**
     * A full micro-tile (MR rows) like {@link #tile}, reading A in place: element (r, q) of the panel is
     * {@code a[aOff + r * lda + q]}. The sums, their order and the write-back are exactly those of {@code tile}.
     */
    protected void tileUnpackedA(Problem p, int kc, int aOff, int lda, float[] pb, int pbOff, int i0, int j0, int nr,
                                 boolean first, boolean last, float[] scratch) {
        throw new UnsupportedOperationException(name() + " packs A");
    }

    /**
     * Write-back of a tile of sums acc[r * accLd + j], element by element, with the whole epilogue. The SIMD
     * path does the same lane-wise for full tiles; both follow the contract in the class comment.
     */
    protected static void writeBack(Problem p, float[] acc, int accLd, int i0, int j0, int mr, int nr,
                                    boolean first, boolean last) {
        final float alpha = p.alpha, beta = p.beta;
        final float[] c = p.c;
        final int rsC = p.rsC, csC = p.csC, cOff = p.cOff;
        if (!(last && p.epilogue)) {
            for (int r = 0; r < mr; r++) {
                final int row = cOff + (i0 + r) * rsC + j0 * csC, a0 = r * accLd;
                for (int j = 0; j < nr; j++) {
                    int idx = row + j * csC;
                    float s = acc[a0 + j];
                    c[idx] = !first ? Math.fma(alpha, s, c[idx]) : beta == 0f ? alpha * s : Math.fma(alpha, s, beta * c[idx]);
                }
            }
            return;
        }
        final float[] bias = p.bias, z = p.z;
        final boolean[] everActive = p.everActive;
        for (int r = 0; r < mr; r++) {
            int i = i0 + r;
            for (int j = 0; j < nr; j++) {
                int jj = j0 + j;
                int idx = cOff + i * rsC + jj * csC;
                float s = acc[r * accLd + j];
                float v = !first ? Math.fma(alpha, s, c[idx]) : beta == 0f ? alpha * s : Math.fma(alpha, s, beta * c[idx]);
                if (bias != null) v += bias[p.biasOff + i * p.biasRs + jj * p.biasCs];
                if (z != null) z[p.zOff + i * p.rsZ + jj * p.csZ] = v;
                if (everActive != null && v > 0f) everActive[p.eaOff + i * p.eaRs + jj * p.eaCs] = true;
                c[idx] = v;
            }
        }
        // The activation once per contiguous run of C (a row, or a column of a transposed execution) instead of
        // once per element: the same element-wise function, so the same bits, without a dispatch per element.
        if (p.activation != null) {
            if (csC == 1) {
                for (int r = 0; r < mr; r++) {
                    int idx = cOff + (i0 + r) * rsC + j0;
                    ScalarActivations.forwardRange(p.activation, c, idx, c, idx, nr);
                }
            } else { // a transposed execution: rsC == 1
                for (int j = 0; j < nr; j++) {
                    int idx = cOff + i0 + (j0 + j) * csC;
                    ScalarActivations.forwardRange(p.activation, c, idx, c, idx, mr);
                }
            }
        }
    }
}
