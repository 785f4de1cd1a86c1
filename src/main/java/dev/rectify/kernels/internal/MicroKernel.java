package dev.rectify.kernels.internal;

/**
 * Not API. The register-level kernels of one path, which the GEMM driver ({@link GemmDriver}) and the small-shape
 * paths ({@link GemmSmallShapes}) call: BLIS's micro-kernel, updating one MR x NR tile of C from two packed
 * micro-panels, plus the row-vector block and the interleaved dot product. Every implementation computes each C
 * element by the fma sequence {@code dev.rectify.kernels.Gemm}'s contract fixes, so all paths give the same bits.
 * Implementations are stateless and thread-safe.
 */
public interface MicroKernel {
    /** {@code scalar} or {@code simd-BITS}. */
    String name();

    /** Rows of a micro-tile; divides {@link GemmBlocking#MC_STEP}. */
    int mr();

    /** Columns of a micro-tile; divides {@link GemmBlocking#NC}. */
    int nr();

    /**
     * One micro-tile: the kc-deep product of an MR-row panel of A ({@code pa} from {@code paOff}) and an NR-column
     * panel of B, written back to C at executed rows i0 .. i0+mr and columns j0 .. j0+nr (mr and nr may be smaller
     * at the edges) with the contract's k-block combination and, on the last block, the epilogue.
     * {@code scratch} holds at least MR x NR floats.
     */
    void tile(GemmProblem p, int kc, float[] pa, int paOff, float[] pb, int pbOff,
              int i0, int j0, int mr, int nr, boolean first, boolean last, float[] scratch);

    /**
     * Depth of the k sub-blocks in which the driver runs packed panel pairs deeper than this: each kSubBlock-deep
     * part of a B micro-panel then stays in L1 while every A panel of the block passes it, the accumulators held in
     * memory between parts ({@link #partialTile}). 0: whole k blocks. Blocking only: the fma chains are unchanged.
     */
    default int kSubBlock() {
        return 0;
    }

    /**
     * The raw sums of a full MR x NR tile continued for kc steps of packed panels: each accumulator starts from
     * {@code from[fromOff + r NR + j]} (+0.0 for a fresh start), runs the same in-order fma chain as {@link #tile},
     * and is stored, unrounded and without any write-back, to {@code out[outOff + r NR + j]}. A float accumulator
     * stored and reloaded is the same float, so a chain split this way gives the bits of an unsplit one.
     */
    default void partialTile(int kc, float[] pa, int paOff, float[] pb, int pbOff, float[] from, int fromOff, float[] out,
                             int outOff) {
        throw new UnsupportedOperationException(name() + " has no partial tiles");
    }

    /**
     * Two full micro-tiles of packed A panels at {@code ao} and {@code ao2} against one full-width packed B panel,
     * rows i0 .. i0 + 2 MR: the bits of two {@link #tile} calls, which is what this does unless the kernel reads B
     * once for both.
     */
    default void tilePair(GemmProblem p, int kc, float[] pa, int ao, int ao2, float[] pb, int bo, int i0, int j0,
                          boolean first, boolean last, float[] scratch) {
        tile(p, kc, pa, ao, pb, bo, i0, j0, mr(), nr(), first, last, scratch);
        tile(p, kc, pa, ao2, pb, bo, i0 + mr(), j0, mr(), nr(), first, last, scratch);
    }

    /**
     * {@link #partialTile} for two full tiles at once, against the same B panel: A panels at {@code paOff} and
     * {@code paOff2}, their sums at {@code fromOff} and {@code fromOff + MR NR} (out likewise). Each sum's fma chain
     * is the one {@code partialTile} runs, so the bits are the same; a kernel overrides it when one B load feeding
     * twice the rows is faster.
     */
    default void partialTilePair(int kc, float[] pa, int paOff, int paOff2, float[] pb, int pbOff, float[] from,
                                 int fromOff, float[] out, int outOff) {
        final int tile = mr() * nr();
        partialTile(kc, pa, paOff, pb, pbOff, from, fromOff, out, outOff);
        partialTile(kc, pa, paOff2, pb, pbOff, from, fromOff + tile, out, outOff + tile);
    }

    /**
     * The write-back of {@link #tile} for a full tile whose sums are in {@code sums[r NR + j]}: the contract's
     * k-block combination with C and, on the last block, the epilogue.
     */
    default void writeBackTile(GemmProblem p, float[] sums, int i0, int j0, boolean first, boolean last) {
        GemmWriteBack.writeBack(p, sums, nr(), i0, j0, mr(), nr(), first, last);
    }

    /** Whether {@link #tileUnpackedA} is implemented; the driver packs every A panel otherwise. */
    default boolean readsUnpackedA() {
        return false;
    }

    /**
     * A full micro-tile (MR rows) like {@link #tile}, reading A in place: element (r, q) of the panel is
     * {@code a[aOff + r * lda + q]}. The sums, their order and the write-back are exactly those of {@code tile}.
     */
    default void tileUnpackedA(GemmProblem p, int kc, int aOff, int lda, float[] pb, int pbOff, int i0, int j0,
                               int nr, boolean first, boolean last, float[] scratch) {
        throw new UnsupportedOperationException(name() + " packs A");
    }

    /**
     * Whether {@link #tileUnpackedA} is also faster than packing for an A block used against several column panels;
     * the driver then reads every A with contiguous rows in place.
     */
    default boolean prefersUnpackedA() {
        return false;
    }

    /**
     * Products with at most this many rows read B's full-width panels in place ({@link #tileUnpackedB}) instead of
     * packing them: each element of B is used this few times, so the copy costs about as much as the products.
     * 0: the kernel always packs B.
     */
    default int unpackedBMaxRows() {
        return 0;
    }

    /**
     * A micro-tile of full width (NR columns) like {@link #tile}, reading B in place: element (q, j) of the panel
     * is {@code p.b[bAt + q * p.rsB + j]} (B's rows contiguous). The sums, their order and the write-back are
     * exactly those of {@code tile}.
     */
    default void tileUnpackedB(GemmProblem p, int kc, float[] pa, int paOff, int bAt, int i0, int j0, int mr,
                               boolean first, boolean last, float[] scratch) {
        throw new UnsupportedOperationException(name() + " packs B");
    }

    /**
     * A full micro-tile (MR rows, NR columns) reading both A and B in place, as {@link #tileUnpackedA} and
     * {@link #tileUnpackedB} do; only where both {@link #readsUnpackedA} and {@link #unpackedBMaxRows} allow it.
     */
    default void tileUnpackedAB(GemmProblem p, int kc, int aOff, int lda, int bAt, int i0, int j0, boolean first,
                                boolean last, float[] scratch) {
        throw new UnsupportedOperationException(name() + " packs A and B");
    }

    /** Two full micro-tiles, rows i0 .. i0 + 2 MR, as two {@link #tileUnpackedAB} calls or one pass over B. */
    default void tileUnpackedABPair(GemmProblem p, int kc, int aOff, int lda, int bAt, int i0, int j0, boolean first,
                                    boolean last, float[] scratch) {
        tileUnpackedAB(p, kc, aOff, lda, bAt, i0, j0, first, last, scratch);
        tileUnpackedAB(p, kc, aOff + mr() * lda, lda, bAt, i0 + mr(), j0, first, last, scratch);
    }

    /**
     * Whether the driver should read an A stored transposed in place, two tiles at a time ({@link
     * #tileTransposedAPair}), instead of packing it.
     */
    default boolean readsTransposedA() {
        return false;
    }

    /**
     * Two full micro-tiles, rows i0 .. i0 + 2 mr, of an A stored transposed read in place (row i at k step q is
     * {@code a[aOff + q lda + i]}) against a packed B panel; only called where {@link #readsTransposedA} is true.
     */
    default void tileTransposedAPair(GemmProblem p, int kc, int aOff, int lda, float[] pb, int bo, int i0, int j0,
                                     boolean first, boolean last, float[] scratch) {
        throw new UnsupportedOperationException(name() + " packs A stored transposed");
    }

    /** Rows of A per {@link #tileUnpackedABEight} pass. */
    int EIGHT_ROWS = 8;

    /**
     * Whether the driver should run A and B in place as {@link #tileUnpackedABEight} passes when the block's row
     * count is a multiple of {@link #EIGHT_ROWS} but not of two tiles.
     */
    default boolean eightRowTiles() {
        return false;
    }

    /**
     * Eight rows of A in place (lda apart) against a full-width panel of B in place, written back as rows i0 ..
     * i0 + 8 of C with the same fma chains as tiles; only called where {@link #eightRowTiles} is true.
     */
    default void tileUnpackedABEight(GemmProblem p, int kc, int aOff, int lda, int bAt, int i0, int j0, boolean first,
                                     boolean last, float[] scratch) {
        throw new UnsupportedOperationException(name() + " has no eight-row tiles");
    }

    /**
     * Columns per call of {@link #tileFewRowsAB} for {@code rows} rows past the last full tile (a multiple of nr),
     * or 0 when they are packed into a padded tile instead.
     */
    default int fewRowsWidth(int rows) {
        return 0;
    }

    /**
     * The {@code rows} (fewer than mr) rows of A in place at aOff (rows lda apart) against {@link #fewRowsWidth(int)}
     * columns of B in place at bAt, written back as a tile of C at (i0, j0): the same fma chains as a tile.
     */
    default void tileFewRowsAB(GemmProblem p, int kc, int aOff, int lda, int bAt, int i0, int j0, int rows,
                               boolean first, boolean last, float[] scratch) {
        throw new UnsupportedOperationException(name() + " pads the last rows");
    }

    /**
     * Whether the driver should copy the full rows of each A block {@link GemmBlocking#A_ROW_STRIDE} floats apart
     * and run {@link #tileCopiedAPair} over them, instead of two {@link #tileUnpackedA} over A in place.
     */
    default boolean copiesARows() {
        return false;
    }

    /**
     * Two full micro-tiles, rows i0 .. i0 + 2 MR, against one full-width packed B panel, with A's 2 MR rows copied into
     * {@code pa}, row r from pa[ao + r A_ROW_STRIDE]; the fma chains of {@link #tileUnpackedA}, so the same bits. Only
     * called when {@link #copiesARows()}.
     */
    default void tileCopiedAPair(GemmProblem p, int kc, float[] pa, int ao, float[] pb, int bo, int i0, int j0,
                                 boolean first, boolean last, float[] scratch) {
        throw new UnsupportedOperationException(name() + " does not read copied rows of A");
    }

    /** Two micro-tiles, rows i0 .. i0 + 2 MR, against a packed B panel of nr &lt;= NR columns: two {@link #tileUnpackedA}. */
    default void tileUnpackedAPair(GemmProblem p, int kc, int aOff, int lda, float[] pb, int bo, int i0, int j0, int nr,
                                   boolean first, boolean last, float[] scratch) {
        tileUnpackedA(p, kc, aOff, lda, pb, bo, i0, j0, nr, first, last, scratch);
        tileUnpackedA(p, kc, aOff + mr() * lda, lda, pb, bo, i0 + mr(), j0, nr, first, last, scratch);
    }


    /**
     * A full-width panel of B with unit column stride: row q of the panel, NR floats from b[src + q rsB], to
     * pb[base + q NR]; the values are copied exactly.
     */
    default void packRowsOfB(float[] b, int src, int rsB, int kc, float[] pb, int base) {
        GemmPacking.copyRows(b, src, rsB, kc, pb, base, nr(), nr());
    }

    /**
     * A full-width panel of a B stored transposed: column j of the panel, kc floats from b[src + j csB], to
     * pb[base + q NR + j]; the values are copied exactly.
     */
    default void packColumnsOfB(float[] b, int src, int csB, int kc, float[] pb, int base) {
        GemmPacking.copyColumns(b, src, csB, kc, pb, base, nr(), nr());
    }

    /**
     * {@code panels} full MR-row panels of an A stored transposed (each k step's rows contiguous): row i of panel r
     * at k step q, a[src + r MR + i + q csA], to pa[base + r MR kc + q MR + i]; the values are copied exactly.
     */
    default void packPanelsOfTransposedA(float[] a, int src, int csA, int kc, int panels, float[] pa, int base) {
        GemmPacking.copyTransposedPanels(a, src, csA, kc, 0, panels, mr(), pa, base);
    }

    /** Columns per chunk of the row-vector path. */
    int rowChunk();

    /**
     * acc[j] = sum over q &lt; kc of a[aOff + q incA] * b[bOff + q ldb + j], for j &lt; nr, each an in-order fma
     * chain from 0.
     */
    void rowBlock(float[] a, int aOff, int incA, float[] b, int bOff, int ldb, int kc, int nr, float[] acc);

    /**
     * The dot product of a[aOff ..+k) and x[xOff ..+k) in the {@link GemmBlocking#DOT_LANES}-way interleaved order;
     * {@code lanes} is scratch of at least DOT_LANES floats.
     */
    float dot(float[] a, int aOff, float[] x, int xOff, int k, float[] lanes);
}
