package dev.rectify.kernels.internal;

/** Per-thread packing buffers and tile scratch of the GEMM driver, grown on demand and reused across calls. */
final class GemmBuffers {
    private static final ThreadLocal<GemmBuffers> OWN = ThreadLocal.withInitial(GemmBuffers::new);

    float[] pa = new float[0], pb = new float[0], tile = new float[0];

    private GemmBuffers() {}

    /** This thread's buffers. */
    static GemmBuffers get() {
        return OWN.get();
    }

    void ensure(int paSize, int pbSize, int tileSize) {
        if (pa.length < paSize) pa = new float[paSize];
        if (pb.length < pbSize) pb = new float[pbSize];
        if (tile.length < tileSize) tile = new float[tileSize];
    }
}
