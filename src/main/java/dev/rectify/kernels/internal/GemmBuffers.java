package dev.rectify.kernels.internal;

/** Per-thread packing buffers and tile scratch of the GEMM driver, grown on demand and reused across calls. */
final class GemmBuffers {
    private static final ThreadLocal<GemmBuffers> OWN = ThreadLocal.withInitial(GemmBuffers::new);

    /** Packed A block, packed B block, one tile's sums, and the k-sub-blocked sums of an A block's tiles. */
    float[] pa = new float[0], pb = new float[0], tile = new float[0], sums = new float[0];

    private GemmBuffers() {}

    /** This thread's buffers. */
    static GemmBuffers get() {
        return OWN.get();
    }

    void ensure(int paSize, int pbSize, int tileSize, int sumsSize) {
        if (sums.length < sumsSize) sums = new float[sumsSize];
        if (pa.length < paSize) pa = new float[paSize];
        if (pb.length < pbSize) pb = new float[pbSize];
        if (tile.length < tileSize) tile = new float[tileSize];
    }
}
