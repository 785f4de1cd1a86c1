package dev.rectify.nn;

import dev.rectify.data.Dataset;
import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.Kernels;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.rectify.kernels.KernelFixtures.check;
import static dev.rectify.kernels.KernelFixtures.qt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Training N epochs, saving, loading into a new trainer and training M more gives the bits of training N + M in one
 * run, and so do two {@code fit} calls on one trainer: for any network kind (batch norm, PReLU, RReLU, dropout),
 * optimizer, schedule (cosine with its horizon set, step, warm-up), batch size that does or does not divide the
 * rows, and seed, on the SIMD and the scalar path.
 */
class ResumeProperties {
    record Case(int rows, int batch, int first, int more, int net, int optimizer, int schedule, long seed) {
        @Override
        public String toString() {
            return rows + " rows, batch " + batch + ", " + first + " + " + more + " epochs, network kind " + net + ", optimizer "
                    + optimizer + ", schedule " + schedule + ", seed " + seed;
        }
    }

    static Gen<Case> cases() {
        return integers().between(8, 60).zip(integers().between(2, 24), integers().between(0, 3), integers().between(1, 3),
                (rows, batch, first, more) -> new int[] {rows, batch, first, more})
                .zip(integers().between(0, 4), integers().between(0, 4), integers().between(0, 3), longs().all(),
                        (a, net, opt, sched, seed) -> new Case(a[0], a[1], a[2], a[3], net, opt, sched, seed));
    }

    static Network network(Case c, Gemm g, ActivationKernels k) {
        Network.Builder b = Network.builder(5, 7, 6, 3).seed(c.seed).kernels(g, k);
        switch (c.net) {
            case 1: return b.batchNorm(true).build();
            case 2: return b.prelu(0.25f).dropout(0.3).build();
            case 3: return b.activation(Eltwise.rrelu()).build();
            case 4: return b.activation(Eltwise.elu()).dropout(0.1).build();
            default: return b.build();
        }
    }

    static Optimizer optimizer(Case c) {
        switch (c.optimizer) {
            case 1: return Optimizer.sgd(lr(c)).momentum(0.9).weightDecay(1e-3);
            case 2: return Optimizer.sgd(lr(c)).momentum(0.5).nesterov();
            case 3: return Optimizer.adam(lr(c));
            case 4: return Optimizer.adamW(lr(c), 0.01).betas(0.9, 0.99).eps(1e-7);
            default: return Optimizer.sgd(lr(c));
        }
    }

    static double lr(Case c) {
        return c.schedule == 0 ? 0.03 : 0.05;
    }

    static Schedule schedule(Case c) {
        switch (c.schedule) {
            case 1: return Schedule.cosine();
            case 2: return Schedule.step(2, 0.5);
            case 3: return Schedule.warmup(2, Schedule.cosine());
            default: return Schedule.constant();
        }
    }

    static Trainer trainer(Case c, Network n, Optimizer o, ActivationKernels k) {
        return Trainer.builder(n, Loss.softmaxCrossEntropy(k), o).schedule(schedule(c)).batchSize(c.batch).seed(c.seed ^ 0x5DEECE66DL)
                .scheduleEpochs(c.first + c.more).build();
    }

    static Dataset data(Case c) {
        SplittableRandom r = new SplittableRandom(c.seed);
        float[] x = new float[c.rows * 5];
        int[] y = new int[c.rows];
        for (int i = 0; i < c.rows; i++) {
            y[i] = i % 3;
            for (int f = 0; f < 5; f++) x[i * 5 + f] = (float) (r.nextGaussian() + (f == y[i] ? 1.5 : 0));
        }
        return Dataset.classification("resume", x, 5, y, 3);
    }

    static int[] bits(Network n) {
        List<Integer> out = new ArrayList<>();
        for (Layer l : n.layers()) {
            for (Param p : l.params()) for (float v : p.value) out.add(Float.floatToRawIntBits(v));
            for (float[] b : l.buffers()) for (float v : b) out.add(Float.floatToRawIntBits(v));
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void trainSaveLoadTrainGivesTheBitsOfOneRun() throws IOException {
        Path dir = Files.createTempDirectory("resume");
        for (int path = 0; path < 2; path++) {
            Gemm g = path == 0 ? Kernels.gemm().withParallelism(1) : Kernels.scalarGemm();
            ActivationKernels k = path == 0 ? Kernels.activations() : Kernels.scalar();
            check("resume on " + g.name(), () -> qt(60).forAll(cases()).checkAssert(c -> {
                Dataset d = data(c);
                Network whole = network(c, g, k);
                trainer(c, whole, optimizer(c), k).fit(d, null, c.first + c.more, null);

                Network twice = network(c, g, k);
                Trainer t = trainer(c, twice, optimizer(c), k);
                t.fit(d, null, c.first, null);
                t.fit(d, null, c.more, null);
                assertArrayEquals(bits(whole), bits(twice), "two fit calls");

                Network head = network(c, g, k);
                Trainer first = trainer(c, head, optimizer(c), k);
                first.fit(d, null, c.first, null);
                try {
                    Path f = Files.createTempFile(dir, "r", ".ckpt");
                    Checkpoint.of(first).save(f);
                    Checkpoint loaded = Checkpoint.load(f, g, k);
                    Files.delete(f);
                    Trainer rest = trainer(c, loaded.network(), loaded.optimizer(), k);
                    rest.restore(loaded.state());
                    rest.fit(d, null, c.more, null);
                    assertArrayEquals(bits(whole), bits(loaded.network()), "saved, loaded and resumed");
                    assertEquals(c.first + c.more, rest.epochs());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
    }
}
