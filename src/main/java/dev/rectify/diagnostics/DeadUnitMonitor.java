package dev.rectify.diagnostics;

import dev.rectify.data.Dataset;
import dev.rectify.kernels.Reductions;
import dev.rectify.nn.Dense;
import dev.rectify.nn.LayerEpoch;
import dev.rectify.nn.Network;
import dev.rectify.nn.Param;
import dev.rectify.nn.Trainer;
import dev.rectify.nn.TrainingListener;
import dev.rectify.nn.UnitLayer;

import java.util.ArrayList;
import java.util.List;

/**
 * The dying-ReLU diagnostics of a training run, as a {@link TrainingListener}: per epoch and hidden layer, which
 * units were dead (pre-activation {@code <= 0} on every training sample, so exactly zero gradient) or dormant
 * (the same for activations that still pass gradient), which died or revived since the epoch before, the output
 * sparsity, the pre-activation range and mean, the weight-gradient norm with vanishing and exploding flags, the
 * weight norm and PReLU's slopes ({@link LayerEpoch}). The units record their activity themselves during the
 * training forward passes (dense layers from the pre-activations their GEMM epilogue stores); this monitor turns
 * them on for an epoch and sums what each batch showed into an {@link EpochActivity}. Epoch 0's died and revived
 * compare with the network as it is when the first {@code fit} starts. One monitor serves one trainer.
 */
public final class DeadUnitMonitor implements TrainingListener {
    /** Default thresholds on a layer's mean weight-gradient L2 norm. */
    public static final double DEFAULT_VANISHING = 1e-6, DEFAULT_EXPLODING = 1e3;

    private final double vanishing, exploding;
    private final double[] summary = new double[2 * Reductions.SUMMARY_LENGTH];
    private Network net;
    private List<Network.Hidden> hidden;
    private int[] weightIndex;
    private EpochActivity epoch;
    private boolean[][] previousInactive;

    /** A monitor with the default gradient thresholds. */
    public DeadUnitMonitor() {
        this(DEFAULT_VANISHING, DEFAULT_EXPLODING);
    }

    /** A layer's gradient is flagged vanishing below {@code vanishing} and exploding above {@code exploding}. */
    public DeadUnitMonitor(double vanishing, double exploding) {
        requireNonNegative("vanishing", vanishing);
        requireNonNegative("exploding", exploding);
        if (!(vanishing < exploding)) throw new IllegalArgumentException("vanishing must be < exploding, was " + vanishing + " >= " + exploding);
        this.vanishing = vanishing;
        this.exploding = exploding;
    }

    private static void requireNonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(name + " must be finite and >= 0, was " + v);
    }

    public double vanishingThreshold() { return vanishing; }
    public double explodingThreshold() { return exploding; }

    @Override
    public void fitStart(Trainer trainer, Dataset train) {
        Network n = trainer.network();
        if (net != null && net != n) throw new IllegalStateException("a DeadUnitMonitor serves one trainer's network");
        net = n;
        hidden = n.hidden();
        List<Param> params = n.params();
        weightIndex = new int[hidden.size()];
        for (int i = 0; i < weightIndex.length; i++) {
            Dense d = hidden.get(i).dense();
            weightIndex[i] = d == null ? -1 : params.indexOf(d.weight());
        }
        if (previousInactive == null) {
            if (train == null) {
                throw new IllegalStateException("a DeadUnitMonitor of a data-parallel run needs its reference before the first "
                        + "epoch: call reference(everActive) with the units active on the training data");
            }
            previousInactive = trainer.everActive(train);
            for (boolean[] m : previousInactive) for (int u = 0; u < m.length; u++) m[u] = !m[u];
        }
    }

    @Override
    public void epochStart(int e) {
        epoch = new EpochActivity(unitsPerLayer());
        for (int i = 0; i < hidden.size(); i++) hidden.get(i).units().recordActivity(epoch.activeMask(i));
    }

    @Override
    public void forwardDone(int e, int batch, int rows) {
        for (int i = 0; i < hidden.size(); i++) epoch.addBatch(i, hidden.get(i).units(), rows, net.reductions(), summary);
    }

    @Override
    public void gradientsReady(int e, int batch, double[] squaredNorms) {
        for (int i = 0; i < hidden.size(); i++) {
            if (weightIndex[i] >= 0) epoch.gradNormSum[i] += Math.sqrt(squaredNorms[weightIndex[i]]);
        }
        epoch.batches++;
    }

    @Override
    public List<LayerEpoch> epochEnd(int e, int batches) {
        List<LayerEpoch> out = new ArrayList<>();
        for (int i = 0; i < hidden.size(); i++) out.add(figures(i, hidden.get(i), batches));
        return List.copyOf(out);
    }

    private LayerEpoch figures(int i, Network.Hidden h, int batches) {
        UnitLayer units = h.units();
        boolean[] active = epoch.active[i], before = previousInactive[i];
        int inactive = 0, died = 0, revived = 0;
        for (int u = 0; u < active.length; u++) {
            boolean now = !active[u];
            if (now) inactive++;
            if (now && !before[u]) died++;
            if (!now && before[u]) revived++;
            before[u] = now;
        }
        boolean deadKind = units.inactiveMeansDead();
        double gradNorm = h.dense() != null ? epoch.gradNormSum[i] / Math.max(1, batches) : Double.NaN;
        double weightNorm = h.dense() != null
                ? Math.sqrt(net.reductions().sumOfSquares(h.dense().weight().value(), 0, h.dense().weight().value().length)) : Double.NaN;
        float[] slopes = units.slopes();
        long n = epoch.elements[i];
        return new LayerEpoch(h.index(), units.activationName(), units.outputs(), deadKind ? inactive : 0, deadKind ? 0 : inactive,
                died, revived,
                n == 0 ? Double.NaN : (double) epoch.zeros[i] / n,
                n == 0 ? Double.NaN : epoch.preSum[i] / n,
                n == 0 ? Double.NaN : epoch.preMin[i], n == 0 ? Double.NaN : epoch.preMax[i],
                gradNorm, gradNorm < vanishing, gradNorm > exploding, weightNorm,
                slopes == null ? null : slopes.clone());
    }

    private int[] unitsPerLayer() {
        int[] u = new int[hidden.size()];
        for (int i = 0; i < u.length; i++) u[i] = hidden.get(i).units().outputs();
        return u;
    }

    /**
     * The units active on the training data before the first epoch ({@link Trainer#everActive}'s answer computed
     * where the data is): what epoch 0's died and revived compare with, for a run whose data this monitor cannot
     * see (a cluster's partitions).
     */
    public void reference(boolean[][] everActive) {
        boolean[][] inactive = new boolean[everActive.length][];
        for (int i = 0; i < inactive.length; i++) {
            inactive[i] = new boolean[everActive[i].length];
            for (int u = 0; u < inactive[i].length; u++) inactive[i][u] = !everActive[i][u];
        }
        previousInactive = inactive;
    }

    /**
     * Merges what some training samples of the current epoch showed, recorded elsewhere (a partition's forward
     * passes on a cluster), into this epoch's figures. Call between the epoch's start and its end.
     */
    public void addActivity(EpochActivity partial) {
        if (epoch == null) throw new IllegalStateException("addActivity outside an epoch");
        epoch.merge(partial);
    }

    @Override
    public boolean[][] inactiveUnits() {
        if (previousInactive == null) return null;
        boolean[][] copy = new boolean[previousInactive.length][];
        for (int i = 0; i < copy.length; i++) copy[i] = previousInactive[i].clone();
        return copy;
    }

    @Override
    public void restoreInactiveUnits(boolean[][] inactive) {
        if (inactive == null) {
            previousInactive = null;
            return;
        }
        boolean[][] copy = new boolean[inactive.length][];
        for (int i = 0; i < copy.length; i++) copy[i] = inactive[i].clone();
        previousInactive = copy;
    }
}
