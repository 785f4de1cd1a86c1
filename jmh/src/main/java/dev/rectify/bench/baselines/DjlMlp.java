package dev.rectify.bench.baselines;

import dev.rectify.bench.nn.TrainingBenchmark;
import dev.rectify.data.Dataset;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import java.util.Arrays;

/**
 * The DJL peer of {@link TrainingBenchmark}: the same multilayer perceptron (ReLU hidden layers, softmax
 * cross-entropy, plain SGD on mini-batches, the epoch's rows in the given order) trained the way DJL's documentation
 * writes a custom loop ({@code Trainer}, a {@code GradientCollector} per batch, {@code Trainer.step}), on DJL's
 * PyTorch engine: the official libtorch 2.4.0 CPU build (the one PyTorch's own wheels ship, on MKL and oneDNN),
 * taken from Maven Central's {@code pytorch-native-cpu} jar, offline. This is the route issue #23's PyTorch
 * baseline was measured on; {@link TorchMlp} is libtorch 2.7.1 on OpenBLAS through JavaCPP.
 *
 * <p>The engine's thread counts are fixed when it loads, once per process, so every cell of one JVM must ask for
 * the same number of threads; libtorch 2.7.1 ({@link TorchMlp}) must not be loaded in the same process.
 */
public final class DjlMlp implements AutoCloseable {
    private static int engineThreads;

    private final NDManager manager;
    private final Model model;
    private final Trainer trainer;
    private final NDArray x, labels, order;
    private final int rows, batch;

    /** The network {@code sizes} (inputs first), SGD at {@code lr}, over {@code d}'s rows in {@code order}. */
    public DjlMlp(int[] sizes, Dataset d, int[] order, int batch, float lr, int threads) {
        if (sizes[0] != d.features() || sizes[sizes.length - 1] != d.classes()) {
            throw new IllegalArgumentException("sizes must run from " + d.features() + " inputs to " + d.classes()
                    + " classes, were " + Arrays.toString(sizes));
        }
        loadEngine(threads);
        this.rows = order.length;
        this.batch = batch;
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        SequentialBlock block = new SequentialBlock();
        for (int l = 1; l < sizes.length; l++) {
            block.add(Linear.builder().setUnits(sizes[l]).build());
            if (l < sizes.length - 1) block.add(Activation::relu);
        }
        model = Model.newInstance("mlp", Device.cpu(), "PyTorch");
        model.setBlock(block);
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(lr)).build())
                .optDevices(new Device[] {Device.cpu()});
        trainer = model.newTrainer(config);
        trainer.initialize(new Shape(batch, sizes[0]));
        long[] labelsLong = new long[d.rows()], orderLong = new long[order.length];
        for (int i = 0; i < labelsLong.length; i++) labelsLong[i] = d.labels()[i];
        for (int i = 0; i < orderLong.length; i++) orderLong[i] = order[i];
        x = manager.create(d.x(), new Shape(d.rows(), d.features()));
        labels = manager.create(labelsLong);
        this.order = manager.create(orderLong);
    }

    /**
     * Loads DJL's PyTorch engine from the class path, without network access, on {@code threads} intra-op and one
     * inter-op thread; refuses a second, different count in the same process.
     */
    private static synchronized void loadEngine(int threads) {
        if (engineThreads != 0) {
            if (engineThreads != threads) {
                throw new IllegalStateException("DJL's engine runs " + engineThreads + " thread(s) in this process; "
                        + "threads=" + threads + " needs a process of its own");
            }
            return;
        }
        System.setProperty("offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Engine.getEngine("PyTorch");
        engineThreads = threads;
    }

    /** One epoch; returns the mean training loss. */
    public double epoch() {
        double sum = 0;
        for (int start = 0; start < rows; start += batch) {
            int n = Math.min(batch, rows - start);
            try (NDManager step = manager.newSubManager()) {
                NDArray idx = order.get(new NDIndex("{}:{}", start, start + n));
                idx.attach(step);
                NDArray xb = x.get(idx), yb = labels.get(idx);
                xb.attach(step);
                yb.attach(step);
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDList out = trainer.forward(new NDList(xb));
                    NDArray l = trainer.getLoss().evaluate(new NDList(yb), out);
                    collector.backward(l);
                    sum += l.getFloat() * n;
                }
                trainer.step();
            }
        }
        return sum / rows;
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
        manager.close();
    }
}
