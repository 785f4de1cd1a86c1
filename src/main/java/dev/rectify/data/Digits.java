package dev.rectify.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The UCI optical handwritten digits set embedded in the JAR (1,797 samples of 8x8 pixel counts 0..16, ten
 * classes; source and license in {@code dev/rectify/data/DIGITS-NOTICE.md}). Features are scaled to [0, 1] by
 * dividing by 16. The embedded file is checked against its SHA-256 before it is parsed.
 */
public final class Digits {
    static final String RESOURCE = "/dev/rectify/data/digits.csv.gz";
    static final String SHA256 = "46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a";
    public static final int ROWS = 1797, FEATURES = 64, CLASSES = 10;

    private Digits() { }

    /** Loads the embedded set (about 10 ms). */
    public static Dataset load() {
        byte[] gz;
        try (InputStream in = Digits.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the embedded digits set " + RESOURCE + " is missing from the JAR");
            }
            gz = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the embedded digits set", e);
        }
        String actual = sha256(gz);
        if (!actual.equals(SHA256)) {
            throw new IllegalStateException("the embedded digits set is corrupt: SHA-256 " + actual + ", expected " + SHA256);
        }
        Dataset raw;
        try {
            raw = CsvLoader.parse("digits", new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz)),
                    CsvLoader.LabelColumn.LAST, false);
        } catch (IOException e) {
            throw new UncheckedIOException("parsing the embedded digits set", e);
        }
        if (raw.rows() != ROWS || raw.features() != FEATURES || raw.classes() != CLASSES) {
            throw new IllegalStateException("the embedded digits set has an unexpected shape: " + raw);
        }
        float[] x = raw.x(); // the parsed set is private to this method: scale in place
        for (int i = 0; i < x.length; i++) x[i] /= 16f;
        return Dataset.classification("digits", x, FEATURES, raw.labels(), CLASSES);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
