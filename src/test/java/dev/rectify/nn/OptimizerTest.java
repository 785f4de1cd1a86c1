package dev.rectify.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

import static dev.rectify.nn.TrainerTest.GEMM;
import static dev.rectify.nn.TrainerTest.K;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #20: optimizers as torch.optim builds them, the learning rate theirs, schedules modifying it. */
class OptimizerTest {
    private static Param param(float w, float g) {
        Param p = new Param("w", 1, true);
        p.value[0] = w;
        p.grad[0] = g;
        return p;
    }

    @Test
    void defaultsArePyTorchs() {
        Sgd sgd = Optimizer.sgd(0.1);
        assertEquals(0.1, sgd.lr());
        assertEquals(0, sgd.momentum());
        assertFalse(sgd.isNesterov());
        assertEquals(0, sgd.weightDecay());
        assertEquals("sgd(lr 0.1)", sgd.describe());
        Adam adam = Optimizer.adam(1e-3);
        assertEquals(0.9, adam.beta1());
        assertEquals(0.999, adam.beta2());
        assertEquals(1e-8, adam.eps());
        assertEquals(0, adam.weightDecay());
        assertFalse(adam.isDecoupled());
        Adam adamW = Optimizer.adamW(1e-3, 0.01);
        assertTrue(adamW.isDecoupled());
        assertEquals(0.01, adamW.weightDecay());
        assertEquals("sgd(lr 0.05, nesterov 0.9, weight decay 0.0001)",
                Optimizer.sgd(0.05).momentum(0.9).nesterov().weightDecay(1e-4).describe());
        assertEquals("adamw(lr 0.001, betas 0.9 0.999, weight decay 0.01)", adamW.describe());
    }

    @Test
    void stepsFollowTheDocumentedFormulas() {
        // Hand-computed: plain SGD w - lr g; momentum v1 = g, v2 = mu g + g; Nesterov w - lr (g + mu v).
        Param p = param(1f, 0.5f);
        Optimizer.sgd(0.1).step(List.of(p));
        assertEquals(1f - 0.1f * 0.5f, p.value[0]);

        Param m = param(1f, 0.5f);
        Sgd mom = Optimizer.sgd(0.1).momentum(0.9);
        mom.step(List.of(m));
        mom.step(List.of(m));
        assertEquals(1f - 0.05f - 0.1f * (0.9f * 0.5f + 0.5f), m.value[0], 1e-7f);

        Param n = param(1f, 0.5f);
        Optimizer.sgd(0.1).momentum(0.9).nesterov().step(List.of(n));
        assertEquals(1f - 0.1f * (0.5f + 0.9f * 0.5f), n.value[0], 1e-7f);

        // Adam's first step moves by lr * g / (|g| + eps / sqrt(...)): almost exactly lr, whatever g's size.
        Param a = param(1f, 0.5f), b = param(1f, -300f);
        Optimizer.adam(0.01).step(List.of(a, b));
        assertEquals(0.99f, a.value[0], 1e-6f);
        assertEquals(1.01f, b.value[0], 1e-6f);

        // AdamW shrinks the weight by lr wd w besides the Adam step; Adam with weight decay feeds wd w into g.
        Param dw = param(2f, 0f);
        Optimizer.adamW(0.1, 0.5).step(List.of(dw));
        assertEquals(2f - 0.1f * 0.5f * 2f, dw.value[0], 1e-6f);
    }

    @Test
    void settingsAreFixedOnceTheOptimizerHasState() {
        Sgd s = Optimizer.sgd(0.1).momentum(0.9);
        s.step(List.of(param(1f, 1f)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.momentum(0.5));
        assertTrue(e.getMessage().startsWith("momentum: set it before the first step"), e.getMessage());
        s.setLr(0.2); // the rate may change, as a PyTorch param group's
        assertEquals(0.2, s.lr());
        IllegalStateException n = assertThrows(IllegalStateException.class, () -> Optimizer.sgd(0.1).nesterov());
        assertTrue(n.getMessage().contains("momentum"), n.getMessage());
        IllegalArgumentException z = assertThrows(IllegalArgumentException.class,
                () -> Optimizer.sgd(0.1).momentum(0.5).nesterov().momentum(0));
        assertTrue(z.getMessage().startsWith("momentum"), z.getMessage());
        IllegalArgumentException lr = assertThrows(IllegalArgumentException.class, () -> Optimizer.adamW(0, 0.01));
        assertTrue(lr.getMessage().startsWith("lr must be > 0"), lr.getMessage());
    }

    @Test
    void theScheduleModifiesTheOptimizersRate() {
        Network net = Network.builder(6, 5, 3).seed(1).kernels(GEMM, K).build();
        List<EpochRecord> h = Trainer.builder(net, Loss.softmaxCrossEntropy(K), Optimizer.sgd(0.2))
                .schedule(Schedule.step(1, 0.5)).batchSize(16).seed(2).build()
                .fit(TrainerTest.randomClassification(40, 6, 3, 5), null, 3, null);
        assertEquals(List.of(0.2, 0.1, 0.05), h.stream().map(EpochRecord::lr).toList());
        Network net2 = Network.builder(6, 5, 3).seed(1).kernels(GEMM, K).build();
        List<EpochRecord> c = Trainer.builder(net2, Loss.softmaxCrossEntropy(K), Optimizer.adam(0.004))
                .batchSize(16).seed(2).build().fit(TrainerTest.randomClassification(40, 6, 3, 5), null, 2, null);
        assertEquals(List.of(0.004, 0.004), c.stream().map(EpochRecord::lr).toList(), "no schedule: the optimizer's rate");
    }

    @Test
    void checkpointsKeepTheRateAndOlderOnesAskForIt(@TempDir Path dir) throws IOException {
        Network net = Network.builder(6, 5, 3).seed(1).kernels(GEMM, K).build();
        Path f = dir.resolve("a.ckpt");
        new Checkpoint(net, Optimizer.sgd(0.037).momentum(0.8), 0).save(f);
        Optimizer loaded = Checkpoint.load(f, GEMM, K).optimizer();
        assertEquals(0.037, loaded.lr());
        assertEquals("sgd(lr 0.037, momentum 0.8)", loaded.describe());

        // The same file as version 2 wrote it: no lr after the optimizer's kind.
        Path old = dir.resolve("v2.ckpt");
        Files.write(old, asVersion2(Files.readAllBytes(f)));
        Checkpoint c = Checkpoint.load(old, GEMM, K);
        assertTrue(Double.isNaN(c.optimizer().lr()));
        assertEquals(0.8, ((Sgd) c.optimizer()).momentum());
        Trainer t = Trainer.builder(c.network(), Loss.softmaxCrossEntropy(K), c.optimizer()).batchSize(16).build();
        Dataset3 d = new Dataset3();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.fit(d.data, null, 1, null));
        assertTrue(e.getMessage().startsWith("lr: "), e.getMessage());
        assertThrows(IllegalStateException.class, () -> c.save(dir.resolve("b.ckpt")));
        c.optimizer().setLr(0.037);
        assertEquals(1, t.fit(d.data, null, 1, null).size());
    }

    private static final class Dataset3 {
        final dev.rectify.data.Dataset data = TrainerTest.randomClassification(40, 6, 3, 5);
    }

    /** Drops the 8 bytes of the rate after the UTF "sgd" and rewrites version, length and checksum. */
    private static byte[] asVersion2(byte[] v3) {
        int header = 8 + 4 + 8;
        byte[] payload = java.util.Arrays.copyOfRange(v3, header, v3.length - 4);
        int at = -1;
        for (int i = 0; i + 5 <= payload.length; i++) {
            if (payload[i] == 0 && payload[i + 1] == 3 && payload[i + 2] == 's' && payload[i + 3] == 'g' && payload[i + 4] == 'd') at = i + 5;
        }
        assertTrue(at > 0, "optimizer kind found");
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(payload, 0, at);
        p.write(payload, at + 8, payload.length - at - 8);
        byte[] shorter = p.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(shorter);
        ByteBuffer out = ByteBuffer.allocate(header + shorter.length + 4);
        out.put(v3, 0, 8).putInt(2).putLong(shorter.length).put(shorter).putInt((int) crc.getValue());
        return out.array();
    }
}
