package dev.rectify.diagnostics;

import dev.rectify.data.Dataset;
import dev.rectify.kernels.Eltwise;
import dev.rectify.nn.EpochRecord;
import dev.rectify.nn.Init;
import dev.rectify.nn.Optimizer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The study grid as a library class: cell order, results independent of the thread count, divergences kept. */
class StudyGridTest {
    static Dataset.Split data() {
        SplittableRandom r = new SplittableRandom(9);
        float[] x = new float[120 * 4];
        int[] y = new int[120];
        for (int i = 0; i < 120; i++) {
            y[i] = i % 3;
            for (int f = 0; f < 4; f++) x[i * 4 + f] = (float) (r.nextGaussian() + (f == y[i] ? 2 : 0));
        }
        return Dataset.classification("toy", x, 4, y, 3).split(0.25, 1);
    }

    static StudyGrid grid() {
        List<StudyGrid.Cell> cells = StudyGrid.cells(
                List.of(StudyGrid.Activation.of("relu", Eltwise.relu()), StudyGrid.Activation.ofPrelu()),
                List.of(new StudyGrid.Initialization(Init.HE_NORMAL, Init.Bias.zero()),
                        new StudyGrid.Initialization(Init.HE_NORMAL, Init.Bias.constant(-1))),
                new double[] {0.05, 1e6}, new long[] {1, 2});
        return new StudyGrid(new int[] {4, 8, 8, 3}, false, Optimizer::sgd, 16, 3, 0, cells);
    }

    @Test
    void cellsRunLearningRateOutermostAndLabelTheirBias() {
        List<StudyGrid.Cell> c = grid().cells();
        assertEquals(16, c.size());
        assertEquals(List.of("relu he-normal lr=0.05 seed=1", "relu he-normal lr=0.05 seed=2", "prelu he-normal lr=0.05 seed=1"),
                c.subList(0, 3).stream().map(x -> x.activation().name() + " " + x.init().label() + " lr=" + x.lr() + " seed=" + x.seed()).toList());
        assertEquals("he-normal:-1.0", c.get(4).init().label());
        assertEquals(1e6, c.get(8).lr());
    }

    @Test
    void theResultsDoNotDependOnTheThreadCountAndDivergencesAreKept() throws InterruptedException {
        Dataset.Split split = data();
        AtomicInteger epochs = new AtomicInteger(), runs = new AtomicInteger();
        StudyGrid.Progress counting = new StudyGrid.Progress() {
            @Override public void epochs(int n) { epochs.addAndGet(n); }
            @Override public void runDone(StudyRun r) { runs.incrementAndGet(); }
        };
        List<StudyRun> one = grid().train(split, 1, counting);
        List<StudyRun> two = grid().train(split, 2, null);
        assertEquals(16 * 3, epochs.get(), "every epoch counted, run or skipped");
        assertEquals(16, runs.get());
        for (int i = 0; i < one.size(); i++) {
            assertEquals(one.get(i).name(), two.get(i).name());
            assertEquals(one.get(i).divergence(), two.get(i).divergence());
            List<EpochRecord> a = one.get(i).history(), b = two.get(i).history();
            assertEquals(a.size(), b.size());
            for (int e = 0; e < a.size(); e++) {
                assertEquals(Double.doubleToLongBits(a.get(e).trainLoss()), Double.doubleToLongBits(b.get(e).trainLoss()), one.get(i).name());
            }
        }
        assertNull(one.get(0).divergence(), "lr 0.05 trains");
        assertNotNull(one.get(8).divergence(), "lr 1e6 diverges and says so");
    }

    @Test
    void badSettingsAreRefusedNamingTheArgument() {
        List<StudyGrid.Cell> cells = grid().cells();
        assertThrows(IllegalArgumentException.class, () -> new StudyGrid(new int[] {4, 0, 3}, false, Optimizer::sgd, 16, 3, 0, cells));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StudyGrid(new int[] {4, 8, 3}, false, Optimizer::sgd, 16, 3, 1e39, cells));
        assertEquals(true, e.getMessage().startsWith("clipNorm"), e.getMessage());
    }
}
