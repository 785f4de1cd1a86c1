package dev.rectify.kernels;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.Arrays;
import java.util.List;

import static dev.rectify.kernels.KernelFixtures.check;
import static dev.rectify.kernels.KernelFixtures.floatArrays;
import static dev.rectify.kernels.KernelFixtures.qt;
import static dev.rectify.kernels.KernelFixtures.sameBits;
import static dev.rectify.kernels.KernelFixtures.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The SIMD path computes exactly what the scalar path computes, at every vector width, for every length
 * from 0 to three 512-bit vectors plus a remainder, at arbitrary offsets, on inputs full of NaN,
 * infinities, signed zeros, subnormals and huge values.
 */
class SimdScalarAgreementProperties {
    static final ActivationKernels SCALAR = Kernels.scalar();
    static List<ActivationKernels> simd;

    @BeforeAll
    static void requireSimd() {
        simd = KernelFixtures.simdImplementations();
        assertEquals(3, simd.size(), "property tests must run with " + Kernels.FLAG);
    }

    enum Pass { FORWARD, DERIVATIVE, BACKWARD, BACKWARD_FROM_OUTPUT }

    static final Gen<Integer> OFFSETS = Generate.range(0, 7);

    /** Runs one pass of one algorithm on a copy of the inputs placed at the given offsets. */
    static float[] run(ActivationKernels k, Pass pass, Eltwise op, float[] x, float[] dy, int xo, int yo) {
        int n = x.length;
        float[] src = place(x, xo), grad = place(dy, xo), out = new float[n + yo + 3];
        Arrays.fill(out, -7f); // guard values outside [yo, yo + n) must survive
        switch (pass) {
            case FORWARD: k.forward(op, src, xo, out, yo, n); break;
            case DERIVATIVE: k.derivative(op, src, xo, out, yo, n); break;
            case BACKWARD: k.backward(op, src, xo, grad, xo, out, yo, n); break;
            default: {
                float[] y = new float[src.length];
                k.forward(op, src, xo, y, xo, n);
                k.backwardFromOutput(op, y, xo, grad, xo, out, yo, n);
            }
        }
        for (int i = 0; i < out.length; i++) {
            if ((i < yo || i >= yo + n) && out[i] != -7f) fail(k.name() + " wrote outside its range at " + i);
        }
        return Arrays.copyOfRange(out, yo, yo + n);
    }

    static float[] place(float[] a, int off) {
        float[] p = new float[a.length + off + 2];
        System.arraycopy(a, 0, p, off, a.length);
        return p;
    }

    @Test
    void everyElementwisePassAgreesBitForBit() {
        Gen<Pass> passes = Generate.enumValues(Pass.class);
        check("SIMD == scalar", () -> qt(400).forAll(KernelFixtures.eltwise(), passes, floatArrays(), OFFSETS)
                .checkAssert((op, pass, x, off) -> {
                    if (pass == Pass.BACKWARD_FROM_OUTPUT && (!op.algorithm().hasBackwardFromOutput() || op.alpha() < 0)) {
                        return;
                    }
                    float[] dy = reversed(x);
                    float[] want = run(SCALAR, pass, op, x, dy, off, (off * 3) % 5);
                    for (ActivationKernels k : simd) {
                        float[] got = run(k, pass, op, x, dy, off, (off * 3) % 5);
                        for (int i = 0; i < x.length; i++) {
                            if (!sameBits(want[i], got[i])) {
                                fail(k.name() + " " + op + " " + pass + " n=" + x.length + " i=" + i + " x=" + x[i]
                                        + " dy=" + dy[i] + ": scalar " + want[i] + ", simd " + got[i] + "\nx=" + show(x));
                            }
                        }
                    }
                }));
    }

    /** dy for a case: the inputs backwards, so special values meet other special values. */
    static float[] reversed(float[] x) {
        float[] r = new float[x.length];
        for (int i = 0; i < x.length; i++) r[i] = x[x.length - 1 - i];
        return r;
    }

    @Test
    void preluAgreesBitForBitIncludingTheSlopeGradient() {
        // 1024 channels: spans of two rows and, with three rows, one row left over; 1040: one row per span.
        Gen<Integer> channels = Generate.pick(List.of(1, 3, 8, 16, 17, 33, 1024, 1040));
        check("PReLU SIMD == scalar", () -> qt(300).forAll(channels, Generate.range(0, 4), floatArrays(0, 40), OFFSETS)
                .checkAssert((c, rows, pool, off) -> {
                    int n = c * rows;
                    float[] x = new float[n], dy = new float[n], slope = new float[c];
                    for (int i = 0; i < n; i++) {
                        x[i] = pool.length == 0 ? i - 3f : pool[i % pool.length];
                        dy[i] = pool.length == 0 ? 1f : pool[(i * 7 + 3) % pool.length];
                    }
                    for (int j = 0; j < c; j++) slope[j] = j % 4 == 0 ? 0f : 0.05f * j - 0.3f;
                    float[] wantY = new float[n], wantD = new float[n], wantDx = new float[n], wantDs = new float[c];
                    Arrays.fill(wantDs, 0.5f);
                    SCALAR.preluForward(x, 0, slope, 0, c, wantY, 0, n);
                    SCALAR.preluDerivative(x, 0, slope, 0, c, wantD, 0, n);
                    SCALAR.preluBackward(x, 0, slope, 0, c, dy, 0, wantDx, 0, wantDs, 0, n);
                    for (ActivationKernels k : simd) {
                        float[] y = new float[n + off], d = new float[n], dx = new float[n], ds = new float[c + off];
                        Arrays.fill(ds, 0.5f);
                        // input and slopes at an offset too: the vector loops index all three arrays
                        float[] xAt = new float[n + off], slopeAt = new float[c + off];
                        System.arraycopy(x, 0, xAt, off, n);
                        System.arraycopy(slope, 0, slopeAt, off, c);
                        k.preluForward(xAt, off, slopeAt, off, c, y, off, n);
                        k.preluDerivative(xAt, off, slopeAt, off, c, d, 0, n);
                        k.preluBackward(x, 0, slope, 0, c, dy, 0, dx, 0, ds, off, n);
                        assertBits(k.name() + " prelu forward", wantY, Arrays.copyOfRange(y, off, off + n));
                        assertBits(k.name() + " prelu derivative", wantD, d);
                        assertBits(k.name() + " prelu backward", wantDx, dx);
                        assertBits(k.name() + " prelu slope gradient", wantDs, Arrays.copyOfRange(ds, off, off + c));
                    }
                }));
    }

    @Test
    void rreluTrainingDrawsTheSameSlopesAndGradientsOnEveryPath() {
        check("RReLU training SIMD == scalar", () -> qt(200).forAll(floatArrays(), Generate.longRange(-1000, 1000))
                .checkAssert((x, seed) -> {
                    int n = x.length;
                    Eltwise op = Eltwise.rrelu();
                    float[] wantNoise = new float[n], wantY = new float[n], wantDx = new float[n];
                    float[] dy = reversed(x);
                    SCALAR.rreluTrainingForward(op, seed, x, 0, wantNoise, 0, wantY, 0, n);
                    SCALAR.rreluTrainingBackward(x, 0, wantNoise, 0, dy, 0, wantDx, 0, n);
                    for (float s : wantNoise) {
                        assertTrue(s >= op.alpha() && s <= op.beta(), "slope " + s + " outside [lower, upper]");
                    }
                    for (ActivationKernels k : simd) {
                        float[] noise = new float[n], y = new float[n], dx = new float[n];
                        k.rreluTrainingForward(op, seed, x, 0, noise, 0, y, 0, n);
                        k.rreluTrainingBackward(x, 0, noise, 0, dy, 0, dx, 0, n);
                        assertBits(k.name() + " rrelu noise", wantNoise, noise);
                        assertBits(k.name() + " rrelu forward", wantY, y);
                        assertBits(k.name() + " rrelu backward", wantDx, dx);
                    }
                }));
    }

    /**
     * Softmax sums each row in a width-dependent order, so the paths agree within the documented bound:
     * each within (cols + 8) ULP of the exact value, hence within twice that of each other.
     */
    @Test
    void softmaxAgreesWithinTheStatedBound() {
        Gen<float[]> rows = floatArrays(1, 70).map(a -> {
            for (int i = 0; i < a.length; i++) if (!Float.isFinite(a[i])) a[i] = i % 7 - 3f; // finite rows
            for (int i = 0; i < a.length; i++) a[i] = Math.max(-1e4f, Math.min(1e4f, a[i]));
            return a;
        });
        check("softmax SIMD ~ scalar", () -> qt(300).forAll(rows, Generate.range(1, 3)).checkAssert((pool, r) -> {
            int cols = pool.length, n = r * cols;
            float[] x = new float[n], dy = new float[n];
            for (int i = 0; i < n; i++) { x[i] = pool[(i * 5) % cols] + i % 3; dy[i] = (i % 5) - 2f; }
            for (boolean log : new boolean[] {false, true}) {
                float[] want = new float[n], wantDx = new float[n];
                softmax(SCALAR, log, x, want, dy, wantDx, r, cols);
                for (ActivationKernels k : simd) {
                    float[] got = new float[n], gotDx = new float[n];
                    softmax(k, log, x, got, dy, gotDx, r, cols);
                    for (int i = 0; i < n; i++) {
                        double tol = 2 * (cols + 8) * Math.ulp(Math.max(Math.abs(want[i]), log ? 1f : Math.abs(want[i])));
                        if (log) tol += 2 * (cols + 8) * Math.ulp((float) Math.log(cols)) ;
                        assertTrue(Math.abs(want[i] - got[i]) <= tol,
                                k.name() + (log ? " log" : "") + "softmax i=" + i + ": " + want[i] + " vs " + got[i]);
                    }
                }
            }
        }));
    }

    static void softmax(ActivationKernels k, boolean log, float[] x, float[] y, float[] dy, float[] dx, int rows, int cols) {
        if (log) {
            k.logSoftmax(x, 0, y, 0, rows, cols);
            k.logSoftmaxBackward(y, 0, dy, 0, dx, 0, rows, cols);
        } else {
            k.softmax(x, 0, y, 0, rows, cols);
            k.softmaxBackward(y, 0, dy, 0, dx, 0, rows, cols);
        }
    }

    static void assertBits(String what, float[] want, float[] got) {
        for (int i = 0; i < want.length; i++) {
            if (!sameBits(want[i], got[i])) fail(what + " at " + i + ": scalar " + want[i] + ", simd " + got[i]);
        }
    }
}
