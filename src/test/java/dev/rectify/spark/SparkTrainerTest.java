package dev.rectify.spark;

import dev.rectify.data.Dataset;
import dev.rectify.diagnostics.DeadUnitMonitor;
import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.Kernels;
import dev.rectify.nn.EpochRecord;
import dev.rectify.nn.LayerEpoch;
import dev.rectify.nn.Loss;
import dev.rectify.nn.Network;
import dev.rectify.nn.Optimizer;
import dev.rectify.nn.Param;
import dev.rectify.nn.Trainer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #21: data-parallel training on Spark (local mode here; .ci/run also trains on a real standalone cluster). */
class SparkTrainerTest {
    static final Gemm GEMM = Kernels.gemm().withParallelism(1);
    static final ActivationKernels K = Kernels.activations();

    /** Rows of Gaussian features whose label is the argmax of a fixed random projection: learnable, seeded. */
    static Dataset data(int rows, int features, int classes, long seed) {
        Random r = new Random(seed);
        float[] w = new float[features * classes];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        float[] x = new float[rows * features];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            int best = 0;
            double bestV = Double.NEGATIVE_INFINITY;
            for (int f = 0; f < features; f++) x[i * features + f] = (float) r.nextGaussian();
            for (int c = 0; c < classes; c++) {
                double v = 0;
                for (int f = 0; f < features; f++) v += x[i * features + f] * w[f * classes + c];
                if (v > bestV) {
                    bestV = v;
                    best = c;
                }
            }
            y[i] = best;
        }
        return Dataset.classification("projection", x, features, y, classes);
    }

    static final Dataset DATA = data(240, 6, 4, 7);

    static Network net(long seed) {
        return Network.builder(6, 12, 8, 4).seed(seed).kernels(GEMM, K).build();
    }

    static Trainer trainer(Network net, int batch, DeadUnitMonitor monitor) {
        Trainer.Builder b = Trainer.builder(net, Loss.softmaxCrossEntropy(K), Optimizer.sgd(0.05).momentum(0.9)).batchSize(batch).seed(11);
        if (monitor != null) b.listener(monitor);
        return b.build();
    }

    static List<float[]> values(Network net) {
        List<float[]> out = new ArrayList<>();
        for (Param p : net.params()) out.add(p.value().clone());
        return out;
    }

    @Test
    void onePartitionGivesTheBitsOfOneMachine() {
        Network local = net(3), spark = net(3);
        DeadUnitMonitor ml = new DeadUnitMonitor(), ms = new DeadUnitMonitor();
        List<EpochRecord> a = trainer(local, 16, ml).fit(DATA, null, 3, null);
        Trainer ts = trainer(spark, 16, ms);
        List<EpochRecord> b = SparkTrainer.fit(LocalSpark.get(), ts, ms, SparkData.of(LocalSpark.get(), DATA, 1), null, 3, null);
        List<float[]> va = values(local), vb = values(spark);
        for (int i = 0; i < va.size(); i++) assertArrayEquals(va.get(i), vb.get(i), "parameter " + i + " bit for bit");
        assertEquals(a.size(), b.size());
        for (int e = 0; e < a.size(); e++) {
            assertEquals(a.get(e).trainLoss(), b.get(e).trainLoss(), 0.0, "epoch loss");
            assertEquals(a.get(e).trainAccuracy(), b.get(e).trainAccuracy(), 0.0);
            for (int l = 0; l < 2; l++) {
                LayerEpoch x = a.get(e).layers().get(l), y = b.get(e).layers().get(l);
                assertEquals(x.dead(), y.dead());
                assertEquals(x.died(), y.died());
                assertEquals(x.revived(), y.revived());
                assertEquals(x.gradNorm(), y.gradNorm(), 0.0);
                assertEquals(x.preMin(), y.preMin(), 0.0);
                assertEquals(x.preMax(), y.preMax(), 0.0);
                assertEquals(x.sparsity(), y.sparsity(), 0.0);
            }
        }
    }

    @Test
    void fourPartitionsTakeTheFullBatchStepOfOneMachine() {
        Network local = net(4), spark = net(4);
        trainer(local, DATA.rows(), null).fit(DATA, null, 1, null);
        SparkTrainer.fit(LocalSpark.get(), trainer(spark, DATA.rows(), null), null, SparkData.of(LocalSpark.get(), DATA, 4), null, 1, null);
        List<float[]> va = values(local), vb = values(spark);
        for (int i = 0; i < va.size(); i++) {
            for (int j = 0; j < va.get(i).length; j++) {
                float x = va.get(i)[j], y = vb.get(i)[j];
                assertTrue(Math.abs(x - y) <= 1e-5 * Math.max(1e-3, Math.abs(x)), "parameter " + i + "[" + j + "]: " + x + " vs " + y);
            }
        }
    }

    @Test
    void theSamePartitioningGivesTheSameBitsAndPlantedDeadUnitsAreFoundExactly() {
        List<List<float[]>> runs = new ArrayList<>();
        List<int[]> dead = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            Network n = net(5);
            float[] bias = n.hidden().get(0).dense().bias().value();
            for (int u = 0; u < 5; u++) bias[u] = -1e3f; // planted: no input can lift these above 0
            DeadUnitMonitor m = new DeadUnitMonitor();
            List<EpochRecord> h = SparkTrainer.fit(LocalSpark.get(), trainer(n, 16, m), m, SparkData.of(LocalSpark.get(), DATA, 4), null, 2, null);
            runs.add(values(n));
            dead.add(new int[] {h.get(0).layers().get(0).dead(), h.get(1).layers().get(0).dead()});
        }
        for (int i = 0; i < runs.get(0).size(); i++) assertArrayEquals(runs.get(0).get(i), runs.get(1).get(i), "reproducible");
        assertArrayEquals(new int[] {5, 5}, dead.get(0), "the planted units, no more and no fewer");

        Network one = net(5);
        for (int u = 0; u < 5; u++) one.hidden().get(0).dense().bias().value()[u] = -1e3f;
        DeadUnitMonitor m1 = new DeadUnitMonitor();
        EpochRecord r = trainer(one, 16, m1).fit(DATA, null, 1, null).get(0);
        assertEquals(5, r.layers().get(0).dead(), "one machine agrees");
    }

    @Test
    void bornDeadOnTheClusterCountsWhatOneMachineCounts() {
        Network n = net(6);
        float[] bias = n.hidden().get(0).dense().bias().value();
        for (int u = 0; u < 4; u++) bias[u] = -1e3f; // 4 of the first layer's units dead on every row
        Trainer t = trainer(n, 16, null);
        Trainer.DeadCheck local = t.bornDead(DATA), spread = SparkTrainer.bornDead(LocalSpark.get(), t, SparkData.of(LocalSpark.get(), DATA, 4));
        assertEquals(4, spread.inactivePerLayer()[0]);
        assertArrayEquals(local.inactivePerLayer(), spread.inactivePerLayer());
        assertArrayEquals(local.unitsPerLayer(), spread.unitsPerLayer());
        assertEquals(false, spread.outputConstant());
        assertEquals(false, spread.collapsed());

        for (int u = 0; u < bias.length; u++) bias[u] = -1e3f; // the whole first layer: the output is the same for every row
        Trainer.DeadCheck dead = SparkTrainer.bornDead(LocalSpark.get(), t, SparkData.of(LocalSpark.get(), DATA, 4));
        assertEquals(true, t.bornDead(DATA).outputConstant(), "one machine's verdict");
        assertEquals(true, dead.outputConstant());
        assertEquals(true, dead.collapsed());
        assertEquals(bias.length, dead.inactivePerLayer()[0]);
    }

    @Test
    void aTaskThatFailsOnceIsRetriedWithTheSameResult() {
        Network clean = net(6), retried = net(6);
        SparkTrainer.fit(LocalSpark.get(), trainer(clean, 32, null), null, SparkData.of(LocalSpark.get(), DATA, 4), null, 1, null);
        PartitionWork.failFirstAttemptOf = 2;
        try {
            SparkTrainer.fit(LocalSpark.get(), trainer(retried, 32, null), null, SparkData.of(LocalSpark.get(), DATA, 4), null, 1, null);
        } finally {
            PartitionWork.failFirstAttemptOf = -1;
        }
        assertTrue(PartitionWork.failuresInjected.get() > 0, "a failure was injected");
        List<float[]> a = values(clean), b = values(retried);
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i));
    }

    @Test
    void batchNormIsRefusedByName() {
        Network bn = Network.builder(6, 12, 4).batchNorm(true).seed(1).kernels(GEMM, K).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkTrainer.fit(LocalSpark.get(), trainer(bn, 16, null), null, SparkData.of(LocalSpark.get(), DATA, 2), null, 1, null));
        assertTrue(e.getMessage().startsWith("trainer: batch norm"), e.getMessage());
    }
}
