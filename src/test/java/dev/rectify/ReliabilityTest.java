package dev.rectify;

import dev.rectify.data.CsvLoader;
import dev.rectify.data.Dataset;
import dev.rectify.data.IdxAndSyntheticTest;
import dev.rectify.data.IdxLoader;
import dev.rectify.diagnostics.BornDeadEstimator;
import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.Kernels;
import dev.rectify.nn.Checkpoint;
import dev.rectify.nn.Dense;
import dev.rectify.nn.EpochRecord;
import dev.rectify.nn.Init;
import dev.rectify.nn.Loss;
import dev.rectify.nn.Network;
import dev.rectify.nn.Optimizer;
import dev.rectify.nn.Trainer;
import dev.rectify.nn.TrainingDivergedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probes of a hostile but fair user (issue #18), kept as regression tests of the library: divergence is never
 * silent, sizes read from a file are checked against what the file holds before anything is allocated, and saves
 * leave no stale temporary files. Every crafted file is generated here. The command-line side is
 * {@code dev.rectify.cli.CliReliabilityTest}.
 */
class ReliabilityTest {
    static final Gemm GEMM = Kernels.gemm().withParallelism(1);
    static final ActivationKernels K = Kernels.activations();

    static Dataset blobs(int rows, int features, int classes, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * features];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = i % classes;
            for (int f = 0; f < features; f++) x[i * features + f] = (float) (scale * (r.nextGaussian() + (f % classes == y[i] ? 2 : 0)));
        }
        return Dataset.classification("blobs", x, features, y, classes);
    }

    static Network net(long seed) {
        return Network.builder(6, 16, 16, 4).seed(seed).kernels(GEMM, K).build();
    }

    static Trainer trainer(Network net, double lr, int batch) {
        return Trainer.builder(net, Loss.softmaxCrossEntropy(K), Optimizer.sgd(lr))
                .batchSize(batch).seed(1).build();
    }

    // ---- divergence is never silent ----

    /** Was: `train --lr 1e30 --batch 2000 --epochs 1` exited 0 and saved 26,122 NaN or infinite parameters. */
    @Test
    void aDivergedLastStepRaisesNamingEpochBatchAndLayerAndIsNeverSaved(@TempDir Path dir) {
        Dataset d = blobs(64, 6, 4, 1000, 1);
        Network n = net(1);
        Trainer t = trainer(n, 1e37, 64); // one batch: the step that diverges is the run's last
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.fit(d, null, 1, null));
        assertTrue(e.getMessage().contains("after the update in layer") && e.getMessage().contains("epoch 0, batch 0"), e.getMessage());
        assertEquals(0, e.epoch());
        Path f = dir.resolve("model.ckpt");
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> Checkpoint.of(t).save(f));
        assertTrue(s.getMessage().contains("diverged"), s.getMessage());
        assertFalse(Files.exists(f), "nothing written");
    }

    /** A loss that becomes non-finite only on the test set is a divergence too (and would have been NaN in the report). */
    @Test
    void aNonFiniteTestLossIsADivergence() {
        Dataset train = blobs(64, 6, 4, 1, 2);
        float[] huge = new float[8 * 6];
        java.util.Arrays.fill(huge, Float.MAX_VALUE); // finite inputs whose weighted sums overflow
        Dataset hostileTest = Dataset.classification("huge", huge, 6, new int[] {0, 1, 2, 3, 0, 1, 2, 3}, 4);
        Trainer t = trainer(net(2), 0.01, 16);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.fit(train, hostileTest, 1, null));
        assertTrue(e.getMessage().contains("test loss") && e.getMessage().contains("epoch 0"), e.getMessage());
    }

    /** Was: a double learning rate of 1e300 passed, then became an infinite float inside the update. */
    @Test
    void hyperParametersAreValidatedInThePrecisionTheyAreUsedIn() {
        Network n = net(3);
        assertNamed("lr", () -> Optimizer.sgd(1e300));
        assertNamed("lr", () -> Optimizer.adam(1e39));
        assertNamed("lr", () -> Optimizer.sgd(0.01).setLr(1e-50));
        assertNamed("bias", () -> Init.Bias.constant(1e39));
        assertNamed("clipNorm", () -> Trainer.builder(n, Loss.softmaxCrossEntropy(K), Optimizer.sgd(0.01)).clipNorm(1e39).build());
        assertNamed("clipValue", () -> Trainer.builder(n, Loss.softmaxCrossEntropy(K), Optimizer.sgd(0.01)).clipValue(-1).build());
        assertNamed("dropout", () -> Network.builder(6, 4, 2).dropout(0.99999999));
        assertNamed("eps", () -> Optimizer.adam(0.01).eps(1e-50));
        assertNamed("beta2", () -> Optimizer.adam(0.01).betas(0.9, 0.9999999999));
        assertNamed("weightDecay", () -> Optimizer.sgd(0.01).weightDecay(1e39));
        assertNamed("momentum", () -> Optimizer.sgd(0.01).momentum(0.999999999));
    }

    /** A too-high learning rate whose loss explodes but stays finite is flagged in the history. */
    @Test
    void aLossThatExplodesButStaysFiniteIsFlagged() {
        Dataset d = blobs(256, 6, 4, 1, 4);
        List<EpochRecord> calm = trainer(net(4), 0.01, 16).fit(d, null, 4, null);
        assertTrue(calm.stream().noneMatch(EpochRecord::lossExploding), "a sane rate is not flagged");
        List<EpochRecord> hot = trainer(net(4), 5, 16).fit(d, null, 4, null);
        assertTrue(hot.stream().allMatch(r -> Double.isFinite(r.trainLoss())), "finite losses");
        assertTrue(hot.stream().anyMatch(EpochRecord::lossExploding), "lr 5: some epoch flagged; losses "
                + hot.stream().map(r -> String.valueOf(r.trainLoss())).toList());
    }

    // ---- sizes read from files are bounded by the file ----

    static byte[] idxHeader(int type, int... dims) throws IOException {
        return IdxAndSyntheticTest.idx(type, dims, new byte[0]);
    }

    static Path write(Path dir, String name, byte[] bytes, boolean gzip) throws IOException {
        return IdxAndSyntheticTest.write(dir, name, bytes, gzip);
    }

    /** Was: a 12-byte file claiming 46000 x 46000 images ended in OutOfMemoryError. */
    @Test
    @Timeout(20)
    void anIdxHeaderThatPromisesMoreThanTheFileHoldsIsRefusedBeforeAllocating(@TempDir Path dir) throws IOException {
        Path labels = write(dir, "labels", idxHeader(0x08, 3), false);
        for (boolean gz : new boolean[] {false, true}) {
            Path images = write(dir, "images" + gz, idxHeader(0x08, 46000, 46000), gz);
            IOException e = assertThrows(IOException.class, () -> IdxLoader.load(images, labels));
            assertTrue(e.getMessage().startsWith(images.toString()) && e.getMessage().contains("46000"), e.getMessage());
        }
        Path zero = write(dir, "zero", idxHeader(0x08, 0, 28, 28), false);
        IOException z = assertThrows(IOException.class, () -> IdxLoader.load(zero, labels));
        assertTrue(z.getMessage().startsWith(zero.toString()) && z.getMessage().contains("is 0"), z.getMessage());
    }

    @Test
    void unreadableDataFilesAreNamedInTheError(@TempDir Path dir) throws IOException {
        Path garbage = write(dir, "junk.gz", new byte[] {0x1f, (byte) 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, false);
        IOException g = assertThrows(IOException.class, () -> CsvLoader.load(garbage, CsvLoader.LabelColumn.LAST));
        assertTrue(g.getMessage().startsWith(garbage.toString()), g.getMessage());
        IOException i = assertThrows(IOException.class, () -> IdxLoader.load(garbage, garbage));
        assertTrue(i.getMessage().startsWith(garbage.toString()), i.getMessage());
        IOException folder = assertThrows(IOException.class, () -> CsvLoader.load(dir, CsvLoader.LabelColumn.LAST));
        assertTrue(folder.getMessage().startsWith(dir.toString()) && folder.getMessage().contains("directory"), folder.getMessage());
        IOException ck = assertThrows(IOException.class, () -> Checkpoint.load(dir, GEMM, K));
        assertTrue(ck.getMessage().startsWith(dir.toString()) && ck.getMessage().contains("directory"), ck.getMessage());
    }

    /** Was: one label 100000000 built a 100,000,001-class network; 2147483647 overflowed to "-2147483648 classes". */
    @Test
    void aCsvLabelThatIsNoClassIndexIsRefusedWithItsLine(@TempDir Path dir) throws IOException {
        for (String label : List.of("100000000", "1000000", "2147483647", "65536")) {
            Path f = write(dir, "l" + label + ".csv", ("0.5,1.5,0\n0.25,2.5," + label + "\n").getBytes(StandardCharsets.UTF_8), false);
            IOException e = assertThrows(IOException.class, () -> CsvLoader.load(f, CsvLoader.LabelColumn.LAST));
            assertTrue(e.getMessage().startsWith(f + ":2: column 3") && e.getMessage().contains("class index"), e.getMessage());
        }
        Path ok = write(dir, "ok.csv", "0.5,1.5,0\n0.25,2.5,65535\n".getBytes(StandardCharsets.UTF_8), false);
        assertEquals(CsvLoader.MAX_CLASSES, CsvLoader.load(ok, CsvLoader.LabelColumn.LAST).classes());
    }

    /** Was: "not a number: '\uFEFF0.00'" for a file saved by a spreadsheet. */
    @Test
    void aUtf8ByteOrderMarkIsIgnored(@TempDir Path dir) throws IOException {
        Path f = write(dir, "bom.csv", "\uFEFF0.00,1.5,0\n0.25,2.5,1\n".getBytes(StandardCharsets.UTF_8), false);
        Dataset d = CsvLoader.load(f, CsvLoader.LabelColumn.LAST);
        assertEquals(2, d.rows());
        assertEquals(0f, d.x()[0]);
    }

    /** A checkpoint with a valid checksum whose one dense layer claims {@code in x out} weights and holds none. */
    static byte[] craftedCheckpoint(int in, int out, int layers) throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(p);
        d.writeLong(0);
        d.writeInt(layers);
        for (int i = 0; i < layers; i++) {
            d.writeByte('D');
            d.writeInt(in);
            d.writeInt(out);
            d.writeBoolean(false);
        }
        d.writeInt(0);
        byte[] payload = p.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(f);
        o.write("RECTIFY\n".getBytes(StandardCharsets.US_ASCII));
        o.writeInt(Checkpoint.VERSION);
        o.writeLong(payload.length);
        o.write(payload);
        o.writeInt((int) crc.getValue());
        return f.toByteArray();
    }

    /** Was: NegativeArraySizeException escaped Checkpoint.load (46341^2), or OutOfMemoryError after 36 s (30000^2). */
    @Test
    @Timeout(20)
    void checkpointLayerSizesAreBoundedByThePayload(@TempDir Path dir) throws IOException {
        int[][] claims = {{46341, 46341, 1}, {30000, 30000, 1}, {1000, 1000, 1000}, {-5, 3, 1}};
        for (int[] c : claims) {
            Path f = write(dir, "c" + c[0] + "x" + c[2] + ".ckpt", craftedCheckpoint(c[0], c[1], c[2]), false);
            IOException e = assertThrows(IOException.class, () -> Checkpoint.load(f, GEMM, K));
            assertTrue(e.getMessage().startsWith(f + ": malformed checkpoint"), e.getMessage());
        }
    }

    /** Was: --layers 46341,46341 gave "-2147479015", 65536,65537 "w.length != fanIn * fanOut". */
    @Test
    void impossibleNetworkSizesAreRefusedBeforeAllocating() {
        assertNamed("sizes", () -> Network.builder(784, 46341, 46341, 10));
        assertNamed("sizes", () -> Network.builder(784, 65536, 65537, 10));
        long heap = Runtime.getRuntime().maxMemory();
        if (heap < 16L << 30) assertNamed("heap", () -> Network.builder(784, 46000, 46000, 10));
        assertNamed("dense", () -> new Dense(46341, 46341, null, GEMM, K));
    }

    /** Was: born-dead --width 1048576 gave "w.length != fanIn * fanOut"; --depth 2147483647 ran 81 s into OutOfMemoryError. */
    @Test
    @Timeout(20)
    void bornDeadSizesAreBounded() {
        assertNamed("width", () -> new BornDeadEstimator(1, 1 << 20, new float[] {0f, 1f}, Eltwise.relu(), Init.HE_NORMAL,
                Init.Bias.zero(), GEMM));
        BornDeadEstimator ok = new BornDeadEstimator(1, 2, new float[] {0f, 1f}, Eltwise.relu(), Init.HE_NORMAL, Init.Bias.zero(), GEMM);
        assertNamed("depth", () -> ok.estimate(Integer.MAX_VALUE, 10, 1));
    }

    // ---- saves ----

    /** Was: a save killed with kill -9 left .NAME<random>.tmp files that nothing removed. */
    @Test
    void theNextSaveRemovesTheTemporaryFilesOfAKilledOneButNotOfALiveOne(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("model.ckpt");
        Path stale = Files.write(dir.resolve(".model.ckpt8243945.tmp"), new byte[100]);
        Path other = Files.write(dir.resolve(".other.ckpt77.tmp"), new byte[10]);
        Path live = Files.write(dir.resolve(".model.ckpt123.tmp"), new byte[10]);
        try (FileChannel ch = FileChannel.open(live, StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
            new Checkpoint(net(5), Optimizer.sgd(0.01), 0).save(target);
            assertTrue(lock.isValid());
        }
        assertFalse(Files.exists(stale), "the killed save's temporary file is gone");
        assertTrue(Files.exists(live), "a save in progress (locked) is left alone");
        assertTrue(Files.exists(other), "another target's file is left alone");
        Checkpoint.load(target, GEMM, K);
    }

    static void assertNamed(String name, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::execute);
        assertTrue(e.getMessage().contains(name), "expected '" + name + "' in: " + e.getMessage());
    }

    @FunctionalInterface
    interface Executable {
        void execute() throws Throwable;
    }
}
