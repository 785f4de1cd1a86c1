package dev.rectify.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code rectify bench}: the JMH suite of what users compare — the activation kernels, SGEMM and the fused dense
 * layer (with {@code --peers} against OpenBLAS and EJML), a training epoch against the plain-Java MLP (with
 * {@code --peers} against PyTorch too) — then one Markdown report and its HTML version with bar charts, headed by
 * the host. The benchmarks JAR is built by the
 * launcher ({@code ./rectify bench} runs {@code mvn -Pjmh package} when it is missing or stale), so this needs the
 * source tree.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the benchmarks (JMH) and write report.md and report.html with bar charts.",
                "A quick profile by default (5 kernels at 2 sizes, SGEMM at 3 shapes, the fused layer, a training epoch; under "
                        + "10 minutes on 2 cores); --full runs every kernel at 4 sizes (hours).",
                "Example: rectify bench --topics gemm,train --peers --out bench"})
final class BenchCommand implements Callable<Integer> {
    static final String QUICK_OPS = "relu,leakyRelu,elu,sigmoid,geluTanh", QUICK_SIZES = "4096,262144";
    static final List<String> TOPICS = List.of("act", "gemm", "train");

    /** The largest array size the benchmarks take: four float arrays of this size fit in a default heap. */
    static final int MAX_SIZE = 1 << 27;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    Main parent;

    /** Each op must be a kernel the suite benchmarks: an activation's API name, softmax or logSoftmax. */
    static void checkOps(String list) {
        java.util.Set<String> known = new java.util.LinkedHashSet<>();
        for (dev.rectify.kernels.Algorithm a : dev.rectify.kernels.Algorithm.values()) known.add(a.apiName());
        known.add("softmax");
        known.add("logSoftmax");
        List<String> given = Specs.list(list);
        if (given.isEmpty()) throw new IllegalArgumentException("--ops: no kernel named");
        for (String op : given) {
            if (!known.contains(op)) throw new IllegalArgumentException("--ops: unknown kernel '" + op + "'; known: " + String.join(", ", known));
        }
    }

    @Option(names = "--full", description = "Every kernel at 4K, 256K, 4M and 32M elements, JMH's default iterations.")
    boolean full;
    @Option(names = "--smoke", description = "One 0.1 s iteration per point: checks the pipeline, the numbers mean nothing.")
    boolean smoke;
    @Option(names = "--ops", description = "Kernels, by API name. Default: " + QUICK_OPS + " (quick), all (full).")
    String ops;
    @Option(names = "--sizes", description = "Array sizes. Default: " + QUICK_SIZES + " (quick).")
    String sizes;
    @Option(names = "--out", description = "Output folder. Default: ${DEFAULT-VALUE}.", defaultValue = "bench-report")
    Path out;
    @Option(names = "--topics", description = "act (activation kernels), gemm (SGEMM, the fused layer, the FMA peak), train "
            + "(an epoch against the plain-Java MLP). Default: ${DEFAULT-VALUE}.", defaultValue = "act,gemm,train")
    String topics;
    @Option(names = "--peers", description = "Also OpenBLAS (on its own CPU detection: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE "
            + "are unset for the run; the report names the kernel it chose) and EJML in the gemm topic, PyTorch (2.7.1 through "
            + "JavaCPP, on that OpenBLAS) in the train topic.")
    boolean peers;
    @Option(names = "--paired", description = "Also measure the headline ratios in alternating windows of one JVM (PairedSuite "
            + "bench, 40 window pairs each; about a minute, two more with --peers): the figures that hold on a noisy machine.")
    boolean paired;
    @Option(names = "--shapes", description = "SGEMM shapes MxKxN. Default: 256x256x256,1024x1024x1024,256x784x256.")
    String shapes;

    @Override
    public Integer call() throws Exception {
        if (full && smoke) throw new CommandLine.ParameterException(spec.commandLine(), "--full and --smoke exclude each other");
        try {
            OptionChecks.writableFolder("--out", out);
            if (ops != null) checkOps(ops);
            for (String t : Specs.list(topics)) {
                if (!TOPICS.contains(t)) throw new IllegalArgumentException("--topics: unknown topic '" + t + "'; known: " + String.join(", ", TOPICS));
            }
            if (Specs.list(topics).isEmpty()) throw new IllegalArgumentException("--topics: no topic named");
            if (shapes != null) {
                for (String sh : Specs.list(shapes)) {
                    if (!sh.matches("\\d+x\\d+x\\d+(_[nt][nt])?")) throw new IllegalArgumentException("--shapes: MxKxN expected, was '" + sh + "'");
                }
            }
            if (sizes != null) {
                for (int n : Specs.ints("--sizes", sizes, 1)) {
                    if (n > MAX_SIZE) throw new IllegalArgumentException("--sizes: at most " + MAX_SIZE + " elements (the benchmark holds four arrays), was " + n);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path home = Path.of(System.getProperty("rectify.home", "."));
        Path jar = home.resolve("target/benchmarks.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": run ./rectify bench from the Rectify source tree (it builds the "
                    + "benchmarks with mvn -Pjmh package), or build them yourself");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> suite = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-cp", jar.toString(),
                "dev.rectify.bench.tools.BenchSuite", "--out", out.resolve("raw").toString()));
        if (!full) suite.add(smoke ? "--smoke" : "--quick");
        suite.addAll(List.of("--topics", String.join(",", Specs.list(topics))));
        if (peers) suite.add("--peers");
        if (shapes != null) suite.addAll(List.of("--shapes", String.join(",", Specs.list(shapes))));
        if (ops != null || !full) suite.addAll(List.of("--ops", ops != null ? ops : QUICK_OPS));
        if (sizes != null || !full) suite.addAll(List.of("--sizes", sizes != null ? sizes : QUICK_SIZES));
        boolean verbose = parent != null && parent.verbose;
        System.out.println("bench: " + String.join(" ", suite.subList(5, suite.size())));
        if (smoke) {
            System.out.println("bench: a smoke run (one 0.1 s iteration per point) checks that the benchmarks build and run; "
                    + "its numbers mean nothing");
        }
        Path raw = out.resolve("raw");
        Files.createDirectories(raw);
        Path log = raw.resolve("jmh.log");
        ProcessBuilder pb = new ProcessBuilder(suite);
        if (peers) {
            // OpenBLAS on its own CPU detection; OPENBLAS_VERBOSE=2 makes it print the kernel it chose into the log.
            pb.environment().remove("OPENBLAS_CORETYPE");
            pb.environment().remove("OPENBLAS_L2_SIZE");
            pb.environment().put("OPENBLAS_VERBOSE", "2");
        }
        if (verbose) {
            pb.inheritIO();
        } else {
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            System.out.println("bench: JMH's output goes to " + log + " (--verbose shows it here)");
        }
        Process p = pb.start();
        if (!verbose) JmhProgress.follow(p, log);
        int code = p.waitFor();
        if (code != 0) {
            if (!verbose) JmhProgress.printTail(log, 20);
            throw new IllegalStateException("the benchmark suite failed (exit " + code + ")" + (verbose ? "" : "; its output: " + log));
        }
        if (paired) {
            List<String> pairedCmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-cp", jar.toString(),
                    "dev.rectify.bench.tools.PairedSuite", "bench", out.resolve("paired").toString(), smoke ? "4" : "40"));
            if (peers) pairedCmd.add("--peers");
            System.out.println("bench: paired-window ratios (PairedSuite bench) ...");
            ProcessBuilder ppb = new ProcessBuilder(pairedCmd).redirectErrorStream(true).redirectOutput(raw.resolve("paired.log").toFile());
            if (peers) {
                ppb.environment().remove("OPENBLAS_CORETYPE");
                ppb.environment().remove("OPENBLAS_L2_SIZE");
            }
            int pc = ppb.start().waitFor();
            if (pc != 0) throw new IllegalStateException("the paired measurements failed (exit " + pc + "); see " + raw.resolve("paired.log"));
        }
        List<String> reportCmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-cp", jar.toString(),
                "dev.rectify.bench.tools.BenchPage"));
        if (smoke) reportCmd.add("--smoke");
        if (paired) reportCmd.addAll(List.of("--paired", out.resolve("paired").toString()));
        reportCmd.addAll(List.of(out.resolve("report.md").toString(), "--jmh-log", log.toString(), raw.toString()));
        ProcessBuilder rb = new ProcessBuilder(reportCmd).inheritIO();
        if (peers) {
            rb.environment().remove("OPENBLAS_CORETYPE"); // the report states the environment the suite ran in
            rb.environment().remove("OPENBLAS_L2_SIZE");
        }
        int report = rb.start().waitFor();
        if (report != 0) throw new IllegalStateException("the report tool failed (exit " + report + ")");
        if (smoke) {
            System.out.println("report (smoke run, not measurements): " + out.resolve("report.md") + " and " + out.resolve("report.html"));
            return 0;
        }
        System.out.println("report: " + out.resolve("report.md") + " and " + out.resolve("report.html"));
        return 0;
    }
}
