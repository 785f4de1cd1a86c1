package dev.rectify.spark;

import dev.rectify.data.CsvLoader;
import dev.rectify.data.Dataset;
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
}
