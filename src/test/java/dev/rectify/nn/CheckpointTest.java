package dev.rectify.nn;

import dev.rectify.data.Dataset;
import dev.rectify.diagnostics.DeadUnitMonitor;
import dev.rectify.kernels.Eltwise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static dev.rectify.nn.TrainerTest.GEMM;
import static dev.rectify.nn.TrainerTest.K;
import static dev.rectify.nn.TrainerTest.randomClassification;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {
    static final Dataset DATA = randomClassification(200, 6, 4, 41);

    static Trainer trainer(Network net, Optimizer opt) {
        return Trainer.builder(net, Loss.softmaxCrossEntropy(K), opt).batchSize(16).seed(3).build();
    }

    static List<float[]> state(Network n) {
        List<float[]> s = new java.util.ArrayList<>();
        for (Layer l : n.layers()) {
            for (Param p : l.params()) s.add(p.value().clone());
            for (float[] b : l.buffers()) s.add(b.clone());
        }
        return s;
    }

    static void assertSameBits(List<float[]> a, List<float[]> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            int[] x = new int[a.get(i).length], y = new int[b.get(i).length];
            for (int j = 0; j < x.length; j++) x[j] = Float.floatToRawIntBits(a.get(i)[j]);
            for (int j = 0; j < y.length; j++) y[j] = Float.floatToRawIntBits(b.get(i)[j]);
            assertArrayEquals(x, y, "tensor " + i);
        }
    }

    @Test
    void roundTripIsBitExactAndTrainingContinuesIdentically(@TempDir Path dir) throws IOException {
        List<Network.Builder> shapes = List.of(
                Network.builder(6, 12, 8, 4).batchNorm(true).prelu(0.25f).dropout(0.2).seed(5).kernels(GEMM, K),
                Network.builder(6, 12, 8, 4).activation(Eltwise.rrelu()).seed(6).kernels(GEMM, K),
                Network.builder(6, 12, 4).activation(Eltwise.leakyRelu(0.1f)).seed(7).kernels(GEMM, K));
        List<Optimizer> opts = List.of(Optimizer.adamW(0.01, 0.01), Optimizer.sgd(0.01).momentum(0.9).nesterov().weightDecay(1e-4),
                Optimizer.sgd(0.01));
        for (int c = 0; c < shapes.size(); c++) {
            Network net = shapes.get(c).build();
            Trainer t = trainer(net, opts.get(c));
            t.fit(DATA, null, 2, null);
            Path f = dir.resolve("net" + c + ".ckpt");
            Checkpoint.of(t).save(f);
            Checkpoint loaded = Checkpoint.load(f, GEMM, K);
            assertEquals(net.describe(), loaded.network().describe());
            assertEquals(t.steps(), loaded.steps());
            assertSameBits(state(net), state(loaded.network()));
            Trainer resumed = trainer(loaded.network(), loaded.optimizer());
            resumed.restore(loaded.state());
            t.fit(DATA, null, 1, null);
            resumed.fit(DATA, null, 1, null);
            // Same parameters, optimizer moments, batch-norm statistics, noise step and shuffling: same bits.
            assertSameBits(state(net), state(loaded.network()));
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(3, s.count(), "no temporary files left behind");
        }
    }

    /**
     * Issue #18: train N, save, load, train M must give the bits of training N + M in one run: the epoch, the step,
     * the schedule position, the shuffle stream and the noise all continue. Before, 3,070 of 3,466 parameters
     * differed (the shuffle restarted and the checkpoint kept no epoch).
     */
    @Test
    void resumingFromACheckpointGivesTheBitsOfOneUninterruptedRun(@TempDir Path dir) throws IOException {
        List<dev.rectify.kernels.Gemm> gemms = List.of(GEMM, dev.rectify.kernels.Kernels.scalarGemm().withParallelism(1));
        List<dev.rectify.kernels.ActivationKernels> kernels = List.of(K, dev.rectify.kernels.Kernels.scalar());
        for (int path = 0; path < 2; path++) {
            dev.rectify.kernels.Gemm g = gemms.get(path);
            dev.rectify.kernels.ActivationKernels k = kernels.get(path);
            List<java.util.function.Supplier<Network>> shapes = List.of(
                    () -> Network.builder(6, 12, 8, 4).batchNorm(true).prelu(0.25f).dropout(0.2).seed(5).kernels(g, k).build(),
                    () -> Network.builder(6, 12, 8, 4).activation(Eltwise.rrelu()).seed(6).kernels(g, k).build(),
                    () -> Network.builder(6, 12, 4).seed(7).kernels(g, k).build());
            List<java.util.function.Supplier<Optimizer>> opts = List.of(() -> Optimizer.adamW(0.02, 0.01),
                    () -> Optimizer.sgd(0.05).momentum(0.9).nesterov().weightDecay(1e-4), () -> Optimizer.sgd(0.05));
            List<Schedule> schedules = List.of(Schedule.cosine(), Schedule.step(1, 0.5), Schedule.constant());
            for (int c = 0; c < shapes.size(); c++) {
                Schedule sched = schedules.get(c);
                Network whole = shapes.get(c).get();
                List<EpochRecord> one = resumable(whole, opts.get(c).get(), sched, k).fit(DATA, DATA, 5, null);

                Path f = dir.resolve("p" + path + "c" + c + ".ckpt");
                Trainer t2 = resumable(shapes.get(c).get(), opts.get(c).get(), sched, k);
                List<EpochRecord> head = t2.fit(DATA, DATA, 2, null);
                Checkpoint.of(t2).save(f);
                Checkpoint loaded = Checkpoint.load(f, g, k);
                assertEquals(2, loaded.state().epochs());
                Trainer resumed = resumable(loaded.network(), loaded.optimizer(), sched, k);
                resumed.restore(loaded.state());
                List<EpochRecord> tail = resumed.fit(DATA, DATA, 3, null);

                assertSameBits(state(whole), state(loaded.network()));
                assertEquals(5, resumed.epochs());
                assertEquals(t2.steps() + 3 * 13, resumed.steps());
                for (int e = 0; e < 2; e++) assertSameRecord(one.get(e), head.get(e));
                for (int e = 0; e < 3; e++) assertSameRecord(one.get(2 + e), tail.get(e));
            }
        }
    }

    static Trainer resumable(Network net, Optimizer opt, Schedule schedule, dev.rectify.kernels.ActivationKernels k) {
        return Trainer.builder(net, Loss.softmaxCrossEntropy(k), opt).schedule(schedule).batchSize(16).seed(3)
                .scheduleEpochs(5).listener(new DeadUnitMonitor()).build();
    }

    static void assertSameRecord(EpochRecord a, EpochRecord b) {
        assertEquals(a.epoch(), b.epoch());
        assertEquals(Double.doubleToLongBits(a.lr()), Double.doubleToLongBits(b.lr()), "lr of epoch " + a.epoch());
        assertEquals(Double.doubleToLongBits(a.trainLoss()), Double.doubleToLongBits(b.trainLoss()), "loss of epoch " + a.epoch());
        assertEquals(Double.doubleToLongBits(a.testLoss()), Double.doubleToLongBits(b.testLoss()), "test loss of epoch " + a.epoch());
        for (int l = 0; l < a.layers().size(); l++) {
            LayerEpoch x = a.layers().get(l), y = b.layers().get(l);
            assertEquals(List.of(x.dead(), x.dormant(), x.died(), x.revived()), List.of(y.dead(), y.dormant(), y.died(), y.revived()),
                    "dead/dormant/died/revived of layer " + l + " in epoch " + a.epoch());
        }
    }

    @Test
    void damagedFilesAreRefusedWithTheReason(@TempDir Path dir) throws IOException {
        Network net = Network.builder(6, 5, 4).seed(1).kernels(GEMM, K).build();
        Path f = dir.resolve("a.ckpt");
        new Checkpoint(net, Optimizer.sgd(0.01), 0).save(f);
        byte[] good = Files.readAllBytes(f);

        assertRefused(dir, Arrays.copyOf(good, good.length - 7), "truncated");
        assertRefused(dir, Arrays.copyOf(good, 10), "truncated");
        assertRefused(dir, Arrays.copyOf(good, good.length + 3), "padded");
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        assertRefused(dir, flipped, "checksum");
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertRefused(dir, magic, "magic");
        byte[] version = good.clone();
        version[11] = 9;
        assertRefused(dir, version, "version");
        assertRefused(dir, new byte[0], "magic");

        Checkpoint ok = Checkpoint.load(f, GEMM, K);
        assertSameBits(state(net), state(ok.network()));
    }

    static void assertRefused(Path dir, byte[] bytes, String reason) throws IOException {
        Path bad = dir.resolve("bad.ckpt");
        Files.write(bad, bytes);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(bad, GEMM, K));
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
    }

    @Test
    void savingReplacesAnOlderCheckpointWhole(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("c.ckpt");
        Network big = Network.builder(6, 64, 4).seed(1).kernels(GEMM, K).build();
        Network small = Network.builder(6, 3, 4).seed(2).kernels(GEMM, K).build();
        new Checkpoint(big, Optimizer.sgd(0.01), 0).save(f);
        new Checkpoint(small, Optimizer.sgd(0.01), 7).save(f);
        Checkpoint c = Checkpoint.load(f, GEMM, K);
        assertEquals(small.describe(), c.network().describe());
        assertEquals(7, c.steps());
    }
}
