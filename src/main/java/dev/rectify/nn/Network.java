package dev.rectify.nn;

import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.Gemm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/** A feed-forward stack of layers. Not thread-safe: one network per trainer per thread. */
public final class Network {
    private final List<Layer> layers;

    public Network(List<Layer> layers) {
        if (layers.isEmpty()) throw new IllegalArgumentException("layers must not be empty");
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).inputs() != layers.get(i - 1).outputs()) {
                throw new IllegalArgumentException("layer " + i + " (" + layers.get(i).describe() + ") takes "
                        + layers.get(i).inputs() + " inputs but layer " + (i - 1) + " gives " + layers.get(i - 1).outputs());
            }
        }
        this.layers = List.copyOf(layers);
    }

    /**
     * A multilayer perceptron: dense layers of the given widths ({@code sizes[0]} inputs, {@code sizes[last]}
     * outputs), the activation after every hidden layer, a linear output layer; weights from {@code init} with
     * the activation's gain, biases set to {@code biasValue}.
     */
    public static Network mlp(int[] sizes, Eltwise activation, Init init, double initScale, double biasValue,
                              long seed, Gemm gemm, ActivationKernels kernels) {
        if (sizes.length < 2) throw new IllegalArgumentException("sizes needs at least an input and an output width");
        if (!Double.isFinite(biasValue)) throw new IllegalArgumentException("biasValue must be finite, was " + biasValue);
        SplittableRandom random = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            boolean output = i + 2 == sizes.length;
            Dense d = new Dense(sizes[i], sizes[i + 1], output ? null : activation, gemm, kernels);
            Eltwise act = output ? null : activation;
            init.fill(d.weight.value, sizes[i], sizes[i + 1], Init.gain(act), initScale, random.split());
            java.util.Arrays.fill(d.bias.value, output ? 0f : (float) biasValue);
            layers.add(d);
        }
        return new Network(layers);
    }

    public List<Layer> layers() { return layers; }
    public int inputs() { return layers.get(0).inputs(); }
    public int outputs() { return layers.get(layers.size() - 1).outputs(); }

    /** The dense layers followed by an activation: the ones whose units can die. */
    public List<Dense> hiddenLayers() {
        List<Dense> h = new ArrayList<>();
        for (Layer l : layers) {
            if (l instanceof Dense && ((Dense) l).activation() != null) h.add((Dense) l);
        }
        return Collections.unmodifiableList(h);
    }

    public List<Param> params() {
        List<Param> p = new ArrayList<>();
        for (Layer l : layers) p.addAll(l.params());
        return p;
    }

    /** The output for {@code batch} rows of {@code x} (the last layer's buffer). */
    public float[] forward(float[] x, int batch, boolean training) {
        float[] a = x;
        for (Layer l : layers) a = l.forward(a, batch, training);
        return a;
    }

    /** Backpropagates the loss gradient of the last training forward pass; fills every parameter's gradient. */
    public void backward(float[] dOut, int batch) {
        float[] g = dOut;
        for (int i = layers.size() - 1; i >= 0; i--) g = layers.get(i).backward(g, batch);
    }

    public String describe() {
        StringBuilder b = new StringBuilder();
        for (Layer l : layers) b.append(b.length() == 0 ? "" : " -> ").append(l.describe());
        return b.toString();
    }
}
