package dev.rectify.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Writes a file so that a reader sees the old content or the new one, never half of one: the bytes go to a
 * temporary file {@code .NAME<digits>.tmp} in the target's directory, are forced to disk, and the temporary file is
 * renamed over the target. The writer holds an exclusive lock on its temporary file until the rename, so a later
 * write to the same target can tell the temporary file of a killed writer (unlocked: deleted) from one still being
 * written by another process (locked: left alone).
 */
public final class AtomicFiles {
    private AtomicFiles() { }

    /** Writes {@code bytes} to {@code target} atomically; creates missing parent directories. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(bytes, "bytes");
        Path dir = target.toAbsolutePath().getParent();
        String name = target.getFileName().toString();
        Files.createDirectories(dir);
        removeStaleTemporaries(dir, name);
        Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
        try {
            readableByAll(tmp);
            boolean moved = false;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.lock(); // released when the channel closes
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
                try {
                    move(tmp, target);
                    moved = true;
                } catch (FileSystemException e) {
                    // Where locks are mandatory (Windows) a locked file cannot be renamed: rename after closing.
                    if (e instanceof NoSuchFileException) throw e;
                }
            }
            if (!moved) move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Writes {@code text} as UTF-8 to {@code target} atomically. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Deletes the temporary files that killed writes to {@code dir/name} left behind: those nobody holds a lock on.
     * Returns how many were deleted.
     */
    static int removeStaleTemporaries(Path dir, String name) throws IOException {
        Pattern mine = Pattern.compile(Pattern.quote("." + name) + "\\d+\\.tmp");
        int removed = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> mine.matcher(p.getFileName().toString()).matches())) {
            for (Path p : s) {
                if (unlocked(p)) {
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
        }
        return removed;
    }

    private static boolean unlocked(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) return false; // another process is writing it
            lock.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // a thread of this JVM is writing it
        } catch (NoSuchFileException e) {
            return false; // renamed or deleted meanwhile
        } catch (IOException e) {
            return false; // cannot tell: leave it
        }
    }

    /**
     * Temporary files start as owner-only (rw-------); a report or checkpoint gets the usual rw-r--r--. No-op where
     * the file system has no POSIX permissions.
     */
    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep its defaults
        }
    }
}
