package dev.rectify.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The default report folder: one per run, named by command and time, never one that exists already. */
class ReportFolderTest {
    @Test
    void aTakenNameGetsTheNextFreeSuffix(@TempDir Path dir) throws Exception {
        LocalDateTime t = LocalDateTime.of(2026, 12, 4, 9, 5, 7);
        assertEquals(dir.resolve("study-20261204-090507"), SharedOptions.Report.freshFolder(dir, "study", t));
        Files.createDirectory(dir.resolve("study-20261204-090507"));
        Files.createDirectory(dir.resolve("study-20261204-090507-2"));
        assertEquals(dir.resolve("study-20261204-090507-3"), SharedOptions.Report.freshFolder(dir, "study", t));
        assertEquals(dir.resolve("train-20261204-090507"), SharedOptions.Report.freshFolder(dir, "train", t));
    }
}
