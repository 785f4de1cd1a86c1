package dev.rectify.bench.tools;

import dev.rectify.kernels.Kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Sets of {@link PairedRatio} cells, each in its own JVM (so that one cell's JIT profile and array placement do
 * not shape the next), with the table of their per-window-pair ratios: the paired measurements behind the reports,
 * and CI's guard against a fast path that silently fell back.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp target/benchmarks.jar dev.rectify.bench.tools.PairedSuite gemm OUT_DIR [PAIRS [JVMS]]
 * java --add-modules jdk.incubator.vector -cp target/benchmarks.jar dev.rectify.bench.tools.PairedSuite relu OUT_DIR [PAIRS]
 * java --add-modules jdk.incubator.vector -cp target/benchmarks.jar dev.rectify.bench.tools.PairedSuite guard GUARD.tsv [PAIRS]</pre>
 * <ul>
 *   <li>{@code gemm}: SGEMM and the fused dense layer against OpenBLAS (single thread) at the README's shapes,
 *       two-thread scaling of Rectify and of OpenBLAS, Rectify against EJML, and 1024^3 against the FMA peak loop
 *       (PeakBenchmark's chains, as many flops) in alternating windows: the fraction of peak at one moment. With
 *       JVMS above 1 every cell runs in that many JVMs of PAIRS pairs each (all cells once, then all again): the
 *       table pools their window pairs and lists each JVM's median, since one JVM's GEMM can run 10-25% slower for
 *       its whole life on these hosts (docs/design.md) and one JVM per cell cannot show it.</li>
 *   <li>{@code relu}: ReLU, Leaky ReLU, PReLU and RReLU forward against the auto-vectorized {@code Math.max} loop
 *       at four sizes, ReLU against {@code System.arraycopy} and its backward pass against a three-array stream;
 *       each comparison in both orders and with the arrays shifted by 0 and 5 floats, the table giving the
 *       geometric mean (which cell goes first moved L1-sized results by up to 18%).</li>
 *   <li>{@code guard}: the cells of a committed table (name, the host's float lanes, the committed ratio, the
 *       cell's PairedRatio arguments); fails (exit 1) when a cell's median ratio on a host with that lane count
 *       falls below half the committed one: a gross regression, such as the SIMD path silently running scalar.</li>
 * </ul>
 * Every cell's window series and summary go to OUT_DIR/NAME.txt; the table is printed and written to
 * OUT_DIR/summary.md.
 */
public final class PairedSuite {
    private PairedSuite() {
    }

    /** One PairedRatio run: a file name, JVM flags, PairedRatio's arguments. */
    record Cell(String name, List<String> flags, List<String> args) {
        /** The same cell's run in JVM number {@code jvm} (from 1) of several, in a file of its own. */
        Cell inJvm(int jvm) {
            return new Cell(name + "-jvm" + jvm, flags, args);
        }
    }

    public static void main(String[] a) throws Exception {
        if (a.length < 2) throw new IllegalArgumentException("usage: PairedSuite gemm OUT_DIR [PAIRS [JVMS]] | relu OUT_DIR [PAIRS] | bench OUT_DIR PAIRS [--peers] | guard GUARD.tsv [PAIRS]");
        if (Kernels.selection().vectorBits() == 0) {
            // The cells always run with the module; this JVM needs it too, for the host line and the guard's rows.
            throw new IllegalStateException("start PairedSuite with --add-modules jdk.incubator.vector");
        }
        int pairs = a.length > 2 ? Integer.parseInt(a[2]) : a[0].equals("guard") ? 20 : a[0].equals("relu") ? 40 : 200;
        switch (a[0]) {
            case "gemm": gemm(Path.of(a[1]), pairs, a.length > 3 ? jvms(a[3]) : 1); break;
            case "bench": bench(Path.of(a[1]), pairs, a.length > 3 && a[3].equals("--peers")); break;
            case "relu": relu(Path.of(a[1]), pairs); break;
            case "guard": System.exit(guard(Path.of(a[1]), pairs) ? 0 : 1); break;
            default: throw new IllegalArgumentException("suite must be gemm, relu or guard, was " + a[0]);
        }
    }

    private static int jvms(String arg) {
        int n;
        try {
            n = Integer.parseInt(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("JVMS must be a whole number, was " + arg);
        }
        if (n < 1) throw new IllegalArgumentException("JVMS must be at least 1, was " + n);
        return n;
    }

    static void gemm(Path out, int pairs, int jvms) throws Exception {
        Files.createDirectories(out);
        List<Cell> cells = new ArrayList<>();
        String p = Integer.toString(pairs);
        for (String s : List.of("64x64x64", "256x256x256", "1024x1024x1024", "256x784x256", "784x256x256_tn", "256x256x784_nt",
                "256x256x10", "256x10x256_nt", "256x256x10_tn")) {
            cells.add(new Cell("gemm-" + s, List.of(), List.of("gemm", s, "simd", "openblas", p)));
        }
        for (String s : List.of("256x256x256", "256x784x256", "256x256x10")) {
            cells.add(new Cell("fused-" + s, List.of(), List.of("fused", s, "fused", "openblas", p)));
        }
        cells.add(new Cell("threads2-1024", List.of(), List.of("gemm", "1024x1024x1024", "simd:2", "simd:1", p)));
        cells.add(new Cell("threads2-openblas-1024", List.of(), List.of("gemm", "1024x1024x1024", "openblas:2", "openblas:1", p)));
        cells.add(new Cell("ejml-1024", List.of(), List.of("gemm", "1024x1024x1024", "simd", "ejml", "30")));
        cells.add(new Cell("peak-1024", List.of(), List.of("gemm", "1024x1024x1024", "simd", "peak", p)));
        // All cells once, then all again: a slow stretch of the machine falls on one JVM of several cells, not on
        // every JVM of one.
        List<List<double[][]>> series = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) series.add(new ArrayList<>());
        for (int jvm = 1; jvm <= jvms; jvm++) {
            for (int i = 0; i < cells.size(); i++) series.get(i).add(run(jvms == 1 ? cells.get(i) : cells.get(i).inJvm(jvm), out));
        }
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "| cell | B/A median | quartiles | best B / best A | (A, B) |%s%n"
                + "|---|---:|---:|---:|---|%s%n", jvms > 1 ? " each JVM's median |" : "", jvms > 1 ? "---|" : ""));
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            double[][] w = series.get(i).stream().flatMap(Arrays::stream).toArray(double[][]::new);
            double[] q = quartiles(w);
            String who = c.name().startsWith("threads2-openblas") ? "OpenBLAS 2 threads, 1" : c.name().startsWith("threads2")
                    ? "2 threads, 1 thread" : c.name().startsWith("ejml") ? "Rectify, EJML" : c.name().startsWith("peak")
                    ? "Rectify, FMA peak loop of as many flops: B/A is the fraction of peak" : c.name().startsWith("fused")
                    ? "fused, OpenBLAS + pass" : "Rectify, OpenBLAS";
            StringBuilder each = new StringBuilder();
            for (double[][] one : series.get(i)) each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", quartiles(one)[0]));
            t.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f-%.3f | %.3f | %s |%s%n", c.name(), q[0], q[1], q[2], best(w), who,
                    jvms > 1 ? " " + each + " |" : ""));
        }
        finish(out, "SGEMM and the fused layer, paired windows (" + pairs + " pairs" + (jvms > 1 ? " in each of " + jvms
                + " JVMs per cell, pooled" : "") + "; above 1: A faster)", t);
    }

    /**
     * The ratios {@code ./rectify bench --paired} adds to its report: the selected kernels against the scalar path and
     * the plain loops users write, and with {@code peers} SGEMM and the fused layer against OpenBLAS and the mnist
     * training epoch against PyTorch (libtorch 2.7.1 through JavaCPP, and 2.4.0 through DJL), one thread each.
     */
    static void bench(Path out, int pairs, boolean peers) throws Exception {
        Files.createDirectories(out);
        String p = Integer.toString(pairs);
        List<Cell> cells = new ArrayList<>(List.of(
                new Cell("relu-256k-vs-Math.max-loop", List.of(), List.of("act", "262144", "relu:forward:auto", "relu:forward:loopMax", p)),
                new Cell("sigmoid-256k-vs-plain-loop", List.of(), List.of("act", "262144", "sigmoid:forward:auto", "sigmoid:forward:loop", p)),
                new Cell("gemm-256-vs-scalar-path", List.of(), List.of("gemm", "256x256x256", "auto", "scalar", p))));
        if (peers) {
            for (String s : List.of("256x256x256", "1024x1024x1024", "256x784x256")) {
                cells.add(new Cell("gemm-" + s + "-vs-openblas", List.of(), List.of("gemm", s, "simd", "openblas", p)));
            }
            cells.add(new Cell("fused-256x784x256-vs-openblas", List.of(), List.of("fused", "256x784x256", "fused", "openblas", p)));
            cells.add(new Cell("train-mnist-vs-pytorch", List.of(), List.of("train", "mnist", "simd:1", "pytorch:1", p)));
            cells.add(new Cell("train-mnist-vs-djl", List.of(), List.of("train", "mnist", "simd:1", "djl:1", p)));
        }
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "| cell | their time / ours, median | quartiles | best / best |%n|---|---:|---:|---:|%n"));
        for (Cell c : cells) {
            double[][] w = run(c, out);
            double[] q = quartiles(w);
            t.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f-%.3f | %.3f |%n", c.name(), q[0], q[1], q[2], best(w)));
        }
        finish(out, "Paired-window ratios (" + pairs + " window pairs of ~30 ms in one JVM per cell; above 1: Rectify faster)", t);
    }

    static void relu(Path out, int pairs) throws Exception {
        Files.createDirectories(out);
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "| ours vs reference, size | pad 0 | pad 5 | mean | order: ours first / ref first |%n"
                + "|---|---:|---:|---:|---|%n"));
        List<String[]> comparisons = new ArrayList<>();
        for (String size : List.of("4096", "262144", "4194304", "33554432")) {
            for (String op : List.of("relu", "leakyRelu", "prelu", "rrelu")) {
                comparisons.add(new String[] {size + "-" + op + "-vs-loopMax", size, op + ":forward:simd", "relu:forward:loopMax"});
            }
        }
        comparisons.add(new String[] {"33554432-relu-vs-copy", "33554432", "relu:forward:simd", "copy:copy"});
        comparisons.add(new String[] {"33554432-reluBackward-vs-stream3", "33554432", "relu:backward:simd", "copy:stream3"});
        for (String[] c : comparisons) {
            double[] perPad = new double[2];
            StringBuilder orders = new StringBuilder();
            for (int k = 0; k < 2; k++) {
                int pad = k * 5;
                List<String> flags = List.of("-Xmx3g", "-Dpad=" + pad);
                double ours = quartiles(run(new Cell(c[0] + "-pad" + pad + "-oursA", flags, List.of("act", c[1], c[2], c[3], "" + pairs)), out))[0];
                double refFirst = 1 / quartiles(run(new Cell(c[0] + "-pad" + pad + "-refA", flags, List.of("act", c[1], c[3], c[2], "" + pairs)), out))[0];
                perPad[k] = Math.sqrt(ours * refFirst);
                orders.append(String.format(Locale.ROOT, "%s%.3f/%.3f", k == 0 ? "" : " ", ours, refFirst));
            }
            t.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %s |%n", c[0], perPad[0], perPad[1],
                    Math.sqrt(perPad[0] * perPad[1]), orders));
        }
        finish(out, "ReLU family against its references, paired windows (" + pairs + " pairs; ref time / our time, above 1: ours faster)", t);
    }

    /**
     * Runs the guard table's cells for this host's float lane count; true when every one holds at least half its
     * committed ratio (and when the table has no row for this lane count: nothing to compare with).
     */
    static boolean guard(Path table, int pairs) throws Exception {
        int lanes = Kernels.selection().vectorBits() / 32;
        Path out = Files.createTempDirectory("rectify-guard");
        boolean ok = true;
        int checked = 0;
        for (String line : Files.readAllLines(table)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            if (f.length != 4) throw new IOException(table + ": expected name, lanes, ratio, arguments separated by tabs: " + line);
            if (Integer.parseInt(f[1]) != lanes) continue;
            double committed = Double.parseDouble(f[2]);
            List<String> args = new ArrayList<>(Arrays.asList(f[3].trim().split(" +")));
            args.add(Integer.toString(pairs));
            double median = quartiles(run(new Cell(f[0], List.of(), args), out))[0];
            boolean holds = median >= committed / 2;
            ok &= holds;
            checked++;
            System.out.printf(Locale.ROOT, "speed guard %-28s %7.2fx (committed %.2fx at %d lanes, fails below %.2fx) %s%n", f[0], median,
                    committed, lanes, committed / 2, holds ? "ok" : "FAILED: the fast path lost more than half its speed");
        }
        if (checked == 0) System.out.println("speed guard: no committed ratios for " + lanes + " float lanes in " + table + "; nothing checked");
        return ok;
    }

    /** Runs one cell in its own JVM (this JVM's binary and class path); returns its window pairs, A and B times. */
    static double[][] run(Cell c, Path out) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        // A vector-width limit given to this JVM (-XX:UseAVX=2, -XX:MaxVectorSize=32) holds for the cells too.
        for (String f : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (f.startsWith("-XX:UseAVX") || f.startsWith("-XX:MaxVectorSize")) cmd.add(f);
        }
        cmd.addAll(c.flags());
        cmd.addAll(List.of("-Dseries=true", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                PairedRatio.class.getName()));
        cmd.addAll(c.args());
        Path file = out.resolve(c.name() + ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(file.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) throw new IOException(c.name() + ": PairedRatio exited with " + p.exitValue() + "; see " + file);
        List<double[]> w = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.trim().split(" ");
            if (f.length == 2 && Character.isDigit(f[0].charAt(0))) w.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])});
        }
        if (w.isEmpty()) throw new IOException(c.name() + ": no window pairs in " + file);
        return w.toArray(new double[0][]);
    }

    /** Median, lower and upper quartile of B time / A time over the window pairs. */
    static double[] quartiles(double[][] w) {
        double[] r = new double[w.length];
        for (int i = 0; i < w.length; i++) r[i] = w[i][1] / w[i][0];
        Arrays.sort(r);
        return new double[] {r[r.length / 2], r[r.length / 4], r[3 * r.length / 4]};
    }

    /** B's best window over A's best window (noise only ever adds time). */
    static double best(double[][] w) {
        double a = Double.MAX_VALUE, b = Double.MAX_VALUE;
        for (double[] p : w) {
            a = Math.min(a, p[0]);
            b = Math.min(b, p[1]);
        }
        return b / a;
    }

    private static void finish(Path out, String title, StringBuilder table) throws IOException {
        String md = "# " + title + "\n\n" + HostLine.markdown() + "\n\n" + table;
        Files.writeString(out.resolve("summary.md"), md);
        System.out.print(md);
    }
}
