package dev.rectify.kernels.internal;

import static dev.rectify.kernels.internal.GemmBlocking.MC_STEP;
import static dev.rectify.kernels.internal.GemmBlocking.NC;
import static dev.rectify.kernels.internal.GemmBlocking.PARALLEL_THRESHOLD;
import static dev.rectify.kernels.internal.GemmBlocking.kBlock;
import static dev.rectify.kernels.internal.GemmBlocking.roundUp;
import static dev.rectify.kernels.internal.GemmBlocking.rowsPerABlock;

/**
 * Not API. BLIS's driver: the GotoBLAS loop nest (NC columns of B packed at a time, k in blocks, MC rows of A
 * packed at a time, then MR x NR micro-tiles) around one path's {@link MicroKernel}, and the split of a call over
 * the threads of {@link GemmThreads}. How the work is tiled, packed or split never changes any C element's fma
 * order, so the bits depend neither on the path nor on the thread count. Immutable and thread-safe.
 */
public final class GemmDriver {
    /**
     * Products at most this deep are split by columns on several threads, in chunks each thread owns call after
     * call ({@link GemmThreads#runOwned}), also when the rows would split better. Such a product is a trainer's
     * weight gradient {@code dW = x^T dZ} (k = the batch) of a layer small enough to make one forward product
     * (larger ones split dW by rows themselves, see {@code Dense}): its columns then go to the thread that reads the same
     * columns of W in the forward product {@code x W}, itself split by columns, so the lines of a weight matrix
     * and its gradient stay on one core through a training step instead of moving between cores every step
     * (docs/design.md). Packing all of A per thread costs little at such a depth.
     */
    static final int OWNED_COLUMNS_MAX_K = 64;

    private final MicroKernel kernel;
    private final int mr, nr, parallelism, kSub;
    /** Two fresh tiles' starting sums, +0.0; never written. */
    private final float[] freshSums;

    /** A driver around {@code kernel} that uses up to {@code parallelism} threads per call, the caller's included. */
    public GemmDriver(MicroKernel kernel, int parallelism) {
        this(kernel, parallelism, kernel.kSubBlock());
    }

    /** As above with k sub-blocks {@code kSub} deep (0: none) instead of the kernel's; tests use it. */
    GemmDriver(MicroKernel kernel, int parallelism, int kSub) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + parallelism);
        }
        if (kSub < 0) {
            throw new IllegalArgumentException("kSub must be >= 0, was " + kSub);
        }
        this.kernel = kernel;
        this.mr = kernel.mr();
        this.nr = kernel.nr();
        if (MC_STEP % mr != 0 || NC % nr != 0) {
            throw new IllegalArgumentException("micro-tile " + mr + "x" + nr + " does not divide the blocking");
        }
        this.parallelism = parallelism;
        this.kSub = kSub;
        this.freshSums = new float[2 * mr * nr];
    }

    /** The micro-kernel this driver runs. */
    public MicroKernel kernel() {
        return kernel;
    }

    /** Threads one call may use. */
    public int parallelism() {
        return parallelism;
    }

    /**
     * Rows per packed A block: with k sub-blocks only one part of the block (MC x kSub) is read per B panel part,
     * so the whole block (up to MC x KC floats, 480 KB) may fill more of L2 than {@link GemmBlocking#rowsPerABlock}
     * allows for whole-depth blocks.
     */
    private int aBlockRows(int kc) {
        return kSub > 0 ? GemmBlocking.MC : rowsPerABlock(kc);
    }

    /** Floats per row of an A block in buf.pa: packed rows take kc, rows copied for the kernel its stride. */
    private int aBlockStride(int kc) {
        return kernel.copiesARows() ? Math.max(kc, GemmBlocking.A_ROW_STRIDE) : Math.max(kc, 1);
    }

    /** The packed, blocked product of a problem with m, n &gt; 0, on up to {@link #parallelism()} threads. */
    public void execute(GemmProblem p) {
        int chunks = 1;
        boolean splitRows = true;
        long work = (long) p.m * p.n * Math.max(1, p.k);
        if (parallelism > 1 && work >= PARALLEL_THRESHOLD && GemmThreads.HELPERS > 0) {
            // Split the rows when B is the smaller operand: B is packed once and shared (sharedB). Else split
            // the columns, one chunk per thread, each packing all of A (m x k) for itself, unless that
            // dimension is too small. A thin k is split by columns whatever the shape: see OWNED_COLUMNS_MAX_K.
            int target = Math.min(parallelism, GemmThreads.HELPERS + 1);
            int rowTiles = (p.m + mr - 1) / mr, colTiles = (p.n + nr - 1) / nr;
            if (p.k <= OWNED_COLUMNS_MAX_K && colTiles >= 2 * target) {
                splitRows = false;
            } else if (p.n <= p.m) {
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
        GemmThreads.runOwned(nChunks, parallelism, chunk -> {
            int from = (int) ((long) tiles * chunk / nChunks) * nr;
            int to = Math.min(p.n, (int) ((long) tiles * (chunk + 1) / nChunks) * nr);
            if (from < to) {
                blocked(p, 0, p.m, from, to);
            }
        });
    }

    /** The GotoBLAS loop nest over rows [i0, i1) and columns [j0, j1) of the executed C. */
    private void blocked(GemmProblem p, int i0, int i1, int j0, int j1) {
        GemmBuffers buf = GemmBuffers.get();
        final int kb = kBlock(p.k), mcMax = aBlockRows(kb);
        buf.ensure(mcMax * aBlockStride(kb), Math.min(NC, roundUp(j1 - j0, nr)) * Math.max(kb, 1), 2 * mr * nr, mcMax * nr);
        final boolean inPlaceB = p.csB == 1 && p.m <= kernel.unpackedBMaxRows();
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            // Few rows use each element of B a few times only: copying B into panels would cost about as
            // much as the products, so full-width panels are read in place and only a narrow last one is packed.
            final int inPlaceCols = inPlaceB ? nc / nr * nr : 0;
            int pc = 0;
            do {
                int kc = Math.min(kb, p.k - pc);
                boolean first = pc == 0, last = pc + kc >= p.k;
                if (inPlaceCols < nc) {
                    GemmPacking.packB(p, kernel, pc, kc, jc + inPlaceCols, nc - inPlaceCols, buf.pb, inPlaceCols * kc);
                }
                for (int ic = i0; ic < i1; ic += mcMax) {
                    rowBlock(p, kc, pc, ic, Math.min(mcMax, i1 - ic), jc, nc, inPlaceCols, first, last, buf.pb, buf);
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
    private void sharedB(GemmProblem p, int threads) {
        GemmBuffers buf = GemmBuffers.get();
        final int kb = kBlock(p.k);
        final int rows = Math.min(aBlockRows(kb),
                Math.max(MC_STEP, roundUp((p.m + 4 * threads - 1) / (4 * threads), MC_STEP)));
        final int headBlocks = Math.max(0, (p.m - threads * rows) / rows), head = headBlocks * rows;
        final int blocks = headBlocks + (p.m - head + MC_STEP - 1) / MC_STEP;
        buf.ensure(0, Math.min(NC, roundUp(p.n, nr)) * Math.max(kb, 1), 0, 0);
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
                    GemmPacking.packB(p, kernel, q, kc, j + from, to - from, pb, from * kc);
                });
                GemmThreads.run(blocks, parallelism, block -> {
                    int ic = block < headBlocks ? block * rows : head + (block - headBlocks) * MC_STEP;
                    int mc = Math.min(block < headBlocks ? rows : MC_STEP, p.m - ic);
                    GemmBuffers own = GemmBuffers.get();   // the caller's own too: pa and tile only, pb untouched
                    own.ensure(rows * aBlockStride(kc), 0, 2 * mr * nr, rows * nr);
                    rowBlock(p, kc, q, ic, mc, j, nc, 0, first, last, pb, own);
                });
                pc += kc;
            } while (pc < p.k);
        }
    }

    /**
     * Rows [ic, ic+mc) of one k block against the column panels at jc: the first {@code inPlaceCols} columns read
     * from B in place, the rest packed in pb; A read in place where its rows are contiguous and the kernel prefers
     * it (or B is read in place too), else packed into buf.pa.
     */
    private void rowBlock(GemmProblem p, int kc, int pc, int ic, int mc, int jc, int nc, int inPlaceCols,
                          boolean first, boolean last, float[] pb, GemmBuffers buf) {
        // One column panel uses each A panel once: packing A would copy it only to read it once more.
        if (nc <= nr && inPlaceCols == 0 && p.csA == 1 && kernel.readsUnpackedA()) {
            unpackedATiles(p, kc, pc, ic, mc, jc, nc, first, last, pb, buf);
            return;
        }
        if (p.csA == 1 && kernel.readsUnpackedA() && (inPlaceCols > 0 || kernel.prefersUnpackedA())) {
            inPlaceTiles(p, kc, pc, ic, mc, jc, nc, inPlaceCols, first, last, pb, buf);
            return;
        }
        if (p.rsA == 1 && p.csA != 1 && kc <= TRANSPOSED_A_MAX_K && inPlaceCols == 0 && nc % nr == 0 && kernel.readsTransposedA()) {
            transposedATiles(p, kc, pc, ic, mc, jc, nc, first, last, pb, buf);
            return;
        }
        GemmPacking.packA(p, kernel, ic, mc, pc, kc, buf.pa);
        // Shallower blocks keep whole tiles: below half a part, parking and writing back the sums through the tile
        // buffer costs more than the B loads saved (784x32x256 tn: 0.77x the time without; docs/design.md).
        final int subBlocks = kSub > 0 && kc >= kSub / 2 ? (kc + kSub - 1) / kSub : 0;
        for (int jr = 0; jr < nc; jr += nr) {
            int nrr = Math.min(nr, nc - jr);
            if (subBlocks > 0 && nrr == nr && jr >= inPlaceCols) {
                subBlockedPanel(p, kc, subBlocks, ic, mc, jc, jr, first, last, pb, buf);
                continue;
            }
            for (int ir = 0; ir < mc; ir += mr) {
                int mrr = Math.min(mr, mc - ir);
                if (jr < inPlaceCols) {
                    kernel.tileUnpackedB(p, kc, buf.pa, ir * kc, p.bOff + pc * p.rsB + jc + jr, ic + ir, jc + jr, mrr,
                            first, last, buf.tile);
                } else if (nrr == nr && ir + 2 * mr <= mc) {
                    kernel.tilePair(p, kc, buf.pa, ir * kc, (ir + mr) * kc, pb, jr * kc, ic + ir, jc + jr, first, last,
                            buf.tile);
                    ir += mr;
                } else {
                    kernel.tile(p, kc, buf.pa, ir * kc, pb, jr * kc, ic + ir, jc + jr, mrr, nrr, first, last, buf.tile);
                }
            }
        }
    }

    /**
     * One full-width packed B panel against the packed A block, k cut into {@code subBlocks} equal parts (one when
     * the block is no deeper than kSub): each part of the B panel is read from L1 by every A panel in turn, two A
     * panels per B load where the kernel can, the full tiles' sums kept in buf.sums between parts (floats stored and
     * reloaded, so the fma chains and the bits are those of an unsplit k block). Rows past the last full tile run
     * the whole block at once.
     */
    private void subBlockedPanel(GemmProblem p, int kc, int subBlocks, int ic, int mc, int jc, int jr, boolean first,
                                 boolean last, float[] pb, GemmBuffers buf) {
        final int full = mc / mr * mr, depth = (kc + subBlocks - 1) / subBlocks, panel = mr * nr;
        for (int ks = 0; ks < kc; ks += depth) {
            final int kk = Math.min(depth, kc - ks), bAt = jr * kc + ks * nr;
            final boolean fresh = ks == 0, done = ks + kk == kc;
            int ir = 0, t = 0;
            for (; ir + 2 * mr <= full; ir += 2 * mr, t += 2 * panel) {   // two A panels per B load
                float[] from = fresh ? freshSums : buf.sums;
                int fromOff = fresh ? 0 : t, aAt = ir * kc + ks * mr;
                if (done) {
                    kernel.partialTilePair(kk, buf.pa, aAt, aAt + mr * kc, pb, bAt, from, fromOff, buf.tile, 0);
                    kernel.writeBackTile(p, buf.tile, ic + ir, jc + jr, first, last);
                    System.arraycopy(buf.tile, panel, buf.tile, 0, panel);
                    kernel.writeBackTile(p, buf.tile, ic + ir + mr, jc + jr, first, last);
                } else {
                    kernel.partialTilePair(kk, buf.pa, aAt, aAt + mr * kc, pb, bAt, from, fromOff, buf.sums, t);
                }
            }
            if (ir < full) {
                float[] from = fresh ? freshSums : buf.sums;
                int fromOff = fresh ? 0 : t;
                if (done) {
                    kernel.partialTile(kk, buf.pa, ir * kc + ks * mr, pb, bAt, from, fromOff, buf.tile, 0);
                    kernel.writeBackTile(p, buf.tile, ic + ir, jc + jr, first, last);
                } else {
                    kernel.partialTile(kk, buf.pa, ir * kc + ks * mr, pb, bAt, from, fromOff, buf.sums, t);
                }
            }
        }
        if (full < mc) {
            kernel.tile(p, kc, buf.pa, full * kc, pb, jr * kc, ic + full, jc + jr, mc - full, nr, first, last, buf.tile);
        }
    }

    /**
     * A with contiguous rows: full micro-tiles read A in place, and B in place for the first {@code inPlaceCols}
     * columns (the rest from pb); only the rows past the last full tile are packed. Against a packed B, a kernel that
     * {@link MicroKernel#copiesARows copies A's rows} reads its row-tile pairs from buf.pa instead.
     */
    private void inPlaceTiles(GemmProblem p, int kc, int pc, int ic, int mc, int jc, int nc, int inPlaceCols,
                              boolean first, boolean last, float[] pb, GemmBuffers buf) {
        final int full = mc / mr * mr, bAt = p.bOff + pc * p.rsB + jc, pairRows = full / (2 * mr) * 2 * mr;
        if (inPlaceCols == nc && kernel.eightRowTiles() && mc % MicroKernel.EIGHT_ROWS == 0 && mc % (2 * mr) != 0) {
            for (int jr = 0; jr < nc; jr += nr) {
                for (int ir = 0; ir < mc; ir += MicroKernel.EIGHT_ROWS) {
                    kernel.tileUnpackedABEight(p, kc, p.aOff + (ic + ir) * p.rsA + pc, p.rsA, bAt + jr, ic + ir,
                            jc + jr, first, last, buf.tile);
                }
            }
            return;
        }
        // Against packed B, the kernel may want the pairs' rows at its constant stride: one copy per A block.
        final boolean copied = inPlaceCols == 0 && pairRows > 0 && kernel.copiesARows();
        if (copied) {
            for (int r = 0; r < pairRows; r++) {
                System.arraycopy(p.a, p.aOff + (ic + r) * p.rsA + pc, buf.pa, r * GemmBlocking.A_ROW_STRIDE, kc);
            }
        }
        for (int jr = 0; jr < nc; jr += nr) {
            for (int ir = 0; ir < full; ir += mr) {
                int aAt = p.aOff + (ic + ir) * p.rsA + pc;
                if (copied && ir < pairRows && nc - jr >= nr) {
                    kernel.tileCopiedAPair(p, kc, buf.pa, ir * GemmBlocking.A_ROW_STRIDE, pb, jr * kc, ic + ir, jc + jr,
                            first, last, buf.tile);
                    ir += mr;
                } else if (jr < inPlaceCols && ir + 2 * mr <= full) {   // two row tiles per pass over B
                    kernel.tileUnpackedABPair(p, kc, aAt, p.rsA, bAt + jr, ic + ir, jc + jr, first, last, buf.tile);
                    ir += mr;
                } else if (jr < inPlaceCols) {
                    kernel.tileUnpackedAB(p, kc, aAt, p.rsA, bAt + jr, ic + ir, jc + jr, first, last, buf.tile);
                } else if (nc - jr >= nr && ir + 2 * mr <= full) {
                    kernel.tileUnpackedAPair(p, kc, aAt, p.rsA, pb, jr * kc, ic + ir, jc + jr, nr, first, last, buf.tile);
                    ir += mr;
                } else {
                    kernel.tileUnpackedA(p, kc, aAt, p.rsA, pb, jr * kc, ic + ir, jc + jr, Math.min(nr, nc - jr), first, last,
                            buf.tile);
                }
            }
        }
        if (full < mc) {
            // The last rows in place, several panels wide, where the kernel can; the rest in a padded tile.
            final int wide = kernel.fewRowsWidth(mc - full), aAt = p.aOff + (ic + full) * p.rsA + pc;
            int jr = 0;
            for (; wide > 0 && jr + wide <= inPlaceCols; jr += wide) {
                kernel.tileFewRowsAB(p, kc, aAt, p.rsA, bAt + jr, ic + full, jc + jr, mc - full, first, last, buf.tile);
            }
            if (jr < nc) GemmPacking.packA(p, kernel, ic + full, mc - full, pc, kc, buf.pa);
            for (; jr < nc; jr += nr) {
                if (jr < inPlaceCols) {
                    kernel.tileUnpackedB(p, kc, buf.pa, 0, bAt + jr, ic + full, jc + jr, mc - full, first, last, buf.tile);
                } else {
                    kernel.tile(p, kc, buf.pa, 0, pb, jr * kc, ic + full, jc + jr, mc - full, Math.min(nr, nc - jr), first, last,
                            buf.tile);
                }
            }
        }
    }

    /**
     * Deepest k block whose A stored transposed is read in place: ten rows over kc k steps touch about 1.5 kc lines,
     * which stay in L1 next to a B panel up to here (784x256x256 tn 0.92x the packed time, 1024^3 tn 1.2x).
     */
    static final int TRANSPOSED_A_MAX_K = 256;

    /**
     * An A stored transposed read in place, ten rows per pass over each packed B panel (the panels in turn while the
     * ten rows' A stays in L1); the rows past the last pair packed and run as tiles.
     */
    private void transposedATiles(GemmProblem p, int kc, int pc, int ic, int mc, int jc, int nc, boolean first,
                                  boolean last, float[] pb, GemmBuffers buf) {
        final int pairs = mc / (2 * mr) * (2 * mr);
        for (int ir = 0; ir < pairs; ir += 2 * mr) {
            final int aAt = p.aOff + (ic + ir) + pc * p.csA;
            for (int jr = 0; jr < nc; jr += nr) {
                kernel.tileTransposedAPair(p, kc, aAt, p.csA, pb, jr * kc, ic + ir, jc + jr, first, last, buf.tile);
            }
        }
        if (pairs == mc) return;
        GemmPacking.packA(p, kernel, ic + pairs, mc - pairs, pc, kc, buf.pa);
        for (int jr = 0; jr < nc; jr += nr) {
            for (int ir = 0; ir < mc - pairs; ir += mr) {
                kernel.tile(p, kc, buf.pa, ir * kc, pb, jr * kc, ic + pairs + ir, jc + jr, Math.min(mr, mc - pairs - ir), nr,
                        first, last, buf.tile);
            }
        }
    }

    /** Rows [ic, ic+mc) against the single column panel at jc: full row panels straight from A, the rest packed. */
    private void unpackedATiles(GemmProblem p, int kc, int pc, int ic, int mc, int jc, int nc, boolean first, boolean last,
                                float[] pb, GemmBuffers buf) {
        int ir = 0;
        for (; ir + 2 * mr <= mc; ir += 2 * mr) {
            kernel.tileUnpackedAPair(p, kc, p.aOff + (ic + ir) * p.rsA + pc, p.rsA, pb, 0, ic + ir, jc, nc, first, last,
                    buf.tile);
        }
        for (; ir + mr <= mc; ir += mr) {
            kernel.tileUnpackedA(p, kc, p.aOff + (ic + ir) * p.rsA + pc, p.rsA, pb, 0, ic + ir, jc, nc, first, last,
                    buf.tile);
        }
        if (ir < mc) {
            GemmPacking.packA(p, kernel, ic + ir, mc - ir, pc, kc, buf.pa);
            kernel.tile(p, kc, buf.pa, 0, pb, 0, ic + ir, jc, mc - ir, nc, first, last, buf.tile);
        }
    }
}
