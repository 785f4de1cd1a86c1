package dev.rectify.nn;

import dev.rectify.data.Dataset;
import dev.rectify.data.Digits;
import dev.rectify.kernels.Eltwise;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Trainer#evaluate}'s named result with its confusion matrix, and {@link Network#predict}. */
class EvaluateAndPredictTest {
    static Trainer trained(Dataset.Split s) {
        Network net = Network.builder(64, 24, 10).activation(Eltwise.relu()).seed(4)
                .kernels(TrainerTest.GEMM, TrainerTest.K).build();
        Trainer t = Trainer.builder(net, Loss.softmaxCrossEntropy(TrainerTest.K), Optimizer.sgd(0.05).momentum(0.9))
                .batchSize(32).seed(4).build();
        t.fit(s.train(), null, 2, null);
        return t;
    }

    @Test
    void theConfusionMatrixCountsEverySampleOnceByItsLabelAndItsDiagonalIsTheAccuracy() {
        Dataset.Split s = Digits.load().split(0.25, 1);
        Trainer t = trained(s);
        EvalResult r = t.evaluate(s.test());
        int[][] m = r.confusion();
        assertEquals(10, m.length);
        int[] perLabel = new int[10];
        for (int label : java.util.Arrays.copyOf(s.test().labels(), s.test().rows())) perLabel[label]++;
        assertArrayEquals(perLabel, r.samplesPerClass(), "row sums are the labels' counts");
        int diagonal = 0;
        for (int c = 0; c < 10; c++) diagonal += m[c][c];
        assertEquals(s.test().rows(), r.samples());
        assertEquals((double) diagonal / s.test().rows(), r.accuracy(), 0.0);
        for (int c = 0; c < 10; c++) assertEquals((double) m[c][c] / perLabel[c], r.perClassAccuracy()[c], 0.0);
        // The same network's own predictions, taken row by row through predict, land in the same cells.
        float[] out = t.network().predict(s.test().x(), s.test().rows());
        int[][] fromPredict = new int[10][10];
        for (int i = 0; i < s.test().rows(); i++) {
            int best = 0;
            for (int j = 1; j < 10; j++) if (out[i * 10 + j] > out[i * 10 + best]) best = j;
            fromPredict[s.test().labels()[i]][best]++;
        }
        assertArrayEquals(fromPredict, m);
        assertTrue(r.accuracy() > 0.5, "two epochs on digits learn something: " + r.accuracy());
    }

    @Test
    void theResultIsImmutableAndRegressionHasNoConfusionMatrix() {
        int[][] m = {{3, 1}, {0, 4}};
        EvalResult r = new EvalResult(0.5, 0.875, 8, m);
        m[0][0] = 99;
        r.confusion()[0][0] = 77;
        assertEquals(3, r.confusion()[0][0]);
        assertEquals(0.75, r.perClassAccuracy()[0], 0.0);
        assertEquals(1.0, r.perClassAccuracy()[1], 0.0);
        assertThrows(IllegalArgumentException.class, () -> new EvalResult(0, 0, 2, new int[][] {{1, 1}, {0}}));
        EvalResult reg = new EvalResult(0.1, Double.NaN, 5, null);
        assertNull(reg.confusion());
        assertEquals(0, reg.perClassAccuracy().length);
        assertTrue(Double.isNaN(new EvalResult(0, 0, 0, new int[][] {{0}}).perClassAccuracy()[0]), "a class without samples");
    }

    @Test
    void warmupStepsScaleTheRateOfEachOfTheFirstStepsLinearly() {
        Dataset d = Digits.load().select("first 64", java.util.stream.IntStream.range(0, 64).toArray());
        double lr = 0.3;
        java.util.function.Function<Trainer.Builder, Network> run = b -> {
            b.build().fit(d, null, 6, null);
            return null;
        };
        Network warm = Network.builder(64, 12, 10).seed(3).kernels(TrainerTest.GEMM, TrainerTest.K).build();
        Network manual = Network.builder(64, 12, 10).seed(3).kernels(TrainerTest.GEMM, TrainerTest.K).build();
        // One batch per epoch, so step s is epoch s: the per-epoch schedule below spells out the per-step warm-up.
        run.apply(Trainer.builder(warm, Loss.softmaxCrossEntropy(TrainerTest.K), Optimizer.sgd(lr))
                .batchSize(64).seed(1).warmupSteps(4));
        run.apply(Trainer.builder(manual, Loss.softmaxCrossEntropy(TrainerTest.K), Optimizer.sgd(lr))
                .schedule((rate, e, n) -> e < 4 ? rate * (e + 1) / 4 : rate).batchSize(64).seed(1));
        Network plain = Network.builder(64, 12, 10).seed(3).kernels(TrainerTest.GEMM, TrainerTest.K).build();
        run.apply(Trainer.builder(plain, Loss.softmaxCrossEntropy(TrainerTest.K), Optimizer.sgd(lr))
                .batchSize(64).seed(1));
        float[] w = warm.predict(d.x(), 64), m = manual.predict(d.x(), 64), p = plain.predict(d.x(), 64);
        assertArrayEquals(m, w);
        assertTrue(!java.util.Arrays.equals(p, w), "the warm-up changed the run");
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(warm, Loss.softmaxCrossEntropy(TrainerTest.K),
                Optimizer.sgd(lr)).warmupSteps(-1).build());
    }

    @Test
    void predictReturnsAFreshArrayOfEveryRowsOutputs() {
        Dataset d = Digits.load();
        Network net = Network.builder(64, 16, 10).seed(9).kernels(TrainerTest.GEMM, TrainerTest.K).build();
        int rows = 600; // more than one internal chunk
        float[] a = net.predict(d.x(), rows);
        assertEquals(rows * 10, a.length);
        float[] b = net.predict(d.x(), rows);
        assertNotSame(a, b);
        assertArrayEquals(a, b);
        float[] last = net.forward(d.x(), 599 * 64, 1, false);
        assertArrayEquals(java.util.Arrays.copyOfRange(last, 0, 10), java.util.Arrays.copyOfRange(a, 5990, 6000),
                "row 599 as a batch of its own");
        a[0] = 1e9f;
        assertEquals(b[0], net.predict(d.x(), 1)[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.predict(new float[63], 1));
        assertTrue(e.getMessage().startsWith("x: "), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> net.predict(d.x(), -1)).getMessage().startsWith("rows"));
        assertEquals(0, net.predict(d.x(), 0).length);
    }
}
