package dev.rectify.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a classification set from a pair of IDX files, the format of MNIST and Fashion-MNIST
 * ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}), plain or gzipped (recognised by content,
 * not by name). An IDX file starts with two zero bytes, a type byte (0x08 unsigned byte, 0x0D float32 are
 * read here), the number of dimensions, and each dimension as a big-endian int; the data follows big-endian.
 * Images become rows of {@code product of the dimensions after the first} features, unsigned bytes scaled to
 * [0, 1] by 1/255; labels must be unsigned bytes. Classes = the largest label + 1 (at least 2).
 */
public final class IdxLoader {
    static final int UBYTE = 0x08, FLOAT = 0x0D;
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    private IdxLoader() { }

    /**
     * Loads images and labels.
     *
     * @throws IOException naming the file and the fault: wrong magic number, unsupported type, truncated data,
     *         bytes after the data, or a label count that differs from the image count
     */
    public static Dataset load(Path images, Path labels) throws IOException {
        Idx img = read(images);
        if (img.dims.length < 2) throw new IOException(images + ": an image file needs at least 2 dimensions, has " + img.dims.length);
        Idx lab = read(labels);
        if (lab.dims.length != 1) throw new IOException(labels + ": a label file has 1 dimension, this one has " + lab.dims.length);
        if (lab.type != UBYTE) throw new IOException(labels + ": labels must be unsigned bytes (type 0x08), found 0x" + Integer.toHexString(lab.type));
        if (lab.dims[0] != img.dims[0]) {
            throw new IOException("label count mismatch: " + labels + " has " + lab.dims[0] + " labels, " + images + " has "
                    + img.dims[0] + " images");
        }
        if (img.type == UBYTE) {
            for (int i = 0; i < img.values.length; i++) img.values[i] /= 255f;
        }
        int rows = img.dims[0];
        int features = (int) (img.values.length / Math.max(1, rows));
        int[] y = new int[rows];
        int max = 1;
        for (int i = 0; i < rows; i++) {
            y[i] = (int) lab.values[i];
            max = Math.max(max, y[i]);
        }
        String name = images.getFileName().toString();
        if (rows == 0) throw new IOException(images + ": no images");
        return Dataset.classification(name, img.values, features, y, max + 1);
    }

    private record Idx(int type, int[] dims, float[] values) { }

    /**
     * Reads one IDX file. Sizes come from the header, so they are checked against what the file holds before any
     * array of that size exists: a plain file's length must match the header exactly, and a gzipped file's data
     * is read into a buffer that grows only as bytes arrive.
     */
    private static Idx read(Path file) throws IOException {
        try (InputStream in = DataFiles.open(file)) {
            DataInputStream d = new DataInputStream(in);
            Header h = readHeader(d, file.toString());
            long plain = plainLength(file);
            if (plain >= 0 && plain - h.headerBytes() != h.dataBytes()) {
                throw new IOException(file + ": the header promises " + h.shape() + " = " + h.values() + " values (" + h.dataBytes()
                        + " bytes) but the file holds " + Math.max(0, plain - h.headerBytes())
                        + (plain - h.headerBytes() < h.dataBytes() ? ": truncated" : ": unexpected bytes after the data"));
            }
            byte[] raw;
            try {
                raw = DataFiles.readExactly(d, h.dataBytes());
            } catch (EOFException e) {
                throw new IOException(file + ": truncated data: the header promises " + h.shape() + " = " + h.values()
                        + " values, the file ends sooner");
            }
            if (d.read() != -1) throw new IOException(file + ": unexpected bytes after the " + h.values() + " values the header declares");
            float[] v = new float[(int) h.values()];
            decode(h, raw, 0, v, 0, v.length, file.toString());
            return new Idx(h.type(), h.dims(), v);
        }
    }

    /**
     * An IDX file's header: its value type ({@code 0x08} unsigned byte or {@code 0x0D} float32) and dimensions.
     * The first dimension counts the records (images or labels); a record holds {@link #recordValues()} values.
     */
    public record Header(int type, int[] dims) {
        /** Bytes before the data: the magic number and one int per dimension. */
        public long headerBytes() { return 4 + 4L * dims.length; }
        /** Bytes per value: 1 or 4. */
        public int valueBytes() { return type == UBYTE ? 1 : 4; }
        public long values() {
            long n = 1;
            for (int d : dims) n *= d;
            return n;
        }
        public long dataBytes() { return values() * valueBytes(); }
        public int records() { return dims[0]; }
        public int recordValues() { return (int) (values() / dims[0]); }
        /** Whether values are unsigned bytes (images of those are scaled to [0, 1] by 1/255). */
        public boolean unsignedBytes() { return type == UBYTE; }
        public String shape() { return IdxLoader.shape(dims); }
    }

    /**
     * Reads and checks the header at the start of {@code in}; errors name {@code file}: wrong magic number, an
     * unsupported type, a zero or negative dimension, more than 2^31 values, a truncated header.
     */
    public static Header readHeader(DataInputStream in, String file) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new IOException(file + ": truncated IDX file (no header)");
        }
        int type = (magic >>> 8) & 0xff, ndims = magic & 0xff;
        if ((magic >>> 16) != 0 || ndims == 0) {
            throw new IOException(file + ": not an IDX file (wrong magic number 0x" + String.format("%08x", magic) + ")");
        }
        if (type != UBYTE && type != FLOAT) {
            throw new IOException(file + ": IDX type 0x" + Integer.toHexString(type) + " is not supported (0x08 unsigned byte, 0x0d float)");
        }
        int[] dims = new int[ndims];
        long count = 1;
        try {
            for (int i = 0; i < ndims; i++) {
                dims[i] = in.readInt();
                if (dims[i] < 0) throw new IOException(file + ": dimension " + i + " is negative: " + dims[i]);
                if (dims[i] == 0) throw new IOException(file + ": dimension " + i + " is 0: the file holds no samples");
                count *= dims[i];
                if (count > MAX_VALUES) throw new IOException(file + ": too large (" + count + "+ values)");
            }
        } catch (EOFException e) {
            throw new IOException(file + ": truncated IDX header");
        }
        return new Header(type, dims);
    }

    /**
     * Decodes {@code n} big-endian values of {@code header}'s type from {@code raw[rawOff..]} into
     * {@code out[outOff..]}: unsigned bytes as 0..255 (not scaled), floats as they are.
     *
     * @throws IOException naming {@code file} and the value's index (counted from {@code outOff}) if a float is not finite
     */
    public static void decode(Header header, byte[] raw, int rawOff, float[] out, int outOff, int n, String file) throws IOException {
        if (header.type() == UBYTE) {
            for (int i = 0; i < n; i++) out[outOff + i] = raw[rawOff + i] & 0xff;
        } else {
            java.nio.ByteBuffer.wrap(raw, rawOff, 4 * n).asFloatBuffer().get(out, outOff, n);
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(out[outOff + i])) throw new IOException(file + ": value " + i + " is not finite");
            }
        }
    }

    private static String shape(int[] dims) {
        StringBuilder b = new StringBuilder();
        for (int d : dims) b.append(b.length() == 0 ? "" : " x ").append(d);
        return b.toString();
    }

    /** The length of an uncompressed file, or -1 for a gzipped one (its length says nothing about the data). */
    private static long plainLength(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b ? -1 : Files.size(file);
        }
    }
}
