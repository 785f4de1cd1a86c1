package dev.rectify.kernels.internal.simd;

/**
 * Not API. Which tiling the SIMD micro-kernel runs on each CPU family and vector width, as measured on each host
 * (docs/design.md): a function of (lanes, family) only, so tests can run every family's tiling on any host.
 */
final class SimdHostTiling {
    private SimdHostTiling() {}

    /** Zen 5's CPU family number; Zen 4 (25) reports the same 512-bit vectors but executes them in two halves. */
    private static final int ZEN5_FAMILY = 26;

    /** Intel's CPU family number (every Core and Xeon since 2006). */
    private static final int INTEL_FAMILY = 6;
    /** The k sub-block depth on Intel at 16 lanes: a 256 x 32-float part of a B panel is 32 KB, in a 48 KB L1. */
    private static final int INTEL_K_SUB = 256;

    // Intel at 16 lanes packs A and runs B panels deeper than 256 in L1-sized parts: its L2 does not feed a B
    // panel streamed at two FMAs per cycle, and the in-place loop issues more instructions than the packed one.
    // AMD hosts read A in place (Zen 4 and 5 measured); at 8 lanes the parts were slower on this Intel host
    // (UseAVX=2), so whole blocks there (docs/design.md).
    static int kSubBlock(int lanes, int cpuFamily) {
        return lanes == 16 && cpuFamily == INTEL_FAMILY ? INTEL_K_SUB : 0;
    }

    // Two row tiles per pass over a B panel, read in place (Intel and Zen 5) or packed with A in place (Zen 5; Intel
    // packs A): 20 accumulators need AVX-512's 32 registers; Zen 4 runs the tiles one at a time until measured
    // (docs/design.md).
    static boolean pairsRowTiles(int lanes, int cpuFamily) {
        return lanes == 16 && (cpuFamily == INTEL_FAMILY || cpuFamily == ZEN5_FAMILY);
    }

    // Eight rows of A per pass over B in place where the row count is a multiple of eight but not of ten (a batch of
    // 32: four passes instead of three ten-row passes and two rows on their own): Zen 5 at 16 lanes, measured.
    static boolean eightRowTiles(int lanes, int cpuFamily) {
        return lanes == 16 && cpuFamily == ZEN5_FAMILY;
    }

    // Two packed A panels per pass over a packed B panel in whole k blocks: Zen 5 at 16 lanes (measured); Intel pairs
    // them inside its k sub-blocks instead, and other hosts run one tile at a time until measured (docs/design.md).
    static boolean pairsPackedTiles(int lanes, int cpuFamily) {
        return lanes == 16 && cpuFamily == ZEN5_FAMILY;
    }

    // Where A's rows are read in place two tiles at a time (Zen 5 at 16 lanes), the driver copies them to a constant
    // stride first: fewer instructions per k step. BuildAB against reading the caller's rows, both JDKs (docs/design.md).
    static boolean copiesARows(int lanes, int cpuFamily) {
        return pairsRowTiles(lanes, cpuFamily) && prefersUnpackedA(lanes, cpuFamily);
    }

    // A single column panel of at most one vector (a 10-class output layer), A in place: two row tiles per pass, ten
    // fma chains instead of five. Zen 5 at 16 lanes (measured, docs/design.md); Intel not yet measured.
    static boolean pairsNarrowTiles(int lanes, int cpuFamily) {
        return lanes == 16 && cpuFamily == ZEN5_FAMILY;
    }

    static boolean prefersUnpackedA(int lanes, int cpuFamily) {
        return lanes != 8 && !(lanes == 16 && cpuFamily == INTEL_FAMILY);
    }

    // Never at 8 lanes: the packed path's constant-stride loops (accumulatePacked, accumulate8Layer) beat reading B
    // in place, whose stride is a variable. At 16 lanes packing loses up to 64 rows on Zen 4 (one tile per pass) and
    // on Zen 5 and Intel (two tiles per pass; one tile at a time, Zen 5 packed from 32 rows); 4 lanes keep 64 too
    // (docs/design.md). The parameter stays for the next host that measures otherwise.
    static int unpackedBMaxRows(int lanes, int cpuFamily) {
        return lanes == 8 ? 0 : 64;
    }

    // An A stored transposed read in place, ten rows per pass over packed B panels (dW = x^T dZ without packing x^T):
    // Zen 5 at 16 lanes, measured; up to GemmDriver.TRANSPOSED_A_MAX_K deep (docs/design.md).
    static boolean readsTransposedA(int lanes, int cpuFamily) {
        return lanes == 16 && cpuFamily == ZEN5_FAMILY;
    }
}
