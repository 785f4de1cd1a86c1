package dev.rectify.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks of option values and paths that run before a command does any work, so a bad option or path costs the
 * user one line and exit code 2, not a finished training run that cannot be saved. Numbers that the trainer uses as
 * floats are checked as floats (1e39 is a finite double but an infinite float). Every message names the option.
 */
final class OptionChecks {
    private OptionChecks() { }

    static void positiveInt(String option, long v) {
        if (v <= 0) throw new IllegalArgumentException(option + " must be > 0, was " + v);
    }

    static void nonNegativeInt(String option, long v) {
        if (v < 0) throw new IllegalArgumentException(option + " must be >= 0, was " + v);
    }

    /** > 0 and a finite, non-zero float. */
    static void positiveFloat(String option, double v) {
        if (!(v > 0) || !Float.isFinite((float) v) || (float) v == 0f) {
            throw new IllegalArgumentException(option + " must be > 0 and finite as a float (" + Float.MIN_VALUE + " to "
                    + Float.MAX_VALUE + "), was " + v);
        }
    }

    /** >= 0 and finite as a float. */
    static void nonNegativeFloat(String option, double v) {
        if (!(v >= 0) || !Float.isFinite((float) v)) {
            throw new IllegalArgumentException(option + " must be >= 0 and finite as a float (at most " + Float.MAX_VALUE
                    + "), was " + v);
        }
    }

    /** In [0, 1) as a float. */
    static void unitInterval(String option, double v) {
        if (!(v >= 0 && (float) v < 1)) throw new IllegalArgumentException(option + " must be in [0, 1), was " + v);
    }

    /** In (0, 1): a share of the rows that leaves both parts non-empty is checked by the split itself. */
    static void openFraction(String option, double v) {
        if (!(v > 0 && v < 1)) throw new IllegalArgumentException(option + " must be in (0, 1), was " + v);
    }

    /** An existing, readable regular file. */
    static void readableFile(String option, Path p) {
        if (!Files.exists(p)) throw new IllegalArgumentException(option + ": no such file: " + p);
        if (Files.isDirectory(p)) throw new IllegalArgumentException(option + ": " + p + " is a directory, not a file");
        if (!Files.isRegularFile(p)) throw new IllegalArgumentException(option + ": " + p + " is not a regular file");
        if (!Files.isReadable(p)) throw new IllegalArgumentException(option + ": " + p + " is not readable");
    }

    /** A folder that exists and is writable, or can be created: no part of the path is a file. */
    static void writableFolder(String option, Path p) {
        Path abs = p.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new IllegalArgumentException(option + ": " + p + " is a file, not a folder");
        }
        Path existing = nearestExisting(abs);
        if (!Files.isDirectory(existing)) {
            throw new IllegalArgumentException(option + ": " + p + " lies under " + existing + ", which is a file");
        }
        if (!Files.isWritable(existing)) throw new IllegalArgumentException(option + ": " + existing + " is not writable");
    }

    /** A file that can be written: not a folder, and its folder exists writable or can be created. */
    static void writableFile(String option, Path p) {
        Path abs = p.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) throw new IllegalArgumentException(option + ": " + p + " is a folder, not a file");
        if (abs.getParent() != null) writableFolder(option, abs.getParent());
    }

    private static Path nearestExisting(Path abs) {
        Path q = abs;
        while (q != null && !Files.exists(q)) q = q.getParent();
        return q == null ? abs.getRoot() : q;
    }
}
