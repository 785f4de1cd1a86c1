package dev.rectify.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class IdxAndSyntheticTest {
    /** An IDX file: magic number, dimensions, data (also used by the reliability probes). */
    public static byte[] idx(int type, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt((type << 8) | dims.length);
        for (int x : dims) d.writeInt(x);
        d.write(data);
        return b.toByteArray();
    }

    public static Path write(Path dir, String name, byte[] bytes, boolean gzip) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream o = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            o.write(bytes);
        }
        return p;
    }

    static final byte[] PIXELS = {0, (byte) 255, (byte) 128, 1, 2, 3, 4, 5, (byte) 200, 0, 0, 51};

    @Test
    void readsMnistStyleFilesPlainAndGzipped(@TempDir Path dir) throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            Path img = write(dir, "img" + gz, idx(0x08, new int[] {3, 2, 2}, PIXELS), gz);
            Path lab = write(dir, "lab" + gz, idx(0x08, new int[] {3}, new byte[] {7, 0, 2}), gz);
            Dataset d = IdxLoader.load(img, lab);
            assertEquals(3, d.rows());
            assertEquals(4, d.features());
            assertEquals(8, d.outputs(), "classes = largest label + 1");
            assertArrayEquals(new int[] {7, 0, 2}, d.labels());
            assertEquals(1f, d.x()[1]);
            assertEquals(128 / 255f, d.x()[2], 1e-7f);
            assertEquals(51 / 255f, d.x()[11], 1e-7f);
        }
    }

    @Test
    void malformedFilesAreRefusedWithTheReason(@TempDir Path dir) throws IOException {
        Path lab = write(dir, "lab", idx(0x08, new int[] {3}, new byte[] {1, 0, 2}), false);
        Path good = write(dir, "good", idx(0x08, new int[] {3, 2, 2}, PIXELS), false);
        byte[] wrongMagic = idx(0x08, new int[] {3, 2, 2}, PIXELS);
        wrongMagic[0] = 0x12;
        refused(dir, write(dir, "m", wrongMagic, false), lab, "wrong magic");
        refused(dir, write(dir, "t", idx(0x08, new int[] {3, 2, 2}, java.util.Arrays.copyOf(PIXELS, 9)), true), lab, "truncated");
        refused(dir, write(dir, "h", java.util.Arrays.copyOf(idx(0x08, new int[] {3, 2, 2}, PIXELS), 9), false), lab, "truncated");
        refused(dir, write(dir, "x", idx(0x08, new int[] {3, 2, 2}, java.util.Arrays.copyOf(PIXELS, 13)), false), lab, "unexpected bytes");
        refused(dir, write(dir, "s", idx(0x0B, new int[] {3, 2, 2}, new byte[24]), false), lab, "not supported");
        refused(dir, good, write(dir, "l2", idx(0x08, new int[] {2}, new byte[] {1, 0}), false), "label count mismatch");
        refused(dir, good, good, "1 dimension");
    }

    static void refused(Path dir, Path images, Path labels, String reason) {
        IOException e = assertThrows(IOException.class, () -> IdxLoader.load(images, labels));
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
    }

    @Test
    void twoSpiralsAreMirrorImagesWithoutNoiseAndSeededWithIt() {
        Dataset s = Synthetic.twoSpirals(100, 0, 1);
        assertEquals(200, s.rows());
        for (int i = 0; i < 100; i++) {
            assertEquals(0, s.labels()[2 * i]);
            assertEquals(1, s.labels()[2 * i + 1]);
            assertTrue(-s.x()[4 * i] == s.x()[4 * i + 2] && -s.x()[4 * i + 1] == s.x()[4 * i + 3], "point " + i);
            assertTrue(Math.hypot(s.x()[4 * i], s.x()[4 * i + 1]) <= 1.0 + 1e-6);
        }
        assertArrayEquals(Synthetic.twoSpirals(50, 0.1, 9).x(), Synthetic.twoSpirals(50, 0.1, 9).x());
    }

    @Test
    void regressionTargetsAreTheFunctionOfTheDrawnInputs() {
        Dataset a = Synthetic.regression1d(Synthetic.Target.ABS, 500, -Math.sqrt(3), Math.sqrt(3), 2);
        Dataset s = Synthetic.regression1d(Synthetic.Target.SIN, 500, -Math.PI, Math.PI, 2);
        for (int i = 0; i < 500; i++) {
            assertEquals(Math.abs(a.x()[i]), a.targets()[i]);
            assertTrue(Math.abs(a.x()[i]) <= Math.sqrt(3));
            assertEquals((float) Math.sin(s.x()[i]), s.targets()[i]);
        }
        assertThrows(IllegalArgumentException.class, () -> Synthetic.regression1d(Synthetic.Target.SIN, 5, 1, 1, 0));
    }

    @Test
    void gridCoversTheCubeEvenly() {
        float[] g = Synthetic.grid(3, 2);
        assertArrayEquals(new float[] {-1, -1, -1, 0, -1, 1, 0, -1, 0, 0, 0, 1, 1, -1, 1, 0, 1, 1}, g);
        float[] line = Synthetic.grid(101, 1);
        assertEquals(-1f, line[0]);
        assertEquals(0f, line[50]);
        assertEquals(1f, line[100]);
        Dataset m = Synthetic.mnistShaped(20, 3);
        assertEquals(784, m.features());
        assertEquals(10, m.outputs());
        for (float v : m.x()) assertTrue(v >= 0 && v <= 1);
    }
}
