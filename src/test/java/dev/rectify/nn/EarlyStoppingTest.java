package dev.rectify.nn;

import dev.rectify.data.Dataset;
import dev.rectify.data.Digits;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stopping a fit from its callback, early stopping with restore-best, and a network's weights as values. */
class EarlyStoppingTest {
    static Trainer trainer(int seed) {
        Network net = Network.builder(64, 12, 10).batchNorm(true).seed(seed).kernels(TrainerTest.GEMM, TrainerTest.K).build();
        return Trainer.builder(net, Loss.softmaxCrossEntropy(TrainerTest.K), Optimizer.sgd(0.05).momentum(0.9))
                .batchSize(64).seed(seed).build();
    }

    static EpochRecord record(int epoch, double testLoss) {
        return new EpochRecord(epoch, 0.05, 1.0, 0.5, testLoss, 0.5, 0.01, List.of());
    }

    @Test
    void aStopRequestedFromTheCallbackEndsFitAfterThatEpochAndTheNextFitStartsAfresh() {
        Dataset d = Digits.load();
        Trainer t = trainer(1);
        List<EpochRecord> h = t.fit(d, null, 10, r -> {
            if (r.epoch() == 2) t.requestStop();
        });
        assertEquals(3, h.size());
        assertEquals(3, t.epochs());
        assertTrue(t.stopRequested());
        assertEquals(2, t.fit(d, null, 2, null).size(), "a new fit call clears the request");
        assertFalse(t.stopRequested());
    }

    @Test
    void stopsAfterPatienceEpochsWithoutALowerLossAndRestoresTheBestWeights() {
        Dataset d = Digits.load();
        Trainer t = trainer(2);
        List<Integer> bests = new ArrayList<>();
        EarlyStopping es = new EarlyStopping(t, 3, r -> bests.add(r.epoch()));
        double[] losses = {1.0, 0.8, 0.9, Double.NaN, 0.95, 0.7};
        float[] atBest = null;
        for (int e = 0; e < losses.length && !t.stopRequested(); e++) {
            t.fit(d, null, 1, null); // the weights move every epoch
            es.accept(record(e, losses[e]));
            if (e == 1) atBest = t.network().predict(d.x(), 50);
        }
        assertEquals(List.of(0, 1), bests);
        assertEquals(1, es.bestEpoch());
        assertEquals(0.8, es.bestLoss(), 0.0);
        assertTrue(es.stopped() && t.stopRequested(), "0.9, NaN and 0.95 are three epochs without improvement");
        assertFalse(java.util.Arrays.equals(atBest, t.network().predict(d.x(), 50)), "training moved on");
        assertTrue(es.restoreBest());
        assertArrayEquals(atBest, t.network().predict(d.x(), 50), "the best epoch's weights, batch norm statistics included");
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(t, 0, null));
    }

    @Test
    void weightsAreACopyAndOnlyFitANetworkOfTheSameShape() {
        Trainer t = trainer(3);
        Network.Weights w = t.network().weights();
        float[] before = t.network().predict(Digits.load().x(), 10);
        t.fit(Digits.load(), null, 1, null);
        t.network().setWeights(w);
        assertArrayEquals(before, t.network().predict(Digits.load().x(), 10));
        Network other = Network.builder(64, 13, 10).seed(3).kernels(TrainerTest.GEMM, TrainerTest.K).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.setWeights(w));
        assertTrue(e.getMessage().startsWith("weights: "), e.getMessage());
    }
}
