package dev.rectify.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** spark-train's refusals come before anything is read or written (the cluster run itself: .ci/spark-cluster). */
class SparkTrainCommandTest {
    @Test
    void anUnreachableMasterIsNamedAtOnce(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free now, and nobody listens once it is closed
        }
        long t0 = System.nanoTime();
        CommandLineTest.Result r = CommandLineTest.rectify(dir, "spark-train", "--master", "spark://127.0.0.1:" + port, "--out", "run");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--master: no Spark master answers at spark://127.0.0.1:" + port), r.err());
        assertTrue((System.nanoTime() - t0) / 1e9 < 30, "not Spark's minute of retries");
        assertFalse(Files.exists(dir.resolve("run")), "nothing written");
        assertEquals("", r.out());
    }

    @Test
    void optionsSparkCannotHonourAreRefusedByName(@TempDir Path dir) throws Exception {
        CommandLineTest.Result bn = CommandLineTest.rectify(dir, "spark-train", "--batch-norm", "--out", "a");
        assertEquals(2, bn.exit());
        assertTrue(bn.err().contains("--batch-norm: not supported on Spark yet"), bn.err());
        CommandLineTest.Result p = CommandLineTest.rectify(dir, "spark-train", "--partitions", "0", "--out", "b");
        assertEquals(2, p.exit());
        assertTrue(p.err().contains("--partitions"), p.err());
        CommandLineTest.Result m = CommandLineTest.rectify(dir, "spark-train", "--master", "mesos://x", "--out", "c");
        assertEquals(2, m.exit());
        assertTrue(m.err().contains("--master: 'mesos://x'"), m.err());
        assertFalse(Files.exists(dir.resolve("a")) || Files.exists(dir.resolve("b")) || Files.exists(dir.resolve("c")));
    }

    @Test
    void aMissingDataFileIsNamedBeforeAClusterIsAskedForExecutors(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("labels"), "");
        CommandLineTest.Result r = CommandLineTest.rectify(dir, "spark-train", "--data", "idx:images,labels", "--out", "run");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--data: no such file: images"), r.err());
        assertFalse(r.err().contains("SparkContext"), "no Spark context was started:\n" + r.err());
        CommandLineTest.Result t = CommandLineTest.rectify(dir, "spark-train", "--test", "csv:missing.csv", "--out", "run");
        assertEquals(2, t.exit(), t.err());
        assertTrue(t.err().contains("--test: no such file: missing.csv"), t.err());
        assertFalse(Files.exists(dir.resolve("run")), "nothing written");
        assertEquals("", r.out() + t.out());
    }
}
