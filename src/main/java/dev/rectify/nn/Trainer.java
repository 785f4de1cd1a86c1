package dev.rectify.nn;

import dev.rectify.data.Dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Mini-batch training of one network with seeded shuffling, and the dead-unit bookkeeping: every hidden layer
 * records, through its GEMM epilogue, which units had a positive pre-activation on some sample of the epoch.
 * The same seed, data and kernel path give the same bits. A trainer and its network belong to one thread;
 * several trainers may run side by side.
 */
public final class Trainer {
    private final Network net;
    private final Loss loss;
    private final Optimizer optimizer;
    private final Schedule schedule;
    private final int batchSize;
    private final long seed;
    private final double clipNorm, clipValue;

    /**
     * @param clipNorm rescale all gradients together when their global L2 norm exceeds this; 0 for off
     * @param clipValue clamp every gradient element to [-clipValue, clipValue]; 0 for off
     */
    public Trainer(Network net, Loss loss, Optimizer optimizer, Schedule schedule, int batchSize, long seed,
                   double clipNorm, double clipValue) {
        this.net = Objects.requireNonNull(net, "net");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        if (batchSize <= 0) throw new IllegalArgumentException("batchSize must be > 0, was " + batchSize);
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) throw new IllegalArgumentException("clipNorm must be finite and >= 0, was " + clipNorm);
        if (!(clipValue >= 0) || Double.isInfinite(clipValue)) throw new IllegalArgumentException("clipValue must be finite and >= 0, was " + clipValue);
        this.batchSize = batchSize;
        this.seed = seed;
        this.clipNorm = clipNorm;
        this.clipValue = clipValue;
    }

    public Network network() { return net; }

    /** Dead units per hidden layer and whether the output is constant over the data set: see {@link #bornDead}. */
    public record DeadCheck(int[] deadPerLayer, int[] unitsPerLayer, boolean outputConstant) {
        public int dead() { return Arrays.stream(deadPerLayer).sum(); }
        public int units() { return Arrays.stream(unitsPerLayer).sum(); }
        /** Some hidden layer has every unit dead: nothing reaches the output, no gradient reaches the input side. */
        public boolean collapsed() {
            for (int i = 0; i < deadPerLayer.length; i++) if (deadPerLayer[i] == unitsPerLayer[i]) return true;
            return false;
        }
    }

    /**
     * Runs the data set through the network in inference mode and reports, per hidden layer, the units whose
     * pre-activation is {@code <= 0} on every sample, and whether every output is exactly the same for every
     * sample. Called before training this measures a born-dead network.
     */
    public DeadCheck bornDead(Dataset data) {
        Activity a = activity(data);
        return new DeadCheck(countDead(a.everActive), units(net.hiddenLayers()), a.outputConstant);
    }

    private record Activity(boolean[][] everActive, boolean outputConstant) { }

    /** One inference pass over the data with every hidden layer's ever-active mask recording. */
    private Activity activity(Dataset data) {
        requireShape("data", data);
        List<Dense> hidden = net.hiddenLayers();
        boolean[][] masks = new boolean[hidden.size()][];
        for (int i = 0; i < masks.length; i++) {
            masks[i] = new boolean[hidden.get(i).outputs()];
            hidden.get(i).recordActivity(masks[i]);
        }
        int outs = net.outputs();
        float[] first = null;
        boolean constant = true;
        try {
            float[] xb = new float[batchSize * data.features()];
            for (int start = 0; start < data.rows(); start += batchSize) {
                int b = Math.min(batchSize, data.rows() - start);
                System.arraycopy(data.x(), start * data.features(), xb, 0, b * data.features());
                float[] out = net.forward(xb, b, false);
                if (first == null) first = Arrays.copyOf(out, outs);
                for (int r = 0; r < b && constant; r++) {
                    for (int j = 0; j < outs; j++) {
                        if (Float.floatToIntBits(out[r * outs + j]) != Float.floatToIntBits(first[j])) {
                            constant = false;
                            break;
                        }
                    }
                }
            }
        } finally {
            for (Dense d : hidden) d.recordActivity(null);
        }
        return new Activity(masks, constant);
    }

    /**
     * Trains for {@code epochs} epochs; after each, evaluates on {@code test} (may be null) and hands the epoch's
     * record to {@code onEpoch} (may be null). Returns all records.
     *
     * @throws TrainingDivergedException on a non-finite loss or gradient, naming the epoch, batch and layer
     */
    public List<EpochRecord> fit(Dataset train, Dataset test, int epochs, Consumer<EpochRecord> onEpoch) {
        Objects.requireNonNull(train, "train");
        if (epochs < 0) throw new IllegalArgumentException("epochs must be >= 0, was " + epochs);
        requireShape("train", train);
        if (test != null) requireShape("test", test);
        List<Dense> hidden = net.hiddenLayers();
        List<Param> params = net.params();
        final int features = train.features(), outs = net.outputs();
        float[] xb = new float[batchSize * features];
        float[] tb = train.isClassification() ? null : new float[batchSize * outs];
        int[] lb = train.isClassification() ? new int[batchSize] : null;
        float[] grad = new float[batchSize * outs];
        boolean[][] masks = new boolean[hidden.size()][];
        for (int i = 0; i < masks.length; i++) masks[i] = new boolean[hidden.get(i).outputs()];
        boolean[][] previousDead = activity(train).everActive;
        for (boolean[] m : previousDead) for (int u = 0; u < m.length; u++) m[u] = !m[u];
        SplittableRandom shuffler = new SplittableRandom(seed);
        int[] order = new int[train.rows()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        List<EpochRecord> history = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            long t0 = System.nanoTime();
            double lr = schedule.lr(epoch, epochs);
            Dataset.shuffle(order, shuffler);
            for (int i = 0; i < masks.length; i++) {
                Arrays.fill(masks[i], false);
                hidden.get(i).recordActivity(masks[i]);
            }
            double[] gradNormSum = new double[hidden.size()];
            double lossSum = 0;
            int correct = 0, batches = 0;
            try {
                for (int start = 0, batch = 0; start < order.length; start += batchSize, batch++) {
                    int b = Math.min(batchSize, order.length - start);
                    gather(train, order, start, b, xb, lb, tb);
                    float[] out = net.forward(xb, b, true);
                    double l = loss.lossAndGradient(out, b, outs, lb, 0, tb, 0, grad);
                    if (!Double.isFinite(l)) {
                        throw new TrainingDivergedException("non-finite loss " + l + " at epoch " + epoch + ", batch " + batch
                                + " (lr " + lr + "): training diverged; lower the learning rate or clip gradients",
                                epoch, batch);
                    }
                    lossSum += l * b;
                    if (lb != null) correct += countCorrect(out, b, outs, lb);
                    net.backward(grad, b);
                    checkGradients(epoch, batch);
                    clip(params);
                    for (int i = 0; i < hidden.size(); i++) {
                        gradNormSum[i] += Math.sqrt(Param.squaredNorm(hidden.get(i).weight.grad));
                    }
                    optimizer.step(params, lr);
                    batches++;
                }
            } finally {
                for (Dense d : hidden) d.recordActivity(null);
            }
            List<LayerEpoch> layers = new ArrayList<>();
            for (int i = 0; i < hidden.size(); i++) {
                int dead = 0, died = 0, revived = 0;
                for (int u = 0; u < masks[i].length; u++) {
                    boolean isDead = !masks[i][u];
                    if (isDead) dead++;
                    if (isDead && !previousDead[i][u]) died++;
                    if (!isDead && previousDead[i][u]) revived++;
                    previousDead[i][u] = isDead;
                }
                layers.add(new LayerEpoch(i, masks[i].length, dead, died, revived, gradNormSum[i] / Math.max(1, batches),
                        Math.sqrt(Param.squaredNorm(hidden.get(i).weight.value))));
            }
            double[] eval = test == null ? new double[] {Double.NaN, Double.NaN} : evaluate(test);
            EpochRecord rec = new EpochRecord(epoch, lr, lossSum / train.rows(),
                    lb != null ? (double) correct / train.rows() : Double.NaN, eval[0], eval[1],
                    (System.nanoTime() - t0) / 1e9, List.copyOf(layers));
            history.add(rec);
            if (onEpoch != null) onEpoch.accept(rec);
        }
        return history;
    }

    /** {loss, accuracy} over a data set in inference mode (accuracy NaN for regression). */
    public double[] evaluate(Dataset data) {
        requireShape("data", data);
        final int features = data.features(), outs = net.outputs();
        float[] xb = new float[batchSize * features];
        float[] grad = new float[batchSize * outs];
        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < data.rows(); start += batchSize) {
            int b = Math.min(batchSize, data.rows() - start);
            System.arraycopy(data.x(), start * features, xb, 0, b * features);
            float[] out = net.forward(xb, b, false);
            if (data.isClassification()) {
                lossSum += loss.lossAndGradient(out, b, outs, data.labels(), start, null, 0, grad) * b;
                int[] labels = Arrays.copyOfRange(data.labels(), start, start + b);
                correct += countCorrect(out, b, outs, labels);
            } else {
                lossSum += loss.lossAndGradient(out, b, outs, null, 0, data.targets(), start * outs, grad) * b;
            }
        }
        return new double[] {lossSum / data.rows(), data.isClassification() ? (double) correct / data.rows() : Double.NaN};
    }

    private void requireShape(String what, Dataset d) {
        if (d.features() != net.inputs()) {
            throw new IllegalArgumentException(what + " has " + d.features() + " features but the network takes " + net.inputs());
        }
        if (d.outputs() != net.outputs()) {
            throw new IllegalArgumentException(what + " has " + d.outputs() + " outputs/classes but the network gives " + net.outputs());
        }
    }

    private static void gather(Dataset d, int[] order, int start, int b, float[] xb, int[] lb, float[] tb) {
        int f = d.features();
        for (int r = 0; r < b; r++) {
            int row = order[start + r];
            System.arraycopy(d.x(), row * f, xb, r * f, f);
            if (lb != null) lb[r] = d.labels()[row];
            else System.arraycopy(d.targets(), row * d.outputs(), tb, r * d.outputs(), d.outputs());
        }
    }

    static int countCorrect(float[] out, int b, int outs, int[] labels) {
        int correct = 0;
        for (int r = 0; r < b; r++) {
            int best = 0;
            for (int j = 1; j < outs; j++) if (out[r * outs + j] > out[r * outs + best]) best = j;
            if (best == labels[r]) correct++;
        }
        return correct;
    }

    private void checkGradients(int epoch, int batch) {
        List<Layer> layers = net.layers();
        for (int i = 0; i < layers.size(); i++) {
            for (Param p : layers.get(i).params()) {
                for (float g : p.grad) {
                    if (!Float.isFinite(g)) {
                        throw new TrainingDivergedException("non-finite " + p.name() + " gradient in layer " + i + " ("
                                + layers.get(i).describe() + ") at epoch " + epoch + ", batch " + batch
                                + ": training diverged; lower the learning rate or clip gradients", epoch, batch);
                    }
                }
            }
        }
    }

    private void clip(List<Param> params) {
        if (clipValue > 0) {
            float c = (float) clipValue;
            for (Param p : params) for (int i = 0; i < p.grad.length; i++) p.grad[i] = Math.max(-c, Math.min(c, p.grad[i]));
        }
        if (clipNorm > 0) {
            double sq = 0;
            for (Param p : params) sq += Param.squaredNorm(p.grad);
            double norm = Math.sqrt(sq);
            if (norm > clipNorm) {
                float s = (float) (clipNorm / norm);
                for (Param p : params) for (int i = 0; i < p.grad.length; i++) p.grad[i] *= s;
            }
        }
    }

    private static int[] countDead(boolean[][] masks) {
        int[] dead = new int[masks.length];
        for (int i = 0; i < masks.length; i++) for (boolean active : masks[i]) if (!active) dead[i]++;
        return dead;
    }

    private static int[] units(List<Dense> hidden) {
        return hidden.stream().mapToInt(Dense::outputs).toArray();
    }
}
