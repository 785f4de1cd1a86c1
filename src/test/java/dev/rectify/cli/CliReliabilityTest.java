package dev.rectify.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static dev.rectify.cli.CommandLineTest.noStackTrace;
import static dev.rectify.cli.CommandLineTest.rectify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line's error contract, probed as a hostile but fair user would (issue #18), each command run as a
 * process: a bad option or path is exit 2 and one line on stderr, checked before any work starts; a failure while
 * running is exit 1 and one line naming the file or the cause; no stack trace without --debug.
 */
class CliReliabilityTest {
    static final String SMALL = "--layers=16";

    /** One line on stderr that starts with {@code prefix} and mentions every one of {@code words}. */
    static void oneLine(CommandLineTest.Result r, int exit, String prefix, String... words) {
        assertEquals(exit, r.exit(), "exit code; stderr:\n" + r.err());
        assertEquals(1, r.err().lines().count(), "one line on stderr:\n" + r.err());
        assertTrue(r.err().startsWith(prefix), "starts with '" + prefix + "': " + r.err());
        for (String w : words) assertTrue(r.err().contains(w), "mentions '" + w + "': " + r.err());
        noStackTrace(r);
    }

    @Test
    void impossibleOptionsAreExitTwoAndOneLineNamingTheOption(@TempDir Path dir) throws Exception {
        Object[][] cases = {
                {new String[] {"train", "--lr", "1e300"}, "rectify train: --lr", "float"},
                {new String[] {"train", "--lr", "1e39"}, "rectify train: --lr", "float"},
                {new String[] {"train", "--layers", ","}, "rectify train: --layers", "integers"},
                {new String[] {"train", "--layers", "46341,46341"}, "rectify train: --layers 46341,46341", "Java array"},
                {new String[] {"train", "--layers", "65536,65537"}, "rectify train: --layers 65536,65537", "Java array"},
                {new String[] {"train", "--warmup", "-1"}, "rectify train: --warmup", ">= 0"},
                {new String[] {"train", "--threads", "0"}, "rectify train: --threads", "> 0"},
                {new String[] {"train", "--bias", "1e39"}, "rectify train: --bias", "float"},
                {new String[] {"train", "--clip-norm", "Infinity"}, "rectify train: --clip-norm", "float"},
                {new String[] {"study", "--clip-norm", "Infinity"}, "rectify study: --clip-norm", "float"},
                {new String[] {"study", "--layers", "46341,46341"}, "rectify study: --layers 46341,46341", "Java array"},
                {new String[] {"study", "--lrs", "0.05,1e39"}, "rectify study: --lrs", "float"},
                {new String[] {"born-dead", "--width", "1048576"}, "rectify born-dead: --width", "array"},
                {new String[] {"born-dead", "--depth", "2147483646..2147483647"}, "rectify born-dead: --depth", "100000"},
                {new String[] {"born-dead", "--inputs", "uniform:2000000000"}, "rectify born-dead: --inputs", "16777216"},
                {new String[] {"born-dead", "--inputs", "grid:101", "--input-dim", "10"}, "rectify born-dead: --inputs", "16777216"},
                {new String[] {"bench", "--ops", "bogus"}, "rectify bench: --ops: unknown kernel 'bogus'", "relu"},
                {new String[] {"bench", "--sizes", "-1"}, "rectify bench: --sizes", ">= 1"},
        };
        for (Object[] c : cases) {
            String[] args = (String[]) c[0];
            CommandLineTest.Result r = rectify(dir, args);
            String[] words = new String[c.length - 2];
            for (int i = 2; i < c.length; i++) words[i - 2] = (String) c[i];
            oneLine(r, 2, (String) c[1], words);
        }
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".json")), "bench left no JSON behind");
        }
    }

    /** A batch larger than the data is one full batch, not a buffer of 2^31 - 1 rows. */
    @Test
    void aHugeBatchSizeTrainsOnOneFullBatch(@TempDir Path dir) throws Exception {
        CommandLineTest.Result r = rectify(dir, "train", SMALL, "--batch", "2147483647", "--epochs", "1", "--out", "run");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.exists(dir.resolve("run/model.ckpt")));
    }

    /** Was: an --out that is a file printed only its path, after the whole run. */
    @Test
    void badPathsAreRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("afile"), "x");
        Files.createDirectories(dir.resolve("folder"));
        oneLine(rectify(dir, "train", SMALL, "--out", "afile"), 2, "rectify train: --out: afile is a file");
        oneLine(rectify(dir, "train", SMALL, "--out", "afile/run"), 2, "rectify train: --out", "which is a file");
        oneLine(rectify(dir, "study", "--out", "afile"), 2, "rectify study: --out: afile is a file");
        oneLine(rectify(dir, "train", SMALL, "--checkpoint", "folder"), 2, "rectify train: --checkpoint: folder is a folder");
        oneLine(rectify(dir, "train", SMALL, "--data", "csv:folder"), 2, "rectify train: --data: folder is a directory");
        oneLine(rectify(dir, "evaluate", "--checkpoint", "folder"), 2, "rectify evaluate: --checkpoint: folder is a directory");
        oneLine(rectify(dir, "born-dead", "--csv", "folder"), 2, "rectify born-dead: --csv: folder is a folder");
        assertFalse(Files.exists(dir.resolve("runs")), "nothing was trained or written");
    }

    /** Was: "Not in GZIP format" with no file, and an IDX header promising 46000 x 46000 images ran out of memory. */
    @Test
    void hostileDataFilesAreExitOneNamingTheFile(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("junk.csv.gz"), new byte[] {0x1f, (byte) 0x8b, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
        oneLine(rectify(dir, "train", SMALL, "--data", "csv:junk.csv.gz"), 1, "rectify train: junk.csv.gz", "gzip");
        Files.writeString(dir.resolve("big-label.csv"), "0.5,1.5,0\n0.25,2.5,100000000\n");
        oneLine(rectify(dir, "train", SMALL, "--data", "csv:big-label.csv"), 1, "rectify train: big-label.csv:2: column 3", "class index");
        try (DataOutputStream d = new DataOutputStream(Files.newOutputStream(dir.resolve("images")))) {
            d.writeInt(0x0802);
            d.writeInt(46000);
            d.writeInt(46000);
        }
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(dir.resolve("labels")))) {
            o.write(new byte[] {0, 0, 8, 1, 0, 0, (byte) 0xb3, (byte) 0xb0});
        }
        oneLine(rectify(dir, "train", SMALL, "--data", "idx:images,labels"), 1, "rectify train: images", "46000 x 46000");
    }

    /** Was: `train --lr 1e30 --batch 2000 --epochs 1` exited 0 with an all-NaN checkpoint; the reason went to stdout. */
    @Test
    void aDivergedRunIsExitOneOnStderrAndSavesNoCheckpoint(@TempDir Path dir) throws Exception {
        CommandLineTest.Result r = rectify(dir, "train", SMALL, "--lr", "1e30", "--batch", "2000", "--epochs", "1", "--out", "run");
        oneLine(r, 1, "rectify train: diverged: non-finite", "epoch 0", "no checkpoint saved");
        assertFalse(r.out().contains("diverged"), "the reason is on stderr only:\n" + r.out());
        assertFalse(Files.exists(dir.resolve("run/model.ckpt")), "no checkpoint of a diverged network");
        assertTrue(Files.exists(dir.resolve("run/index.html")), "the report shows what happened");
    }

    /** Was: evaluate printed "loss NaN" and exited 0. */
    @Test
    void evaluateIsExitOneOnANonFiniteLoss(@TempDir Path dir) throws Exception {
        dev.rectify.nn.Network net = dev.rectify.nn.Network.builder(64, 8, 10).seed(1).build();
        java.util.Arrays.fill(net.layers().get(0).params().get(0).value(), Float.MAX_VALUE); // finite, overflows in use
        new dev.rectify.nn.Checkpoint(net, dev.rectify.nn.Optimizer.sgd(0.01), 0).save(dir.resolve("huge.ckpt"));
        CommandLineTest.Result r = rectify(dir, "evaluate", "--checkpoint", "huge.ckpt");
        oneLine(r, 1, "rectify evaluate: huge.ckpt: the network gives a non-finite loss");
    }

    /** Train 2 + save + resume 2 gives the very file that train 4 gives: same parameters, state and settings. */
    @Test
    void resumingContinuesTheRunBitForBit(@TempDir Path dir) throws Exception {
        List<String> common = List.of("train", SMALL, "--activation", "prelu", "--dropout", "0.1", "--optimizer", "adam",
                "--lr", "0.01", "--schedule", "cosine", "--schedule-epochs", "4", "--seed", "7");
        CommandLineTest.Result whole = rectify(dir, concat(common, "--epochs", "4", "--out", "whole"));
        assertEquals(0, whole.exit(), whole.err());
        CommandLineTest.Result head = rectify(dir, concat(common, "--epochs", "2", "--out", "head"));
        assertEquals(0, head.exit(), head.err());
        CommandLineTest.Result tail = rectify(dir, "train", "--resume", "head/model.ckpt", "--epochs", "2", "--out", "tail");
        assertEquals(0, tail.exit(), tail.err());
        assertTrue(tail.out().contains("resumed head/model.ckpt: after epoch 2, step "), tail.out());
        assertTrue(tail.out().contains("epoch   3/4") && tail.out().contains("epoch   4/4"), tail.out());
        assertEquals(lastEpochLine(whole.out()), lastEpochLine(tail.out()).replaceAll("\\d+\\.\\d+ s, \\d+ s left", ""),
                "the same fourth epoch");
        assertEquals(-1, Files.mismatch(dir.resolve("whole/model.ckpt"), dir.resolve("tail/model.ckpt")), "the same checkpoint bytes");
        oneLine(rectify(dir, "train", "--resume", "head/model.ckpt", "--layers", "32"), 2, "rectify train: --layers: the network comes from the checkpoint");
        oneLine(rectify(dir, "train", "--resume", "head/model.ckpt", "--seed", "8"), 2, "rectify train: --seed: the run was trained with seed 7");
    }

    /**
     * Layers of 256 put the products above GEMM's parallel threshold and the weights above the update pass's
     * range: two threads split the work, and the checkpoint must still be the one thread's, byte for byte.
     */
    @Test
    void theThreadCountDoesNotChangeTheRun(@TempDir Path dir) throws Exception {
        List<String> common = List.of("train", "--layers", "256,256", "--epochs", "2", "--clip-norm", "1", "--seed", "3");
        CommandLineTest.Result one = rectify(dir, concat(common, "--threads", "1", "--out", "one"));
        assertEquals(0, one.exit(), one.err());
        assertTrue(one.out().lines().findFirst().orElse("").endsWith(", 1 thread"), one.out());
        CommandLineTest.Result two = rectify(dir, concat(common, "--threads", "2", "--out", "two"));
        assertEquals(0, two.exit(), two.err());
        assertTrue(two.out().lines().findFirst().orElse("").endsWith(", 2 threads"), two.out());
        assertEquals(lastEpochLine(one.out()), lastEpochLine(two.out()), "the same last epoch");
        assertEquals(-1, Files.mismatch(dir.resolve("one/model.ckpt"), dir.resolve("two/model.ckpt")), "the same checkpoint bytes");
    }

    static String lastEpochLine(String out) {
        String last = "";
        for (String l : out.split("\\R")) if (l.startsWith("epoch ")) last = l;
        return last.replaceAll("\\d+\\.\\d+ s, \\d+ s left", "");
    }

    static String[] concat(List<String> a, String... b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(List.of(b));
        return all.toArray(new String[0]);
    }

    @Test
    void debugShowsTheStackTrace(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("big-label.csv"), "0.5,1.5,0\n0.25,2.5,100000000\n");
        CommandLineTest.Result r = rectify(dir, "train", "--debug", "--data", "csv:big-label.csv");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("\tat dev.rectify.data.CsvLoader"), r.err());
        assertTrue(new String(r.err().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).startsWith("rectify train: "));
    }
}
