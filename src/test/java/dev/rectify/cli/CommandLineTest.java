package dev.rectify.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every subcommand run as a separate process, as a user runs it, on small settings. */
class CommandLineTest {
    record Result(int exit, String out, String err) { }

    static Result rectify(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finishes: " + String.join(" ", args));
        // The JVM's incubator notice; ./rectify filters it for users, here the JVM is started directly.
        String e = Files.readString(err).replaceFirst("^WARNING: Using incubator modules: jdk.incubator.vector\\R", "");
        Result r = new Result(p.exitValue(), Files.readString(out), e);
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    static void noStackTrace(Result r) {
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace:\n" + r.err());
    }

    @Test
    void infoNamesTheJdkAndTheKernelPath(@TempDir Path dir) throws Exception {
        Result r = rectify(dir, "info");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Kernel path:  simd"), r.out());
        assertTrue(r.out().contains(Runtime.version().toString()), r.out());
        assertTrue(r.out().contains("SIMD seen:"), r.out());
    }

    @Test
    void bornDeadWritesAConsistentCsvAndRepeatsItself(@TempDir Path dir) throws Exception {
        Result r = rectify(dir, "born-dead", "--width", "2", "--depth", "3..4", "--trials", "300", "--csv", "bd.csv");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = Files.readAllLines(dir.resolve("bd.csv"));
        assertEquals("width,depth,trials,born_dead,probability,ci_low,ci_high", lines.get(0));
        assertEquals(3, lines.size());
        for (String line : lines.subList(1, 3)) {
            String[] f = line.split(",");
            double p = Double.parseDouble(f[4]), lo = Double.parseDouble(f[5]), hi = Double.parseDouble(f[6]);
            assertEquals(Integer.parseInt(f[3]) / 300.0, p, 1e-12);
            assertTrue(0 <= lo && lo <= p && p <= hi && hi <= 1, line);
        }
        // Deeper narrow ReLU nets die more often (Lu et al.): depth 4 >= depth 3 up to sampling noise.
        assertTrue(Double.parseDouble(lines.get(2).split(",")[4]) + 0.05 >= Double.parseDouble(lines.get(1).split(",")[4]));
        List<String> layers = Files.readAllLines(dir.resolve("bd-layers.csv"));
        assertEquals(1 + 3 + 4, layers.size());
        Result again = rectify(dir, "born-dead", "--width", "2", "--depth", "3..4", "--trials", "300", "--csv", "bd2.csv");
        assertEquals(lines, Files.readAllLines(dir.resolve("bd2.csv")), "same seed, same counts on any thread split");
    }

    /**
     * The paper's single point x = 1: P(born dead) = 1 - (1 - 2^-N)^H for any symmetric initialization (width N = 2,
     * depth H = 3: 0.578125); the per-network file has one row per network and agrees with the summary.
     */
    @Test
    void bornDeadOnAPointSetWritesEveryNetworksVerdict(@TempDir Path dir) throws Exception {
        Result r = rectify(dir, "born-dead", "--width", "2", "--depth", "3", "--inputs", "points:1", "--trials", "2000",
                "--csv", "sum.csv", "--output-csv", "nets.csv");
        assertEquals(0, r.exit(), r.err());
        List<String> sum = Files.readAllLines(dir.resolve("sum.csv"));
        int born = Integer.parseInt(sum.get(1).split(",")[3]);
        double p = 1 - Math.pow(1 - 0.25, 3), se = Math.sqrt(p * (1 - p) / 2000);
        assertEquals(p, born / 2000.0, 4 * se, "single-point closed form");
        List<String> nets = Files.readAllLines(dir.resolve("nets.csv"));
        assertEquals("width,depth,trial,network_seed,born_dead,first_dead_layer,inactive_units,hidden_units", nets.get(0));
        assertEquals(2001, nets.size());
        int dead = 0;
        for (String line : nets.subList(1, nets.size())) {
            String[] f = line.split(",");
            boolean d = Boolean.parseBoolean(f[4]);
            int first = Integer.parseInt(f[5]);
            assertEquals(d, first > 0, line);
            assertTrue(first <= 3 && Long.parseLong(f[6]) <= 6 && (!d || Long.parseLong(f[6]) >= 2), line);
            if (d) dead++;
        }
        assertEquals(born, dead, "the summary counts the networks the per-network file calls born dead");
        Result bad = rectify(dir, "born-dead", "--inputs", "points:1,2,3", "--input-dim", "2", "--output-csv", "nets2.csv");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--inputs: points:1,2,3 must list a whole number of points of --input-dim 2"), bad.err());
        Result nan = rectify(dir, "born-dead", "--inputs", "points:1,x");
        assertTrue(nan.err().contains("--inputs: value 2 of points:1,x is not a number"), nan.err());
        assertFalse(Files.exists(dir.resolve("nets2.csv")), "nothing written on bad input");
    }

    @Test
    void trainRegressionFullBatchOnAbsAndOnACsvTarget(@TempDir Path dir) throws Exception {
        Result r = rectify(dir, "train", "--data", "abs", "--layers", "32", "--optimizer", "adam", "--lr", "0.01", "--batch", "full",
                "--epochs", "300", "--out", "abs");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("batch 76 (full)") || r.out().contains("76 training samples"), r.out());
        String last = r.out().lines().filter(l -> l.startsWith("epoch 300/300")).findFirst().orElseThrow();
        double mse = Double.parseDouble(last.replaceAll(".*  mse ([^ ]+) .*", "$1"));
        assertTrue(mse < 1e-2, "|x| fitted by 32 units in 300 full-batch Adam steps: " + last);
        String page = Files.readString(dir.resolve("abs/index.html"));
        assertTrue(page.contains(">test MSE<") && page.contains(">MSE (log scale)<") && !page.contains("cross-entropy"), "the report speaks MSE");
        assertTrue(Files.readString(dir.resolve("abs/results.csv")).contains(",76,"), "the batch column holds the full batch");
        Result e = rectify(dir, "evaluate", "--checkpoint", "abs/model.ckpt", "--data", "abs");
        assertEquals(0, e.exit(), e.err());
        assertTrue(e.out().contains("abs:grid:101 (all, 101 samples): mse "), e.out());

        // y = 2 x1 - x2 + 0.5: a CSV file's last column read as a real-valued target with --task regression.
        StringBuilder csv = new StringBuilder("x1,x2,y\n");
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            double a = rnd.nextDouble() * 2 - 1, b = rnd.nextDouble() * 2 - 1;
            csv.append(a).append(',').append(b).append(',').append(2 * a - b + 0.5).append('\n');
        }
        Files.writeString(dir.resolve("lin.csv"), csv);
        Result c = rectify(dir, "train", "--data", "csv:lin.csv", "--task", "regression", "--layers", "16", "--optimizer", "adam",
                "--lr", "0.01", "--batch", "full", "--epochs", "400", "--out", "lin");
        assertEquals(0, c.exit(), c.err());
        String end = c.out().lines().filter(l -> l.startsWith("epoch 400/400")).findFirst().orElseThrow();
        assertTrue(Double.parseDouble(end.replaceAll(".*test mse ([^ ]+) .*", "$1")) < 1e-2, end);
        Result wrong = rectify(dir, "train", "--data", "csv:lin.csv", "--epochs", "1", "--out", "x");
        assertEquals(1, wrong.exit(), wrong.err());
        assertTrue(wrong.err().contains("lin.csv:2: column 3: the label must be an integer >= 0, was '")
                && wrong.err().contains("(for a real-valued target add --task regression)"), wrong.err());
    }

    /**
     * collapse end to end on a tiny grid: the files and their headers, one row per network, every born-dead network
     * collapsed (a dead layer makes the output constant whatever training does), width-1 depth-6 nets mostly collapse
     * and width-8 depth-1 nets do not, and the same bits on one thread as on two.
     */
    @Test
    void collapseWritesItsReportAndEveryRunAndRepeatsItself(@TempDir Path dir) throws Exception {
        String[] args = {"collapse", "--widths", "1,8", "--depths", "1,6", "--runs", "10", "--epochs", "200", "--lr", "0.01"};
        Result r = rectify(dir, concat(args, "--threads", "2", "--out", "c2"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("collapsed: every output's range over the training inputs at most 0.01 of its target's range"), r.out());
        List<String> cells = Files.readAllLines(dir.resolve("c2/collapse.csv"));
        assertEquals(dev.rectify.report.CollapseReport.CELLS_HEADER, cells.get(0));
        assertEquals(1 + 2 * 2 * 2, cells.size());
        List<String> runs = Files.readAllLines(dir.resolve("c2/runs.csv"));
        assertEquals(dev.rectify.report.CollapseReport.RUNS_HEADER, runs.get(0));
        assertEquals(1 + 80, runs.size());
        for (String line : runs.subList(1, runs.size())) {
            String[] f = line.split(",");
            if (Boolean.parseBoolean(f[5])) assertTrue(Boolean.parseBoolean(f[6]), "born dead but not collapsed: " + line);
        }
        for (String line : cells.subList(1, cells.size())) {
            String[] f = line.split(",");
            int width = Integer.parseInt(f[0]), depth = Integer.parseInt(f[1]), collapsed = Integer.parseInt(f[5]);
            double p = Double.parseDouble(f[6]), lo = Double.parseDouble(f[7]), hi = Double.parseDouble(f[8]);
            assertTrue(lo <= p && p <= hi, line);
            if (width == 1 && depth == 6) assertTrue(collapsed >= 7, "width 1, depth 6: " + line);
            if (width == 8 && depth == 1) assertTrue(collapsed <= 1, "width 8, depth 1: " + line);
        }
        assertTrue(Files.readString(dir.resolve("c2/index.html")).contains("<table id=\"collapse\">"));
        Result one = rectify(dir, concat(args, "--threads", "1", "--out", "c1"));
        assertEquals(0, one.exit(), one.err());
        assertEquals(runs, Files.readAllLines(dir.resolve("c1/runs.csv")), "the same runs on one thread as on two");
        Result bad = rectify(dir, "collapse", "--data", "digits", "--out", "c3");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("rectify collapse: --task regression: --data digits has class labels"), bad.err());
        assertFalse(Files.exists(dir.resolve("c3")), "nothing written on bad input");
    }

    /**
     * sweep end to end: log-spaced rates as typed (0.1, 1, 10), one sweep.csv row per curve and rate, every run's
     * epochs in results.csv, and ReLU's dead share far higher at lr 10 than at lr 0.1 on digits.
     */
    @Test
    void sweepWritesTheDeadShareAgainstTheLearningRate(@TempDir Path dir) throws Exception {
        Result r = rectify(dir, "sweep", "--activations", "relu,elu", "--lrs", "log:0.1:10:3", "--seeds", "1", "--epochs", "3",
                "--layers", "32", "--out", "sw");
        assertEquals(0, r.exit(), r.err());
        List<String> rows = Files.readAllLines(dir.resolve("sw/sweep.csv"));
        assertEquals(dev.rectify.report.SweepReport.CSV_HEADER, rows.get(0));
        assertEquals(1 + 3 * 3, rows.size(), "relu, elu and relu+bn at three rates");
        java.util.Map<String, Double> relu = new java.util.HashMap<>();
        for (String line : rows.subList(1, rows.size())) {
            String[] f = line.split(",");
            if (f[0].equals("relu")) relu.put(f[2], Double.parseDouble(f[6]));
        }
        assertEquals(java.util.Set.of("0.1", "1.0", "10.0"), relu.keySet());
        assertTrue(relu.get("10.0") > relu.get("0.1") + 0.3, "ReLU dies at a high learning rate: " + relu);
        assertTrue(r.out().contains("relu he-normal             more than 20% inactive from lr "), r.out());
        assertEquals(1 + 9 * 3, Files.readAllLines(dir.resolve("sw/results.csv")).size(), "every run's epochs");
        Result bad = rectify(dir, "sweep", "--lrs", "log:1:0.1:3", "--out", "sw2");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("rectify sweep: --lrs: log:LO:HI:N needs LO < HI and 2 <= N <= 1000"), bad.err());
        assertFalse(Files.exists(dir.resolve("sw2")), "nothing written on bad input");
    }

    @Test
    void studyWritesTheReportTheCsvAndTheJson(@TempDir Path dir) throws Exception {
        Result r = rectify(dir, "study", "--activations", "relu,leaky-relu", "--inits", "he-normal,he-normal:-1", "--lrs", "0.05,1",
                "--seeds", "1", "--epochs", "2", "--layers", "16,8", "--out", "rep");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("activation") && r.out().contains("he-normal:-1.0"), r.out());
        String html = Files.readString(dir.resolve("rep/index.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.endsWith("</html>\n"));
        assertFalse(html.contains("<script") || html.contains("http://") || html.contains("https://"), "self-contained");
        // 2 lrs x 2 inits, each with accuracy, loss, and per layer (2) dead units, gradient norm and pre-activation range
        assertEquals(4 * (2 + 3 * 2), count(html, "<svg "));
        assertTrue(html.contains("id=\"conclusions\"><li>"), "conclusions present");
        List<String> csv = Files.readAllLines(dir.resolve("rep/results.csv"));
        assertEquals(1 + 8 * 2 * 2, csv.size(), "8 runs x 2 epochs x 2 layers");
        int deadCol = List.of(csv.get(0).split(",")).indexOf("dead_fraction");
        for (String line : csv.subList(1, csv.size())) {
            double d = Double.parseDouble(line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")[deadCol]); // commas outside quotes
            assertTrue(d >= 0 && d <= 1, line);
        }
        List<String> header = List.of(csv.get(0).split(","));
        assertEquals(List.of("run", "activation", "init", "learning_rate", "seed", "layers", "batch_norm", "optimizer", "batch",
                "epochs", "clip_norm", "epoch"), header.subList(0, 12), "one column per hyper-parameter");
        assertTrue(csv.get(1).startsWith("relu he-normal lr=0.05 seed=1,relu,he-normal,0.05,1,16-8,false,sgd,32,2,5.0,1,"), csv.get(1));
        assertEquals("2", csv.get(csv.size() - 1).split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")[header.indexOf("layer")],
                "layers count from 1");
        String json = Files.readString(dir.resolve("rep/results.json"));
        assertTrue(json.startsWith("{\"runs\":[{\"name\":\"relu he-normal lr=0.05 seed=1\",\"parameters\":{\"activation\":\"relu\","),
                json.substring(0, 120));
        assertEquals(8, count(json, "\"name\":"));
    }

    @Test
    void trainSavesACheckpointThatEvaluateReadsBack(@TempDir Path dir) throws Exception {
        Result t = rectify(dir, "train", "--layers", "32", "--epochs", "2", "--activation", "prelu", "--batch-norm",
                "--dropout", "0.1", "--optimizer", "adam", "--lr", "0.01", "--out", "run");
        assertEquals(0, t.exit(), t.err());
        assertTrue(Files.size(dir.resolve("run/model.ckpt")) > 0 && Files.exists(dir.resolve("run/index.html")));
        Matcher m = Pattern.compile("epoch +2/2 .* test ([0-9.]+) .* s, 0 s left").matcher(t.out());
        assertTrue(m.find(), t.out());
        assertTrue(t.out().contains("epoch   1/2 "), t.out());
        Result e = rectify(dir, "evaluate", "--checkpoint", "run/model.ckpt", "--part", "test");
        assertEquals(0, e.exit(), e.err());
        Matcher a = Pattern.compile("accuracy ([0-9.]+)").matcher(e.out());
        assertTrue(a.find(), e.out());
        assertEquals(Double.parseDouble(m.group(1)), Double.parseDouble(a.group(1)), 0.0011,
                "the saved network scores on the test split what training reported");
        assertTrue(e.out().contains("hidden layer 1: ") && e.out().contains("of 32 units dormant"), e.out());
    }

    @Test
    void evaluateScoresTheWholeFileWithPerClassAccuracyAndAConsistentConfusionMatrix(@TempDir Path dir) throws Exception {
        Result t = rectify(dir, "train", "--layers", "16", "--epochs", "1", "--out", "run");
        assertEquals(0, t.exit(), t.err());
        Result e = rectify(dir, "evaluate", "--checkpoint", "run/model.ckpt");
        assertEquals(0, e.exit(), e.err());
        assertTrue(e.out().contains("(all, 1797 samples)"), "all of the embedded digits set by default:\n" + e.out());
        Matcher acc = Pattern.compile("accuracy ([0-9.]+)").matcher(e.out());
        assertTrue(acc.find(), e.out());
        // Digits has 178-183 samples per class; the matrix's rows must add up to them, its diagonal to the accuracy.
        Matcher perClass = Pattern.compile(" (\\d+): [0-9.]+ \\((\\d+)\\)").matcher(e.out());
        int classes = 0, counted = 0;
        while (perClass.find()) {
            assertEquals(classes++, Integer.parseInt(perClass.group(1)));
            counted += Integer.parseInt(perClass.group(2));
        }
        assertEquals(10, classes, e.out());
        assertEquals(1797, counted, e.out());
        String[] lines = e.out().split("\\R");
        int header = java.util.Arrays.asList(lines).indexOf("confusion matrix (rows: true class, columns: predicted):");
        assertTrue(header >= 0, e.out());
        long total = 0, diagonal = 0;
        for (int i = 0; i < 10; i++) {
            String[] cells = lines[header + 2 + i].trim().split("\\s+");
            assertEquals(Integer.toString(i), cells[0], "row label");
            for (int j = 0; j < 10; j++) {
                int v = Integer.parseInt(cells[1 + j]);
                total += v;
                if (i == j) diagonal += v;
            }
        }
        assertEquals(1797, total);
        assertEquals(Double.parseDouble(acc.group(1)), diagonal / 1797.0, 0.00051, "the diagonal is the accuracy");
    }

    @Test
    void aSeparateTestSetIsUsedWholeAndCheckedAgainstTheTrainingData(@TempDir Path dir) throws Exception {
        StringBuilder train = new StringBuilder(), test = new StringBuilder(), wide = new StringBuilder();
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < 120; i++) {
            double a = r.nextDouble(-1, 1), b = r.nextDouble(-1, 1);
            train.append(String.format(Locale.ROOT, "%.4f,%.4f,%d%n", a, b, a + b > 0 ? 1 : 0));
        }
        for (int i = 0; i < 37; i++) {
            double a = r.nextDouble(-1, 1), b = r.nextDouble(-1, 1);
            test.append(String.format(Locale.ROOT, "%.4f,%.4f,%d%n", a, b, a + b > 0 ? 1 : 0));
            wide.append(String.format(Locale.ROOT, "%.4f,%.4f,0.5,%d%n", a, b, a + b > 0 ? 1 : 0));
        }
        Files.writeString(dir.resolve("train.csv"), train);
        Files.writeString(dir.resolve("test.csv"), test);
        Files.writeString(dir.resolve("wide.csv"), wide);
        Result t = rectify(dir, "train", "--data", "csv:train.csv", "--test", "csv:test.csv", "--layers", "8", "--epochs", "2",
                "--out", "run");
        assertEquals(0, t.exit(), t.err());
        assertTrue(t.out().contains("120 training samples; test: ") && t.out().contains(", 37 samples"), t.out());
        Result both = rectify(dir, "train", "--data", "csv:train.csv", "--test", "csv:test.csv", "--test-fraction", "0.5");
        assertEquals(2, both.exit());
        assertTrue(both.err().startsWith("rectify train: --test-fraction: not used with --test"), both.err());
        Result mismatch = rectify(dir, "study", "--data", "csv:train.csv", "--test", "csv:wide.csv", "--epochs", "1");
        assertEquals(2, mismatch.exit());
        assertTrue(mismatch.err().startsWith("rectify study: --test: ") && mismatch.err().contains("has 3 features per sample, --data "),
                mismatch.err());
        assertFalse(Files.exists(dir.resolve("runs")), "nothing written before the error");
    }

    /** study, like train, takes an official split: all of --data for training, all of --test (gzipped IDX here) for testing. */
    @Test
    void studyTrainsOnAllOfDataAndTestsOnAllOfAnIdxTestSet(@TempDir Path dir) throws Exception {
        java.util.Random rnd = new java.util.Random(5);
        for (String[] part : new String[][] {{"train", "90"}, {"t10k", "30"}}) {
            int n = Integer.parseInt(part[1]);
            byte[] pixels = new byte[n * 12], labels = new byte[n];
            rnd.nextBytes(pixels);
            for (int i = 0; i < n; i++) labels[i] = (byte) rnd.nextInt(3);
            dev.rectify.data.IdxAndSyntheticTest.write(dir, part[0] + "-images.gz",
                    dev.rectify.data.IdxAndSyntheticTest.idx(0x08, new int[] {n, 3, 4}, pixels), true);
            dev.rectify.data.IdxAndSyntheticTest.write(dir, part[0] + "-labels.gz",
                    dev.rectify.data.IdxAndSyntheticTest.idx(0x08, new int[] {n}, labels), true);
        }
        Result r = rectify(dir, "study", "--data", "idx:train-images.gz,train-labels.gz", "--test", "idx:t10k-images.gz,t10k-labels.gz",
                "--activations", "relu", "--inits", "he-normal", "--lrs", "0.05", "--seeds", "1", "--epochs", "1", "--layers", "8",
                "--out", "st");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("(90 train / 30 test)"), r.out());
        assertTrue(Files.readString(dir.resolve("st/index.html")).contains("90 training, 30 test samples"));
    }

    @Test
    void eachRunWritesItsOwnFolderAndAReportIsNeverOverwrittenSilently(@TempDir Path dir) throws Exception {
        Result a = rectify(dir, "train", "--layers", "8", "--epochs", "1");
        Result b = rectify(dir, "train", "--layers", "8", "--epochs", "1");
        assertEquals(0, a.exit(), a.err());
        assertEquals(0, b.exit(), b.err());
        List<Path> runs;
        try (var s = Files.list(dir.resolve("runs"))) {
            runs = s.sorted().toList();
        }
        assertEquals(2, runs.size(), runs.toString());
        for (Path r : runs) {
            assertTrue(r.getFileName().toString().matches("train-\\d{8}-\\d{6}(-\\d+)?"), r.toString());
            assertTrue(Files.exists(r.resolve("index.html")) && Files.exists(r.resolve("model.ckpt")), r.toString());
        }
        Path first = dir.relativize(runs.get(0));
        Result again = rectify(dir, "train", "--layers", "8", "--epochs", "1", "--out", first.toString());
        assertEquals(2, again.exit());
        assertTrue(again.err().startsWith("rectify train: --out: " + first + " already holds a report (index.html); ")
                && again.err().contains("--overwrite"), again.err());
        long before = Files.getLastModifiedTime(runs.get(0).resolve("index.html")).toMillis();
        Result replaced = rectify(dir, "train", "--layers", "8", "--epochs", "1", "--out", first.toString(), "--overwrite");
        assertEquals(0, replaced.exit(), replaced.err());
        assertTrue(Files.getLastModifiedTime(runs.get(0).resolve("index.html")).toMillis() >= before);
    }

    /** The epoch lines without their timings: what the training computed. */
    static String epochs(Result r) {
        StringBuilder b = new StringBuilder();
        for (String l : r.out().split("\\R")) if (l.startsWith("epoch ")) b.append(l, 0, l.lastIndexOf("  ")).append('\n');
        return b.toString().replaceAll("  [0-9.]+ s$", "");
    }

    @Test
    void sgdTakesMomentumAsPyTorchDoesAndAdamRefusesIt(@TempDir Path dir) throws Exception {
        String[] base = {"train", "--layers", "16", "--epochs", "2", "--lr", "0.02"};
        Result sgd = rectify(dir, concat(base, "--optimizer", "sgd", "--out", "a"));
        Result sgdZero = rectify(dir, concat(base, "--optimizer", "sgd", "--momentum", "0", "--out", "b"));
        Result sgdMomentum = rectify(dir, concat(base, "--optimizer", "sgd", "--momentum", "0.9", "--out", "c"));
        Result named = rectify(dir, concat(base, "--optimizer", "momentum", "--out", "d"));
        for (Result r : List.of(sgd, sgdZero, sgdMomentum, named)) assertEquals(0, r.exit(), r.err());
        assertEquals(epochs(sgd), epochs(sgdZero), "plain SGD by default");
        assertEquals(epochs(named), epochs(sgdMomentum), "--optimizer sgd --momentum 0.9 is the momentum optimizer");
        assertFalse(epochs(sgd).equals(epochs(sgdMomentum)), "the momentum is used:\n" + epochs(sgd) + epochs(sgdMomentum));
        Result adam = rectify(dir, concat(base, "--optimizer", "adam", "--momentum", "0.9", "--out", "e"));
        assertEquals(2, adam.exit());
        assertTrue(adam.err().startsWith("rectify train: --momentum: adam has no momentum option"), adam.err());
    }

    @Test
    void earlyStoppingKeepsTheBestEpochAndItsCheckpoint(@TempDir Path dir) throws Exception {
        Result t = rectify(dir, "train", "--layers", "32", "--epochs", "40", "--patience", "1", "--lr", "0.5", "--out", "run");
        assertEquals(0, t.exit(), t.err());
        assertTrue(t.out().contains("early stop: the test loss has not improved for 1 epoch\n"), t.out());
        long epochLines = t.out().lines().filter(l -> l.startsWith("epoch ")).count();
        assertTrue(epochLines < 40, "stopped early: " + epochLines);
        Matcher best = Pattern.compile("best epoch (\\d+) \\(test loss ([0-9.]+)\\)").matcher(t.out());
        assertTrue(best.find(), t.out());
        assertTrue(Integer.parseInt(best.group(1)) < epochLines, "the best epoch is before the last");
        Result e = rectify(dir, "evaluate", "--checkpoint", "run/best.ckpt", "--part", "test");
        assertEquals(0, e.exit(), e.err());
        Matcher loss = Pattern.compile("loss ([0-9.]+)").matcher(e.out());
        assertTrue(loss.find(), e.out());
        assertEquals(Double.parseDouble(best.group(2)), Double.parseDouble(loss.group(1)), 0.00015, "best.ckpt is the best epoch");
    }

    @Test
    void anInterruptedRunSavesItsCheckpointAndReportAfterTheCurrentEpoch(@TempDir Path dir) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", "--data", "mnist-shaped", "--layers", "64", "--epochs", "100000", "--out", "run"));
        Path out = dir.resolve("out.txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(dir.resolve("err.txt").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(out) && Files.readString(out).contains("epoch   2/")) && System.nanoTime() < deadline) Thread.sleep(50);
        p.destroy(); // SIGTERM, as a Ctrl-C's SIGINT: the JVM runs its shutdown hooks
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exits");
        String o = Files.readString(out);
        assertTrue(p.exitValue() != 0, "an interrupted run does not exit 0");
        Matcher m = Pattern.compile("interrupted after epoch (\\d+): continue with --resume ").matcher(o);
        assertTrue(m.find(), o + Files.readString(dir.resolve("err.txt")));
        assertTrue(Integer.parseInt(m.group(1)) >= 2 && Integer.parseInt(m.group(1)) < 100000);
        assertTrue(Files.exists(dir.resolve("run/index.html")), "the report is written before the JVM exits");
        Result e = rectify(dir, "evaluate", "--checkpoint", "run/model.ckpt", "--data", "mnist-shaped");
        assertEquals(0, e.exit(), e.err());
    }

    @Test
    void noCommandIsAUsageErrorAndTheHelpListsTheValuesAndInfoLogsOnlyWhenVerbose(@TempDir Path dir) throws Exception {
        Result none = rectify(dir);
        assertEquals(2, none.exit());
        assertTrue(none.err().startsWith("rectify: a command is missing") && none.err().contains("Usage: rectify"), none.err());
        assertEquals("", none.out());
        Result help = rectify(dir, "train", "--help");
        assertEquals(0, help.exit());
        String flat = help.out().replaceAll("\\s+", " ");
        assertTrue(flat.contains("One of prelu, gelu, relu, leaky-relu,") && flat.contains("One of he-normal,"), help.out());
        assertTrue(flat.contains("sgd, momentum, nesterov, adam, adamw"), help.out());
        Result quiet = rectify(dir, "info");
        Result verbose = rectify(dir, "--verbose", "info");
        assertEquals(0, quiet.exit());
        assertEquals(0, verbose.exit());
        assertFalse(quiet.err().contains("Rectify kernels:"), quiet.err());
        assertTrue(verbose.err().contains("Rectify kernels: simd path"), verbose.err());
    }

    @Test
    void unscaledInputsGetAHintAndStandardizationTravelsWithTheCheckpoint(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("240,4,small,large\n"); // scikit-learn's header line
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < 240; i++) {
            int y = r.nextInt(2);
            for (int j = 0; j < 4; j++) csv.append(String.format(Locale.ROOT, "%.2f,", 1000 + 600 * y + 250 * r.nextGaussian()));
            csv.append(y).append('\n');
        }
        Files.writeString(dir.resolve("big.csv"), csv);
        Result raw = rectify(dir, "train", "--data", "csv:big.csv", "--layers", "8", "--epochs", "3", "--out", "raw");
        assertEquals(0, raw.exit(), raw.err());
        assertTrue(raw.out().contains("hint: feature values reach ") && raw.out().contains("--standardize"), raw.out());
        Result std = rectify(dir, "train", "--data", "csv:big.csv", "--layers", "8", "--epochs", "3", "--standardize", "--out", "std");
        assertEquals(0, std.exit(), std.err());
        assertTrue(std.out().contains("; standardized") && !std.out().contains("hint: feature values"), std.out());
        Matcher m = Pattern.compile("epoch +3/3 .* test ([0-9.]+) ").matcher(std.out());
        assertTrue(m.find(), std.out());
        Result e = rectify(dir, "evaluate", "--checkpoint", "std/model.ckpt", "--data", "csv:big.csv", "--part", "test");
        assertEquals(0, e.exit(), e.err());
        Matcher a = Pattern.compile("accuracy ([0-9.]+)").matcher(e.out());
        assertTrue(a.find(), e.out());
        assertEquals(Double.parseDouble(m.group(1)), Double.parseDouble(a.group(1)), 0.0011,
                "evaluate standardizes with the checkpoint's statistics");
    }

    static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void badInputGivesOneLineOnStderrAndANonZeroExit(@TempDir Path dir) throws Exception {
        Object[][] cases = {
                {new String[] {"study", "--epochs", "0"}, 2, "rectify study: --epochs must be > 0"},
                {new String[] {"study", "--bogus"}, 2, "rectify study: Unknown option: '--bogus'"},
                {new String[] {"born-dead", "--inputs", "grid:1"}, 2, "rectify born-dead: --inputs must be"},
                {new String[] {"born-dead", "--depth", "5..2"}, 2, "rectify born-dead: --depth: empty range"},
                {new String[] {"train", "--batch", "fulll"}, 2, "rectify train: --batch must be a positive number of samples or full, was 'fulll'"},
                {new String[] {"train", "--batch", "0"}, 2, "rectify train: --batch must be > 0"},
                {new String[] {"train", "--task", "ranking"}, 2, "rectify train: --task must be classification or regression, was 'ranking'"},
                {new String[] {"train", "--task", "regression"}, 2, "rectify train: --task regression: --data digits has class labels"},
                {new String[] {"train", "--task", "classification", "--data", "sin"}, 2, "rectify train: --task classification: --data sin is a regression target"},
                {new String[] {"train", "--data", "abs:grid:1"}, 2, "rectify train: --data: abs:grid:1 must be abs, abs:grid:P"},
                {new String[] {"train", "--activation", "nope"}, 2, "rectify train: --activation: unknown activation 'nope'"},
                {new String[] {"train", "--data", "csv:missing.csv", "--epochs", "1"}, 2, "rectify train: --data: no such file: missing.csv"},
                {new String[] {"evaluate"}, 2, "rectify evaluate: Missing required option: '--checkpoint=<checkpoint>'"},
                {new String[] {"evaluate", "--checkpoint", "nothing.ckpt"}, 2, "rectify evaluate: --checkpoint: no such file: nothing.ckpt"},
                {new String[] {"bench", "--full", "--smoke"}, 2, "rectify bench: --full and --smoke exclude each other"},
                {new String[] {"bench", "--topics", "act,nope"}, 2, "rectify bench: --topics: unknown topic 'nope'; known: act, gemm, train"},
                {new String[] {"bench", "--shapes", "256x256"}, 2, "rectify bench: --shapes: MxKxN expected, was '256x256'"},
                // Run outside a source tree (the test's working folder has no target/benchmarks.jar).
                {new String[] {"bench", "--smoke"}, 1, "rectify bench: no ." + java.io.File.separator + "target"},
        };
        for (Object[] c : cases) {
            Result r = rectify(dir, (String[]) c[0]);
            String what = String.join(" ", (String[]) c[0]);
            assertEquals(c[1], r.exit(), what + "\n" + r.err());
            assertTrue(r.err().startsWith((String) c[2]), what + ": " + r.err());
            assertEquals(1, r.err().lines().count(), what + ": one line on stderr:\n" + r.err());
            if ((int) c[1] == 2) assertTrue(r.err().strip().endsWith(" --help)"), what + " points to --help: " + r.err());
            noStackTrace(r);
        }
        Files.write(dir.resolve("broken.ckpt"), "RECTIFY\nnot really".getBytes(StandardCharsets.US_ASCII));
        Result r = rectify(dir, "evaluate", "--checkpoint", "broken.ckpt");
        assertEquals(1, r.exit());
        assertTrue(r.err().toLowerCase(Locale.ROOT).contains("checkpoint"), r.err());
        noStackTrace(r);
    }

    @Test
    void everySubcommandHasHelp(@TempDir Path dir) throws Exception {
        for (String sub : List.of("info", "study", "train", "evaluate", "born-dead", "collapse", "sweep", "bench")) {
            Result r = rectify(dir, sub, "--help");
            assertEquals(0, r.exit(), sub);
            assertTrue(r.out().startsWith("Usage: rectify " + sub), r.out());
        }
        assertArrayEquals(new int[] {0}, new int[] {rectify(dir, "--version").exit()});
    }

    static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) n++;
        return n;
    }
}
