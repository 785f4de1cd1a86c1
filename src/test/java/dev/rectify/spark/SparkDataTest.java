package dev.rectify.spark;

import dev.rectify.data.CsvLoader;
import dev.rectify.data.Dataset;
import dev.rectify.data.IdxAndSyntheticTest;
import dev.rectify.data.IdxLoader;
import dev.rectify.data.Standardizer;
import dev.rectify.nn.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #21: executors read the training file themselves, from a URI; malformed rows are named by file and line. */
class SparkDataTest {
    static Path csv(Path dir, Dataset d) throws Exception {
        StringBuilder b = new StringBuilder("f0,f1,f2,f3,f4,f5,label\n");
        for (int r = 0; r < d.rows(); r++) {
            for (int f = 0; f < d.features(); f++) b.append(Float.toString(d.x()[r * d.features() + f])).append(',');
            b.append(d.labels()[r]).append('\n');
        }
        Path p = dir.resolve("train.csv");
        Files.writeString(p, b.toString());
        return p;
    }

    @Test
    void aFileReadByTheExecutorsTrainsAsTheSameRowsShippedFromTheDriver(@TempDir Path dir) throws Exception {
        Dataset d = SparkTrainerTest.DATA;
        Path file = csv(dir, d);
        SparkData read = SparkData.csv(LocalSpark.get(), file.toUri().toString(), CsvLoader.LabelColumn.LAST, 1);
        assertEquals(d.rows(), read.rows());
        assertEquals(6, read.features());
        assertEquals(4, read.outputs());
        Network a = SparkTrainerTest.net(8), b = SparkTrainerTest.net(8);
        SparkTrainer.fit(LocalSpark.get(), SparkTrainerTest.trainer(a, 16, null), null, read, null, 1, null);
        SparkTrainer.fit(LocalSpark.get(), SparkTrainerTest.trainer(b, 16, null), null, SparkData.of(LocalSpark.get(), d, 1), null, 1, null);
        List<float[]> va = SparkTrainerTest.values(a), vb = SparkTrainerTest.values(b);
        for (int i = 0; i < va.size(); i++) assertArrayEquals(va.get(i), vb.get(i), "same rows, same order, same bits");

        SparkData three = SparkData.csv(LocalSpark.get(), file.toUri().toString(), CsvLoader.LabelColumn.LAST, 3);
        assertTrue(three.partitions() >= 3);
        assertEquals(d.rows(), three.rows());
    }

    @Test
    void aMalformedRowIsNamedByFileLineAndColumn(@TempDir Path dir) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int r = 0; r < 300; r++) b.append(String.format(Locale.ROOT, "%d,%d,%d%n", r, r + 1, r % 2));
        b.append("1,x,0\n");
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, b.toString());
        String uri = file.toUri().toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkData.csv(LocalSpark.get(), uri, CsvLoader.LabelColumn.LAST, 2));
        assertEquals(uri + ":301: column 2: not a number: 'x'", e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> SparkData.csv(LocalSpark.get(), dir.resolve("nope.csv").toUri().toString(), CsvLoader.LabelColumn.LAST, 2));
        assertTrue(missing.getMessage().contains("nope.csv"), missing.getMessage());
    }

    /** A random MNIST-shaped pair of IDX files (n images of 3x4 unsigned bytes, labels 0..4), plain or gzipped. */
    static Path[] idxFiles(Path dir, int n, boolean gzip) throws Exception {
        java.util.Random r = new java.util.Random(n);
        byte[] pixels = new byte[n * 12], labels = new byte[n];
        r.nextBytes(pixels);
        for (int i = 0; i < n; i++) labels[i] = (byte) r.nextInt(5);
        return new Path[] {
            IdxAndSyntheticTest.write(dir, "img" + gzip, IdxAndSyntheticTest.idx(0x08, new int[] {n, 3, 4}, pixels), gzip),
            IdxAndSyntheticTest.write(dir, "lab" + gzip, IdxAndSyntheticTest.idx(0x08, new int[] {n}, labels), gzip)};
    }

    @Test
    void idxFilesReadByTheExecutorsHoldTheBitsTheSingleMachineLoaderReads(@TempDir Path dir) throws Exception {
        for (boolean gz : new boolean[] {false, true}) {
            Path[] f = idxFiles(dir, 101, gz);
            Dataset local = IdxLoader.load(f[0], f[1]);
            for (int partitions : new int[] {1, 3}) {
                SparkData read = SparkData.idx(LocalSpark.get(), f[0].toUri().toString(), f[1].toUri().toString(), partitions);
                assertEquals(partitions, read.partitions());
                assertEquals(101, read.rows());
                assertEquals(12, read.features());
                assertEquals(local.outputs(), read.outputs());
                Dataset back = read.collect();
                assertArrayEquals(local.x(), back.x(), "gzip " + gz + ", " + partitions + " partitions");
                assertArrayEquals(local.labels(), back.labels());
                read.release();
            }
        }
    }

    @Test
    void idxFilesAnExecutorCannotUseAreNamed(@TempDir Path dir) throws Exception {
        Path[] f = idxFiles(dir, 20, false);
        String img = f[0].toUri().toString(), lab = f[1].toUri().toString();
        String missing = dir.resolve("none").toUri().toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkData.idx(LocalSpark.get(), img, missing, 2));
        assertTrue(e.getMessage().contains(missing) && e.getMessage().contains("no such file"), e.getMessage());

        byte[] bytes = Files.readAllBytes(f[0]);
        Path cut = dir.resolve("cut");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        e = assertThrows(IllegalArgumentException.class, () -> SparkData.idx(LocalSpark.get(), cut.toUri().toString(), lab, 2));
        assertTrue(e.getMessage().contains("cut") && e.getMessage().contains("truncated"), e.getMessage());

        Path fewer = IdxAndSyntheticTest.write(dir, "fewer", IdxAndSyntheticTest.idx(0x08, new int[] {19}, new byte[19]), false);
        e = assertThrows(IllegalArgumentException.class, () -> SparkData.idx(LocalSpark.get(), img, fewer.toUri().toString(), 2));
        assertTrue(e.getMessage().contains("19 labels") && e.getMessage().contains("20 images"), e.getMessage());
    }

    @Test
    void heldOutRowsDependOnTheSeedNotOnThePartitioning(@TempDir Path dir) throws Exception {
        Path[] f = idxFiles(dir, 400, false);
        Dataset[] testSets = new Dataset[2];
        int[] partitions = {1, 3};
        for (int i = 0; i < 2; i++) {
            SparkData.Split s = SparkData.idx(LocalSpark.get(), f[0].toUri().toString(), f[1].toUri().toString(), partitions[i])
                    .holdOut(0.25, 7);
            assertEquals(400, s.train().rows() + s.test().rows());
            assertEquals(partitions[i], s.train().partitions());
            testSets[i] = s.test().collect();
            Dataset train = s.train().collect();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int r = 0; r < train.rows(); r++) seen.add(row(train, r));
            for (int r = 0; r < testSets[i].rows(); r++) assertTrue(!seen.contains(row(testSets[i], r)), "a held-out row is not trained on");
            s.train().release();
            s.test().release();
        }
        assertArrayEquals(testSets[0].x(), testSets[1].x(), "the same rows held out, in the same order");
        assertArrayEquals(testSets[0].labels(), testSets[1].labels());
        // 400 Bernoulli(0.25) draws: 100 expected, standard deviation 8.7; outside 60..140 is a broken hash (p < 1e-5)
        assertTrue(testSets[0].rows() > 60 && testSets[0].rows() < 140, "held out " + testSets[0].rows());
        SparkData.Split other = SparkData.idx(LocalSpark.get(), f[0].toUri().toString(), f[1].toUri().toString(), 1).holdOut(0.25, 8);
        assertTrue(!java.util.Arrays.equals(testSets[0].x(), other.test().collect().x()), "another seed holds out other rows");
        other.train().release();
        other.test().release();
    }

    private static String row(Dataset d, int r) {
        return java.util.Arrays.toString(java.util.Arrays.copyOfRange(d.x(), r * d.features(), (r + 1) * d.features()));
    }

    @Test
    void standardizingOnTheClusterGivesTheSingleMachineStatistics(@TempDir Path dir) throws Exception {
        Path[] f = idxFiles(dir, 200, false);
        Dataset local = IdxLoader.load(f[0], f[1]);
        Standardizer expected = Standardizer.fit(local);
        SparkData one = SparkData.idx(LocalSpark.get(), f[0].toUri().toString(), f[1].toUri().toString(), 1);
        Standardizer s1 = one.standardizer();
        assertArrayEquals(expected.mean(), s1.mean(), "one partition: the same sums in the same order");
        assertArrayEquals(expected.std(), s1.std());
        SparkData three = SparkData.idx(LocalSpark.get(), f[0].toUri().toString(), f[1].toUri().toString(), 3);
        Standardizer s3 = three.standardizer();
        for (int j = 0; j < 12; j++) {
            // double sums of 200 floats regrouped: far below float rounding, so the float results agree to 1 ulp
            assertEquals(expected.mean()[j], s3.mean()[j], Math.ulp(expected.mean()[j]));
            assertEquals(expected.std()[j], s3.std()[j], Math.ulp(expected.std()[j]));
        }
        assertEquals(Standardizer.maxAbs(local), three.maxAbs());
        Dataset applied = three.standardized(expected).collect();
        assertArrayEquals(expected.apply(local).x(), applied.x());
        one.release();
    }

    @Test
    void rowsShippedFromTheDriverAreNotPartOfEveryTask() throws Exception {
        Dataset d = dev.rectify.data.Synthetic.mnistShaped(256, 1); // 256 x 784 floats: 800 KB
        SparkData shipped = SparkData.of(LocalSpark.get(), d, 2);
        for (org.apache.spark.Partition p : shipped.blocks.rdd().partitions()) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(bytes)) {
                o.writeObject(p); // what every task reading this partition carries
            }
            assertTrue(bytes.size() < 10_000, "a task carries " + bytes.size() + " bytes of partition " + p.index());
        }
        assertArrayEquals(d.x(), shipped.collect().x(), "the rows arrive, through their broadcasts");
        shipped.release();
    }
}
