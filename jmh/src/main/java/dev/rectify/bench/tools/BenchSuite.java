package dev.rectify.bench.tools;

import dev.rectify.bench.kernels.ActivationBenchmark;
import dev.rectify.bench.kernels.CopyBenchmark;
import dev.rectify.bench.kernels.FusedLayerBenchmark;
import dev.rectify.bench.kernels.GemmBenchmark;
import dev.rectify.bench.kernels.PeakBenchmark;
import dev.rectify.bench.nn.TrainingBenchmark;

import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs what users compare, one JMH run per part, each writing its JSON into an output folder that {@link BenchPage}
 * (or {@link BenchReport} and {@link GemmReport} alone) turns into a report: the valid combinations of
 * {@link ActivationBenchmark} (and {@link CopyBenchmark}) per activation ({@code act}); SGEMM against the scalar path and
 * the plain loop, the fused dense layer and the FMA peak ({@code gemm}; with {@code --peers} also EJML and OpenBLAS);
 * a training epoch against the plain-Java MLP ({@code train}; with {@code --peers} also PyTorch through JavaCPP and
 * through DJL).
 *
 * <pre>
 * java -cp target/benchmarks.jar dev.rectify.bench.tools.BenchSuite [--out DIR] [--topics act,gemm,train] [--peers]
 *      [--ops relu,elu] [--sizes 262144] [--shapes 256x256x256,1024x1024x1024]
 *      [--quick]   (2 warm-up and 3 measured iterations of 0.5 s instead of 3 and 5 of 1 s)
 *      [--smoke]   (no warm-up, one 0.1 s iteration: proves the pipeline runs; the numbers mean nothing)
 * </pre>
 */
public final class BenchSuite {
    static final List<String> FROM_OUTPUT = List.of("relu", "leakyRelu", "rrelu", "elu", "sigmoid", "tanh", "softmax", "logSoftmax");

    public static void main(String[] args) throws RunnerException, java.io.IOException {
        Path out = Path.of("target/bench-raw"); // raw JSON stays out of the tracked results tree
        List<String> ops = List.of("relu", "leakyRelu", "prelu", "rrelu", "elu", "selu", "celu", "geluErf", "geluTanh",
                "silu", "mish", "softplus", "sigmoid", "tanh", "hardTanh", "relu6", "hardSigmoid", "hardSwish",
                "softmax", "logSoftmax");
        String[] sizes = {"4096", "262144", "4194304", "33554432"};
        boolean quick = false, smoke = false, peers = false;
        List<String> topics = List.of("act");
        String[] shapes = {"256x256x256", "1024x1024x1024", "256x784x256"};
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out": out = Path.of(args[++i]); break;
                case "--ops": ops = Arrays.asList(args[++i].split(",")); break;
                case "--sizes": sizes = args[++i].split(","); break;
                case "--quick": quick = true; break;
                case "--smoke": smoke = true; break;
                case "--peers": peers = true; break;
                case "--topics": topics = Arrays.asList(args[++i].split(",")); break;
                case "--shapes": shapes = args[++i].split(","); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --out DIR, --topics act,gemm,train, --peers, --ops a,b, --sizes n,m, --shapes MxKxN,..., --quick, --smoke");
            }
        }
        for (String t : topics) {
            if (!List.of("act", "gemm", "train").contains(t)) throw new IllegalArgumentException("--topics: act, gemm or train, was " + t);
        }
        Files.createDirectories(out);
        if (topics.contains("gemm")) {
            List<String> impls = new ArrayList<>(List.of("simd", "scalar", "loop"));
            if (peers) impls.addAll(List.of("ejml", "openblas"));
            run(options(quick, smoke, out.resolve("peak.json")).include(PeakBenchmark.class.getName() + "\\."));
            run(options(quick, smoke, out.resolve("gemm.json")).include(GemmBenchmark.class.getName() + "\\.")
                    .param("impl", impls.toArray(new String[0])).param("shape", shapes).param("threads", "1"));
            run(options(quick, smoke, out.resolve("fused.json")).include(FusedLayerBenchmark.class.getName() + "\\.")
                    .param("impl", peers ? new String[] {"fused", "openblas"} : new String[] {"fused"})
                    .param("shape", "256x784x256", "256x256x10"));
        }
        if (topics.contains("train")) {
            run(options(quick, smoke, out.resolve("train.json")).include(TrainingBenchmark.class.getName() + "\\.")
                    .param("data", "digits", "mnist")
                    .param("impl", peers ? new String[] {"simd", "plain", "pytorch", "djl"} : new String[] {"simd", "plain"}));
        }
        if (!topics.contains("act")) return;
        run(options(quick, smoke, out.resolve("copy.json")).include(CopyBenchmark.class.getName() + "\\.").param("size", sizes));
        for (String op : ops) {
            List<String> passes = new ArrayList<>(List.of("forward", "backward"));
            if (FROM_OUTPUT.contains(op)) passes.add("backwardFromOutput");
            run(options(quick, smoke, out.resolve(op + ".json")).include(ActivationBenchmark.class.getName() + "\\.")
                    .param("op", op).param("pass", passes.toArray(new String[0]))
                    .param("impl", "simd", "scalar", "loop").param("size", sizes));
            if (op.equals("relu")) {
                run(options(quick, smoke, out.resolve("relu-loopMax.json")).include(ActivationBenchmark.class.getName() + "\\.")
                        .param("op", "relu").param("pass", "forward").param("impl", "loopMax").param("size", sizes));
            }
        }
    }

    static ChainedOptionsBuilder options(boolean quick, boolean smoke, Path result) {
        ChainedOptionsBuilder b = new OptionsBuilder().resultFormat(ResultFormatType.JSON).result(result.toString())
                .shouldFailOnError(true);
        if (smoke) {
            b.warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(100));
        } else if (quick) {
            b.warmupIterations(2).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
        }
        return b;
    }

    static void run(ChainedOptionsBuilder options) throws RunnerException {
        new Runner(options.build()).run();
    }
}
