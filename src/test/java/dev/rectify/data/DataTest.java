package dev.rectify.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataTest {
    @Test
    void embeddedDigitsHaveTheirKnownShape() {
        Dataset d = Digits.load();
        assertEquals(1797, d.rows());
        assertEquals(64, d.features());
        assertEquals(10, d.classes());
        int[] perClass = new int[10];
        for (int l : d.labels()) perClass[l]++;
        // the UCI test set's class counts (178, 182, 177, 183, 181, 182, 181, 179, 174, 180)
        assertEquals(178, perClass[0]);
        assertEquals(174, perClass[8]);
        float max = 0;
        for (float v : d.x()) max = Math.max(max, v);
        assertEquals(1f, max, "pixel 16 scales to 1");
        // first row of the file: 0,0,5,13,9,1,... label 0
        assertEquals(5f / 16, d.x()[2]);
        assertEquals(0, d.labels()[0]);
    }

    @Test
    void splitIsSeededAndDisjoint() {
        Dataset d = Digits.load();
        Dataset.Split a = d.split(0.2, 7), b = d.split(0.2, 7);
        assertEquals(359, a.test().rows());
        assertEquals(1797 - 359, a.train().rows());
        assertEquals(java.util.Arrays.toString(a.test().labels()), java.util.Arrays.toString(b.test().labels()));
        assertThrows(IllegalArgumentException.class, () -> d.split(0, 1));
    }

    @Test
    void csvWithHeaderAndLabelFirst(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, "label,a,b\n1,0.5,2\n0,1.5,-1\n\n2,3,4\n");
        Dataset d = CsvLoader.load(f, CsvLoader.LabelColumn.FIRST);
        assertEquals(3, d.rows());
        assertEquals(2, d.features());
        assertEquals(3, d.classes());
        assertEquals(-1f, d.x()[3]);
    }

    @Test
    void malformedCsvIsRefusedWithLineAndColumn(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "1,2,0\n1,x,1\n");
        IOException e = assertThrows(IOException.class, () -> CsvLoader.load(f, CsvLoader.LabelColumn.LAST));
        assertTrue(e.getMessage().contains("bad.csv:2: column 2"), e.getMessage());
        Files.writeString(f, "1,2,0\n1,1\n");
        e = assertThrows(IOException.class, () -> CsvLoader.load(f, CsvLoader.LabelColumn.LAST));
        assertTrue(e.getMessage().contains("expected 3 columns, found 2"), e.getMessage());
        Files.writeString(f, "1,2,0.5\n");
        e = assertThrows(IOException.class, () -> CsvLoader.load(f, CsvLoader.LabelColumn.LAST));
        assertTrue(e.getMessage().contains("label must be an integer"), e.getMessage());
    }

    @Test
    void datasetValidatesItsArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.classification("t", new float[5], 2, new int[] {0, 1}, 2));
        assertTrue(e.getMessage().contains("x has 5 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.classification("t", new float[4], 2, new int[] {0, 2}, 2));
        assertTrue(e.getMessage().contains("labels[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.classification("t", new float[] {0, Float.NaN, 0, 0}, 2, new int[] {0, 1}, 2));
        assertTrue(e.getMessage().contains("x[1]"), e.getMessage());
    }
}
