package dev.rectify.spark;

import dev.rectify.nn.Param;

import java.util.List;

/** A network's parameters as one flat vector, in {@code Network.params()} order: what a step broadcasts and sums. */
final class FlatParams {
    private FlatParams() { }

    static int size(List<Param> params) {
        int n = 0;
        for (Param p : params) n += p.size();
        return n;
    }

    /** The parameters' values, copied into one array. */
    static float[] values(List<Param> params) {
        float[] flat = new float[size(params)];
        int off = 0;
        for (Param p : params) {
            System.arraycopy(p.value(), 0, flat, off, p.size());
            off += p.size();
        }
        return flat;
    }

    /** Sets the parameters' values from {@link #values}'s layout. */
    static void setValues(List<Param> params, float[] flat) {
        int off = 0;
        for (Param p : params) {
            System.arraycopy(flat, off, p.value(), 0, p.size());
            off += p.size();
        }
        if (off != flat.length) throw new IllegalStateException("weights: " + flat.length + " floats for a network of " + off);
    }

    /** Sets the parameters' gradients from a summed flat gradient. */
    static void setGradients(List<Param> params, float[] flat) {
        int off = 0;
        for (Param p : params) {
            System.arraycopy(flat, off, p.grad(), 0, p.size());
            off += p.size();
        }
    }

    /** The parameters' gradients in one array, each element times {@code share} unless {@code scale} is false. */
    static float[] gradients(List<Param> params, float share, boolean scale) {
        float[] g = new float[size(params)];
        int off = 0;
        for (Param p : params) {
            float[] src = p.grad();
            if (scale) for (int i = 0; i < src.length; i++) g[off + i] = src[i] * share;
            else System.arraycopy(src, 0, g, off, src.length);
            off += src.length;
        }
        return g;
    }
}
