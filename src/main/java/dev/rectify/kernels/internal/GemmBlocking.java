package dev.rectify.kernels.internal;

/**
 * Not API. The cache blocking of the GEMM driver and the constants of GEMM's numerical contract; the public
 * ones are restated on {@code dev.rectify.kernels.Gemm}, whose Javadoc explains them. Why each value: docs/design.md.
 */
public final class GemmBlocking {
    private GemmBlocking() {}

    /**
     * Deepest k block. Every block passes over all of C once (each tile's accumulators are combined with C and
     * stored), so fewer blocks mean fewer of those passes and fewer roundings; and k is cut into blocks of equal
     * depth rather than KC-deep blocks and a remainder, so that a 784-deep product is one block, not 512 + 272.
     * Deeper panels of B than L1 holds stream from L2, which the micro-kernel is far from saturating, as long as
     * the MC x kc block of A stays in L2 too. Part of the numerical contract: it fixes where the k blocks split.
     */
    public static final int KC = 1024;
    /**
     * Floats from one row to the next of an A block copied for {@link MicroKernel#tileCopiedAPair}: at least KC,
     * and 65 cache lines rather than a multiple of 64, so that the rows' k steps do not share one L1 set.
     */
    public static final int A_ROW_STRIDE = KC + 16;
    /**
     * Rows of A packed at a time for blocks up to 512 deep: MC x kc floats (at most 240 KB) stay in half of a
     * 512 KB L2 while the B panel streams by; deeper blocks pack fewer rows at a time to stay under the same
     * 240 KB (see {@link #rowsPerABlock}).
     */
    public static final int MC = 120;
    /** Columns of B packed at a time: kc x NC floats (up to 8 MB) stay in a 32 MB L3. */
    public static final int NC = 2048;
    /** The packed A block's budget: MC rows of a 512-deep block, 240 KB, half of a 512 KB L2. */
    static final int A_BLOCK_FLOATS = MC * 512;
    /** Every micro-tile height (5 for SIMD, 4 scalar) divides every A block height. */
    public static final int MC_STEP = 20;
    /** Interleaved partial sums of the matrix-vector dot products, the same on every path and width. */
    public static final int DOT_LANES = 16;
    /**
     * Problems up to this many multiply-adds skip packing: for them the packing and the edge tiles cost more than
     * the arithmetic (the born-dead estimate's 101 x 2 x 2 layers).
     */
    public static final int TINY_WORK = 8192;
    /** Below this many multiply-adds one thread does the whole call. */
    public static final long PARALLEL_THRESHOLD = 1L << 21;

    /** The depth of each k block (the last may be shorter) of a k-deep product: k cut into equal blocks. */
    public static int kBlock(int k) {
        int blocks = Math.max(1, (k + KC - 1) / KC);
        return (k + blocks - 1) / blocks;
    }

    /** Rows per packed A block for blocks kc deep: MC, or fewer (in steps of MC_STEP) to stay in budget. */
    public static int rowsPerABlock(int kc) {
        return MC * kc <= A_BLOCK_FLOATS ? MC : Math.max(MC_STEP, A_BLOCK_FLOATS / kc / MC_STEP * MC_STEP);
    }

    static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }
}
