package dev.rectify.bench.kernels;

import dev.rectify.bench.baselines.PlainLoops;
import dev.rectify.bench.tools.BenchSuite;

import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Algorithm;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.Kernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Every activation, forward and backward, through Rectify's SIMD path, its scalar path and the plain
 * loop a user would write. The parameter names and values are a stable interface: reports and users'
 * scripts select by them. Not every combination exists (a backward from the output only for relu,
 * leakyRelu, rrelu, elu, sigmoid, tanh; {@code loopMax} only for relu forward); the others fail in setup
 * and {@link BenchSuite} never asks for them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
public class ActivationBenchmark {
    /** The API's function names, plus prelu, softmax and logSoftmax. */
    @Param({"relu", "leakyRelu", "prelu", "rrelu", "elu", "selu", "celu", "geluErf", "geluTanh", "silu", "mish",
            "softplus", "sigmoid", "tanh", "hardTanh", "relu6", "hardSigmoid", "hardSwish", "softmax", "logSoftmax"})
    public String op;

    /**
     * Also accepted through {@code -p pass=backwardFromOutput}, for the ops that have it (relu, leakyRelu, elu,
     * sigmoid, tanh, softmax, ...): kept out of the default list so that every default combination runs.
     */
    @Param({"forward", "backward"})
    public String pass;

    /**
     * Also accepted through {@code -p impl=...}, outside the default list: {@code auto} (the kernels
     * {@code Kernels.activations()} selects, as a user gets them), {@code loopMax} (the {@code Math.max}
     * loop, ReLU forward only), {@code simd128} (the SIMD kernels
     * built for 4 lanes, to show how a compute-bound kernel scales with the lane count) and {@code lanewise}
     * (a Vector API loop on {@code lanewise(EXP/EXPM1/TANH)}, sigmoid, silu, elu and tanh forward only).
     */
    @Param({"simd", "scalar", "loop"})
    public String impl;

    @Param({"4096", "262144", "4194304", "33554432"})
    public int size;

    /** Softmax rows are this long (a large classifier's logits). */
    static final int SOFTMAX_COLS = 1024;
    /** PReLU channels, the width of a hidden layer. */
    public static final int PRELU_CHANNELS = 256;

    /**
     * Not a JMH parameter: PairedRatio's {@code act SIZE+extremes} sets it. One input in 1,024 is then +-200, where
     * exp leaves its fast range, as real pre-activations sometimes do: the SIMD code must not slow down for good
     * once such an input has been seen (docs/design.md).
     */
    public boolean extremes;

    public float[] x, y, dy, dx, slope, dSlope, shift;
    public ActivationKernels kernels;
    Eltwise eltwise;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom r = new SplittableRandom(42);
        x = new float[size];
        dy = new float[size];
        y = new float[size];
        dx = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (r.nextDouble() * 8 - 4); // both signs, the transcendental functions' busy range
            dy[i] = (float) (r.nextDouble() * 2 - 1);
        }
        if (extremes) placeExtremes(x);
        prepare();
    }

    /** One input in 1,024 set to +200 or -200 (alternating): inputs beyond exp's fast range. */
    public static void placeExtremes(float[] x) {
        for (int i = 0; i < x.length; i += 1024) x[i] = (i & 1024) == 0 ? 200f : -200f;
    }

    /** Sets up on the arrays of {@code other} (same size and inputs), for cells compared in one JVM. */
    public void share(ActivationBenchmark other) {
        if (other.size != size) throw new IllegalArgumentException("size " + other.size + " != " + size);
        x = other.x;
        dy = other.dy;
        y = other.y;
        dx = other.dx;
        prepare();
    }

    private void prepare() {
        // -DslopeShift=N allocates N floats first, moving the slope array against x and y: PReLU's time
        // depends on where it sits (relu-family-2026-11-23-paired.md).
        shift = new float[Integer.getInteger("slopeShift", 0)];
        slope = new float[PRELU_CHANNELS];
        dSlope = new float[PRELU_CHANNELS];
        java.util.Arrays.fill(slope, 0.25f);
        boolean softmax = op.endsWith("oftmax");
        if (!softmax && !op.equals("prelu")) {
            eltwise = Eltwise.defaults(Algorithm.fromApiName(op));
        }
        if (pass.equals("backwardFromOutput") && !(softmax || (eltwise != null && eltwise.algorithm().hasBackwardFromOutput()))) {
            throw new IllegalArgumentException(op + " has no backward pass from its output");
        }
        if (impl.equals("loopMax") && !(op.equals("relu") && pass.equals("forward"))) {
            throw new IllegalArgumentException("loopMax is the Math.max ReLU forward loop only");
        }
        if (impl.equals("lanewise") && !(pass.equals("forward") && List.of("sigmoid", "silu", "elu", "tanh").contains(op))) {
            throw new IllegalArgumentException("lanewise is the sigmoid, silu, elu and tanh forward loop only");
        }
        switch (impl) {
            case "simd": kernels = Kernels.simd(); break;
            case "auto": kernels = Kernels.activations(); break;
            case "simd128": kernels = Kernels.simd(128); break;
            case "scalar": kernels = Kernels.scalar(); break;
            default: kernels = null;
        }
        // outputs for the backward passes from the output
        if (kernels != null) {
            forwardOnce();
        } else {
            PlainLoops.forward(op.endsWith("oftmax") ? "relu" : op, x, y, size);
            if (softmax) PlainLoops.softmax(op.equals("logSoftmax"), x, y, size / SOFTMAX_COLS, SOFTMAX_COLS);
        }
    }

    private void forwardOnce() {
        switch (op) {
            case "prelu": kernels.preluForward(x, 0, slope, 0, PRELU_CHANNELS, y, 0, size); break;
            case "softmax": kernels.softmax(x, 0, y, 0, size / SOFTMAX_COLS, SOFTMAX_COLS); break;
            case "logSoftmax": kernels.logSoftmax(x, 0, y, 0, size / SOFTMAX_COLS, SOFTMAX_COLS); break;
            default: kernels.forward(eltwise, x, 0, y, 0, size);
        }
    }

    @Benchmark
    public float[] run() {
        if (kernels == null) {
            runPlain();
            return pass.equals("forward") ? y : dx;
        }
        switch (pass) {
            case "forward":
                forwardOnce();
                return y;
            case "backward":
                switch (op) {
                    case "prelu":
                        kernels.preluBackward(x, 0, slope, 0, PRELU_CHANNELS, dy, 0, dx, 0, dSlope, 0, size);
                        break;
                    case "softmax": kernels.softmaxBackward(y, 0, dy, 0, dx, 0, size / SOFTMAX_COLS, SOFTMAX_COLS); break;
                    case "logSoftmax": kernels.logSoftmaxBackward(y, 0, dy, 0, dx, 0, size / SOFTMAX_COLS, SOFTMAX_COLS); break;
                    default: kernels.backward(eltwise, x, 0, dy, 0, dx, 0, size);
                }
                return dx;
            default:
                switch (op) {
                    case "softmax": kernels.softmaxBackward(y, 0, dy, 0, dx, 0, size / SOFTMAX_COLS, SOFTMAX_COLS); break;
                    case "logSoftmax": kernels.logSoftmaxBackward(y, 0, dy, 0, dx, 0, size / SOFTMAX_COLS, SOFTMAX_COLS); break;
                    default: kernels.backwardFromOutput(eltwise, y, 0, dy, 0, dx, 0, size);
                }
                return dx;
        }
    }

    public void runPlain() {
        boolean softmax = op.endsWith("oftmax");
        switch (pass) {
            case "forward":
                if (impl.equals("loopMax")) PlainLoops.reluMax(x, y, size);
                else if (impl.equals("lanewise")) LanewiseLoops.forward(op, x, y, size);
                else if (softmax) PlainLoops.softmax(op.equals("logSoftmax"), x, y, size / SOFTMAX_COLS, SOFTMAX_COLS);
                else PlainLoops.forward(op, x, y, size);
                break;
            case "backward":
                if (softmax) PlainLoops.softmaxBackward(op.equals("logSoftmax"), y, dy, dx, size / SOFTMAX_COLS, SOFTMAX_COLS);
                else PlainLoops.backward(op, x, dy, dx, size);
                break;
            default:
                if (softmax) PlainLoops.softmaxBackward(op.equals("logSoftmax"), y, dy, dx, size / SOFTMAX_COLS, SOFTMAX_COLS);
                else PlainLoops.backwardFromOutput(op, y, dy, dx, size);
        }
    }
}
