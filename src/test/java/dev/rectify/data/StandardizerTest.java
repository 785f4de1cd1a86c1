package dev.rectify.data;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Standardization fitted on the training set, its text form for checkpoints, and scikit-learn's CSV header. */
class StandardizerTest {
    // Feature 0: 1, 3, 5, 7 (mean 4, population std sqrt(5)); feature 1 constant 2 (std 0, taken as 1).
    static final Dataset TRAIN = Dataset.classification("t", new float[] {1, 2, 3, 2, 5, 2, 7, 2}, 2, new int[] {0, 1, 0, 1}, 2);

    @Test
    void fitsThePopulationStatisticsAndTakesAConstantFeatureAsUnitScale() {
        Standardizer s = Standardizer.fit(TRAIN);
        assertArrayEquals(new float[] {4f, 2f}, s.mean());
        assertArrayEquals(new float[] {(float) Math.sqrt(5), 1f}, s.std());
        Dataset out = s.apply(TRAIN);
        float sd = (float) Math.sqrt(5);
        assertArrayEquals(new float[] {(1 - 4) / sd, 0, (3 - 4) / sd, 0, (5 - 4) / sd, 0, (7 - 4) / sd, 0}, java.util.Arrays.copyOf(out.x(), 8));
        assertArrayEquals(TRAIN.labels(), out.labels());
        Dataset test = Dataset.classification("u", new float[] {4, 9}, 2, new int[] {1}, 2);
        assertArrayEquals(new float[] {0f, 7f}, s.apply(test).x(), "the training set's statistics, not the test set's");
    }

    @Test
    void theTextFormReadsBackToTheSameBits() {
        Standardizer s = Standardizer.fit(Dataset.classification("r", new float[] {0.1f, -3e-7f, 1e30f, 0.7f, 12345.678f, -1f}, 3,
                new int[] {0, 1}, 2));
        Standardizer back = Standardizer.decode(s.encode());
        assertArrayEquals(s.mean(), back.mean());
        assertArrayEquals(s.std(), back.std());
        assertThrows(IllegalArgumentException.class, () -> Standardizer.decode("1,2"));
        assertThrows(IllegalArgumentException.class, () -> Standardizer.decode("1,2;1"));
        assertThrows(IllegalArgumentException.class, () -> Standardizer.decode("1,x;1,1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Standardizer.of(new float[] {0}, new float[] {0}))
                .getMessage().startsWith("std[0]"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.apply(Dataset.classification("w", new float[] {1, 2}, 2, new int[] {0}, 2)));
        assertTrue(e.getMessage().startsWith("d: w has 2 features"), e.getMessage());
    }

    @Test
    void scikitLearnsNumericHeaderLineIsSkipped() throws Exception {
        String csv = "3,2,malignant,benign\n1.5,2.5,0\n3.5,4.5,1\n5.5,6.5,0\n";
        Dataset d = CsvLoader.parse("bc", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), CsvLoader.LabelColumn.LAST, true);
        assertEquals(3, d.rows());
        assertEquals(2, d.features());
        assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f}, java.util.Arrays.copyOf(d.x(), 6));
    }
}
