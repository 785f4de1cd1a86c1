package dev.rectify.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Opening a data file the way every loader should: a missing file, a directory or an unreadable file is an
 * {@link IOException} that names the path; gzip is recognised by its magic bytes, not by the name; every read
 * error (a corrupt gzip stream included) names the file.
 */
final class DataFiles {
    private DataFiles() { }

    /** The file's content, decompressed when it is gzip; errors name {@code file}. */
    static InputStream open(Path file) throws IOException {
        if (Files.isDirectory(file)) throw new IOException(file + ": is a directory, not a data file");
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new IOException(file + ": not readable (permission denied)", e);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        try {
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw), 1 << 16) : raw;
            return new Named(in, file);
        } catch (IOException e) {
            raw.close();
            throw new IOException(file + ": not a valid gzip file (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads exactly {@code n} bytes, growing the buffer only as bytes arrive, so a header that promises more than
     * the file holds costs no more memory than the file.
     *
     * @throws EOFException if the stream ends sooner
     */
    static byte[] readExactly(InputStream in, long n) throws IOException {
        if (n > Integer.MAX_VALUE - 8) throw new IOException(n + " bytes do not fit in one array");
        byte[] buf = new byte[(int) Math.min(n, 1 << 20)];
        int done = 0;
        while (done < n) {
            if (done == buf.length) buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
            int r = in.read(buf, done, buf.length - done);
            if (r < 0) throw new EOFException("ends after " + done + " of " + n + " bytes");
            done += r;
        }
        return buf;
    }

    /** Puts the file name in front of every read error's message. */
    private static final class Named extends FilterInputStream {
        private final Path file;

        Named(InputStream in, Path file) {
            super(in);
            this.file = file;
        }

        private IOException named(IOException e) {
            if (e instanceof EOFException) return e; // the loaders say what ended early
            return new IOException(file + ": " + e.getMessage(), e);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw named(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw named(e);
            }
        }
    }
}
