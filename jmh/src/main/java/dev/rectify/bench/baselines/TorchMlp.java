package dev.rectify.bench.baselines;

import dev.rectify.bench.nn.TrainingBenchmark;
import dev.rectify.data.Dataset;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.openblas.global.openblas_full;
import org.bytedeco.pytorch.CrossEntropyLossImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The PyTorch peer of {@link TrainingBenchmark}: the same multilayer perceptron (ReLU hidden layers, softmax
 * cross-entropy, plain SGD on mini-batches, the epoch's rows in the given order) in libtorch 2.7.1, reached from
 * Java through JavaCPP's presets, the way a JVM user reaches PyTorch (DJL takes the same C++ frontend through its
 * own JNI layer). Linear layers run on the OpenBLAS 0.3.30 the GEMM peer uses; the CPU detection is OpenBLAS's
 * own unless {@code OPENBLAS_CORETYPE} pins it. Each step costs PyTorch's dispatcher and autograd on top of the
 * arithmetic, as it does in Python; the tensors of an epoch are freed at its end.
 */
public final class TorchMlp {
    private static final String LIBS = "/org/bytedeco/pytorch/linux-x86_64/";

    static {
        // libtorch.so finds libtorch_cpu.so by name when JavaCPP loads it. On a first run the cache does not hold
        // libtorch_cpu.so yet, and the dynamic linker then takes a system copy (Debian's python3-torch installs
        // one): two libtorch_cpu instances register the same operators and the JVM crashes. Extract them first.
        try {
            for (String lib : new String[] {"libc10.so", "libtorch_cpu.so", "libtorch.so"}) {
                Loader.cacheResource(torch.class, LIBS + lib);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Net extends Module {
        private final LinearImpl[] layers;

        Net(int[] sizes) {
            layers = new LinearImpl[sizes.length - 1];
            for (int l = 0; l < layers.length; l++) {
                layers[l] = register_module("fc" + l, new LinearImpl(sizes[l], sizes[l + 1]));
            }
        }

        Tensor forward(Tensor x) {
            for (int l = 0; l < layers.length - 1; l++) x = torch.relu(layers[l].forward(x));
            return layers[layers.length - 1].forward(x);
        }
    }

    private final Net net;
    private final SGD optimizer;
    private final CrossEntropyLossImpl loss = new CrossEntropyLossImpl();
    private final Tensor x, labels, order;
    private final int rows, batch, threads;

    /**
     * The network {@code sizes} (inputs first) with PyTorch's default initialization from {@code seed}, SGD at
     * {@code lr}, over {@code d}'s rows in {@code order}, on {@code threads} of PyTorch's intra-op threads.
     */
    public TorchMlp(int[] sizes, Dataset d, int[] order, int batch, float lr, long seed, int threads) {
        if (sizes[0] != d.features() || sizes[sizes.length - 1] != d.classes()) {
            throw new IllegalArgumentException("sizes must run from " + d.features() + " inputs to " + d.classes()
                    + " classes, were " + Arrays.toString(sizes));
        }
        this.rows = order.length;
        this.batch = batch;
        this.threads = threads;
        torch.set_num_threads(threads);
        torch.manual_seed(seed);
        long[] labelsLong = new long[d.rows()], orderLong = new long[order.length];
        for (int i = 0; i < labelsLong.length; i++) labelsLong[i] = d.labels()[i];
        for (int i = 0; i < orderLong.length; i++) orderLong[i] = order[i];
        try (FloatPointer xp = new FloatPointer(d.x()); LongPointer lp = new LongPointer(labelsLong);
             LongPointer op = new LongPointer(orderLong)) {
            // from_blob borrows the pointer's memory; clone gives the tensors memory of their own.
            x = torch.from_blob(xp, new long[] {d.rows(), d.features()}).clone();
            labels = torch.from_blob(lp, new long[] {d.rows()}, new TensorOptions(torch.ScalarType.Long)).clone();
            this.order = torch.from_blob(op, new long[] {order.length}, new TensorOptions(torch.ScalarType.Long)).clone();
        }
        net = new Net(sizes);
        optimizer = new SGD(net.parameters(), new SGDOptions(lr));
    }

    /** One epoch; returns the mean training loss. */
    public double epoch() {
        // Both settings are per process. PyTorch's threads are its OpenMP intra-op threads, and its BLAS calls run
        // on one thread each, as with OPENBLAS_NUM_THREADS=1: OpenBLAS's own threads under two OpenMP threads
        // oversubscribe two cores (1.3k samples/s instead of 42k).
        openblas_full.openblas_set_num_threads(1);
        if (torch.get_num_threads() != threads) torch.set_num_threads(threads);
        double sum = 0;
        try (PointerScope scope = new PointerScope()) {
            for (int start = 0; start < rows; start += batch) {
                int n = Math.min(batch, rows - start);
                Tensor idx = order.narrow(0, start, n);
                optimizer.zero_grad();
                Tensor l = loss.forward(net.forward(x.index_select(0, idx)), labels.index_select(0, idx));
                l.backward();
                optimizer.step();
                sum += l.item_float() * n;
            }
        }
        return sum / rows;
    }
}
