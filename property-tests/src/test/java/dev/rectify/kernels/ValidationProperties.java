package dev.rectify.kernels;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static dev.rectify.kernels.KernelFixtures.check;
import static dev.rectify.kernels.KernelFixtures.qt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bad call throws an exception that names the offending argument, and leaves every output array
 * exactly as it was.
 */
class ValidationProperties {
    /** One way to get a call wrong, and the argument name its message must carry. */
    record Fault(String argument, Consumer<Call> breakIt) {}

    /** A call's arguments, broken by one Fault before the call. */
    static final class Call {
        float[] src, dst, diffDst, diffSrc, slope, diffSlope;
        int srcOff, dstOff, diffDstOff, diffSrcOff, n, channels, rows, cols;

        Call(int n) {
            this.n = n;
            src = ramp(n + 4); dst = ramp(n + 4); diffDst = ramp(n + 4); diffSrc = ramp(n + 4);
            slope = ramp(4); diffSlope = ramp(4);
            channels = 1; rows = 1; cols = n;
        }
    }

    static float[] ramp(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = i * 0.25f - 1f;
        return a;
    }

    static final List<Fault> FAULTS = List.of(
            new Fault("src", c -> c.src = null),
            new Fault("dst", c -> c.dst = null),
            new Fault("n", c -> c.n = -1),
            new Fault("src offset", c -> c.srcOff = -2),
            new Fault("src", c -> c.srcOff = c.src.length - c.n + 1),
            new Fault("dst", c -> c.dstOff = c.dst.length),
            new Fault("dst", c -> { c.n = Math.max(c.n, 2); c.dst = c.src; c.dstOff = c.srcOff + 1; }));

    static final List<Fault> BACKWARD_FAULTS = List.of(
            new Fault("diffDst", c -> c.diffDst = null),
            new Fault("diffSrc", c -> c.diffSrc = null),
            new Fault("diffDst", c -> c.diffDstOff = c.diffDst.length - 1),
            new Fault("diffSrc", c -> c.diffSrcOff = -1),
            new Fault("diffSrc", c -> { c.n = Math.max(c.n, 3); c.diffSrc = c.diffDst; c.diffSrcOff = c.diffDstOff + 2; }));

    static final List<Fault> PRELU_FAULTS = List.of(
            new Fault("channels", c -> c.channels = 0),
            new Fault("slope", c -> c.slope = null),
            new Fault("channels", c -> c.channels = 3),   // n is not a multiple (n = 7 below)
            new Fault("diffSlope", c -> c.diffSlope = null),
            new Fault("diffSlope", c -> { c.diffSlope = c.diffSrc; }));

    static final List<Fault> SOFTMAX_FAULTS = List.of(
            new Fault("rows", c -> c.rows = -1),
            new Fault("cols", c -> c.cols = -3),
            new Fault("src", c -> c.rows = 2));

    @Test
    void badElementwiseCallsNameTheArgumentAndWriteNothing() {
        Gen<Fault> faults = Generate.pick(concat(FAULTS, BACKWARD_FAULTS));
        check("validation", () -> qt(300).forAll(KernelFixtures.eltwise(), faults, Generate.range(1, 40)).checkAssert((op, f, n) -> {
            for (ActivationKernels k : KernelFixtures.implementations()) {
                boolean backwardOnly = BACKWARD_FAULTS.contains(f);
                if (!backwardOnly) {
                    expectRejected(k, f, n, c -> k.forward(op, c.src, c.srcOff, c.dst, c.dstOff, c.n));
                    expectRejected(k, f, n, c -> k.derivative(op, c.src, c.srcOff, c.dst, c.dstOff, c.n));
                }
                Fault g = f.argument().equals("dst") ? new Fault("diffSrc", c -> { c.diffSrc = null; }) : f;
                expectRejected(k, g, n, c -> k.backward(op, c.src, c.srcOff, c.diffDst, c.diffDstOff, c.diffSrc, c.diffSrcOff, c.n));
            }
        }));
    }

    @Test
    void badPreluAndSoftmaxCallsNameTheArgumentAndWriteNothing() {
        check("validation (prelu, softmax)", () -> qt(100).forAll(Generate.pick(PRELU_FAULTS), Generate.pick(SOFTMAX_FAULTS))
                .checkAssert((pf, sf) -> {
                    for (ActivationKernels k : KernelFixtures.implementations()) {
                        expectRejected(k, pf, 7, c -> k.preluBackward(c.src, c.srcOff, c.slope, 0, c.channels, c.diffDst,
                                c.diffDstOff, c.diffSrc, c.diffSrcOff, c.diffSlope, 0, c.n));
                        expectRejected(k, sf, 7, c -> k.softmax(c.src, c.srcOff, c.dst, c.dstOff, c.rows, c.cols));
                        expectRejected(k, sf, 7, c -> k.logSoftmax(c.src, c.srcOff, c.dst, c.dstOff, c.rows, c.cols));
                    }
                }));
    }

    static void expectRejected(ActivationKernels k, Fault f, int n, Consumer<Call> call) {
        Call c = new Call(n);
        f.breakIt().accept(c);
        float[][] outputs = {c.dst, c.diffSrc, c.diffSlope, c.src, c.diffDst};
        float[][] before = new float[outputs.length][];
        for (int i = 0; i < outputs.length; i++) before[i] = outputs[i] == null ? null : outputs[i].clone();
        RuntimeException e = assertThrows(RuntimeException.class, () -> call.accept(c), k.name() + " accepted " + f.argument());
        assertTrue(e instanceof IllegalArgumentException || e instanceof IndexOutOfBoundsException
                || e instanceof NullPointerException, "unexpected " + e);
        assertTrue(String.valueOf(e.getMessage()).contains(f.argument()),
                k.name() + ": message '" + e.getMessage() + "' does not name " + f.argument());
        for (int i = 0; i < outputs.length; i++) {
            if (outputs[i] != null) assertArrayEquals(before[i], outputs[i], k.name() + " wrote before rejecting " + f.argument());
        }
    }

    @SafeVarargs
    static <T> List<T> concat(List<T>... lists) {
        return Arrays.stream(lists).flatMap(List::stream).collect(java.util.stream.Collectors.toList());
    }

    @Test
    void badParametersAreRejectedWhenTheDescriptorIsMade() {
        assertNames("alpha", () -> Eltwise.leakyRelu(Float.NaN));
        assertNames("alpha", () -> Eltwise.elu(Float.POSITIVE_INFINITY));
        assertNames("alpha", () -> Eltwise.celu(0f));
        assertNames("beta (upper)", () -> Eltwise.rrelu(0.3f, 0.1f));
        assertNames("alpha (lower)", () -> Eltwise.rrelu(-0.1f, 0.1f));
        assertNames("alpha (beta)", () -> Eltwise.softplus(0f, 20f));
        assertNames("beta (threshold)", () -> Eltwise.softplus(1f, Float.NaN));
        assertNames("beta (max)", () -> Eltwise.hardTanh(1f, -1f));
        assertNames("op", () -> Kernels.scalar().backwardFromOutput(Eltwise.geluErf(), new float[1], 0, new float[1], 0, new float[1], 0, 1));
        assertNames("op", () -> Kernels.scalar().backwardFromOutput(Eltwise.leakyRelu(-0.2f), new float[1], 0, new float[1], 0, new float[1], 0, 1));
        assertNames("name", () -> Algorithm.fromApiName("swish2"));
    }

    static void assertNames(String argument, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(argument), "'" + e.getMessage() + "' does not name " + argument);
    }
}
