package dev.rectify.kernels;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoublePredicate;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The accuracy table of the README, enforced. Two measures against {@link Reference}:
 * <ul>
 * <li>ULP: |got - exact| / ulp(float nearest exact), for normal results inside the stated domain;</li>
 * <li>ULP of max(|exact|, 1): the same but never finer than ulp(1) = 2^-23, i.e. an absolute bound below
 * magnitude 1, which is the only meaningful one near a derivative's root.</li>
 * </ul>
 * Every kernel path computes the same bits (checked here on the whole sample), so the scalar path's
 * accuracy is every path's accuracy.
 */
class AccuracyContractTest {
    /** One row of the contract: the bound for a function's forward pass or derivative. */
    record Bound(Algorithm algorithm, boolean derivative, double ulp, String domainText, DoublePredicate domain,
                 double ulpOfMaxOne) {}

    static final DoublePredicate ALL = x -> true;
    static final List<Bound> CONTRACT = new ArrayList<>();

    static void fwd(Algorithm a, double ulp, double floor1) { CONTRACT.add(new Bound(a, false, ulp, "all x", ALL, floor1)); }
    static void der(Algorithm a, double ulp, double floor1) { CONTRACT.add(new Bound(a, true, ulp, "all x", ALL, floor1)); }

    static {
        fwd(Algorithm.RELU, 0, 0);             der(Algorithm.RELU, 0, 0);
        fwd(Algorithm.LEAKY_RELU, 0.5, 0.5);   der(Algorithm.LEAKY_RELU, 0, 0);
        fwd(Algorithm.RRELU, 0.5, 0.5);        der(Algorithm.RRELU, 0, 0);
        fwd(Algorithm.ELU, 1, 1);              der(Algorithm.ELU, 1, 1);
        fwd(Algorithm.CELU, 1, 1);             der(Algorithm.CELU, 1, 1);
        fwd(Algorithm.SELU, 2, 2);             der(Algorithm.SELU, 2, 2);
        fwd(Algorithm.GELU_ERF, 16, 2.5);      der(Algorithm.GELU_ERF, Double.NaN, 2.5);
        CONTRACT.add(new Bound(Algorithm.GELU_TANH, false, 16, "|x| <= 3", x -> Math.abs(x) <= 3, 2.5));
        fwd(Algorithm.GELU_TANH, 256, 2.5);    der(Algorithm.GELU_TANH, Double.NaN, 2.5);
        CONTRACT.add(new Bound(Algorithm.SILU, false, 4, "x >= -87", x -> x >= -87, 2.5));
        fwd(Algorithm.SILU, 64, 2.5);          der(Algorithm.SILU, Double.NaN, 2.5);
        CONTRACT.add(new Bound(Algorithm.MISH, false, 5, "x >= -87", x -> x >= -87, 2.5));
        fwd(Algorithm.MISH, 64, 2.5);          der(Algorithm.MISH, Double.NaN, 2.5);
        fwd(Algorithm.SOFTPLUS, 4, 2);         der(Algorithm.SOFTPLUS, 3, 1);
        fwd(Algorithm.SIGMOID, 3, 1);          der(Algorithm.SIGMOID, 5, 1);
        fwd(Algorithm.TANH, 3, 2);             der(Algorithm.TANH, 5, 2);
        fwd(Algorithm.HARD_TANH, 0, 0);        der(Algorithm.HARD_TANH, 0, 0);
        fwd(Algorithm.RELU6, 0, 0);            der(Algorithm.RELU6, 0, 0);
        fwd(Algorithm.HARD_SIGMOID, 1, 1);     der(Algorithm.HARD_SIGMOID, 0.5, 0.5);
        fwd(Algorithm.HARD_SWISH, 2, 2);       der(Algorithm.HARD_SWISH, 1, 1);
    }

    static float[] sample;

    @BeforeAll
    static void makeSample() {
        Random r = new Random(KernelFixtures.seed());
        List<Float> xs = new ArrayList<>();
        for (float s : KernelFixtures.SPECIALS) xs.add(s);
        for (int i = -30 * 512; i <= 30 * 512; i++) xs.add(i / 512f);   // dense grid over the interesting range
        for (int i = 0; i < 1 << 20; i++) {
            float x;
            switch (i % 4) {
                case 0: x = (float) (r.nextGaussian() * 4); break;
                case 1: x = (r.nextFloat() * 2 - 1) * 110; break;
                case 2: x = Float.intBitsToFloat(r.nextInt()); break;  // every exponent, subnormals, NaNs
                default: x = (float) (r.nextGaussian() * 1e-3);
            }
            xs.add(x);
        }
        sample = KernelFixtures.toArray(xs);
    }

    @Test
    void everyFunctionMeetsItsStatedBound() {
        ActivationKernels scalar = Kernels.scalar();
        float[] y = new float[sample.length];
        StringBuilder failures = new StringBuilder();
        for (Bound b : CONTRACT) {
            Eltwise op = Eltwise.defaults(b.algorithm());
            if (b.derivative()) scalar.derivative(op, sample, 0, y, 0, y.length);
            else scalar.forward(op, sample, 0, y, 0, y.length);
            double worstUlp = 0, worstFloor = 0;
            float atUlp = 0, atFloor = 0;
            for (int i = 0; i < sample.length; i++) {
                float x = sample[i];
                double exact = b.derivative() ? Reference.derivative(op, x) : Reference.forward(op, x);
                double floorErr = floorOneError(y[i], exact);
                if (floorErr > worstFloor) { worstFloor = floorErr; atFloor = x; }
                if (!Double.isNaN(b.ulp()) && b.domain().test(x) && !(Math.abs(exact) < Float.MIN_NORMAL)) {
                    double e = Reference.ulpError(y[i], exact);
                    if (e > worstUlp) { worstUlp = e; atUlp = x; }
                }
            }
            String what = op + (b.derivative() ? " derivative" : " forward");
            if (worstUlp > b.ulp()) {
                failures.append(String.format("%s: %.2f ULP at x=%s exceeds %.2f (%s)%n", what, worstUlp, atUlp, b.ulp(), b.domainText()));
            }
            if (worstFloor > b.ulpOfMaxOne()) {
                failures.append(String.format("%s: %.2f ULP of max(|f|,1) at x=%s exceeds %.2f%n", what, worstFloor, atFloor, b.ulpOfMaxOne()));
            }
        }
        if (failures.length() > 0) fail(failures.toString());
    }

    static double floorOneError(float got, double exact) {
        if (Double.isNaN(exact)) return Float.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        if (Float.isNaN(got)) return Double.POSITIVE_INFINITY;
        if (Double.isInfinite(exact) || Float.isInfinite(got)) {
            return got == (float) exact ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(got - exact) / Math.ulp((float) Math.max(Math.abs(exact), 1.0));
    }

    @Test
    void theContractCoversEveryAlgorithmBothWays() {
        for (Algorithm a : Algorithm.values()) {
            assertTrue(CONTRACT.stream().anyMatch(b -> b.algorithm() == a && !b.derivative()), a + " forward");
            assertTrue(CONTRACT.stream().anyMatch(b -> b.algorithm() == a && b.derivative()), a + " derivative");
        }
    }

    /** The whole sample, every pass, through every SIMD width: the same bits as the scalar path. */
    @Test
    void simdPathsMatchScalarBitForBitOnTheWholeSample() {
        ActivationKernels scalar = Kernels.scalar();
        float[] dy = new float[sample.length];
        Random r = new Random(7);
        for (int i = 0; i < dy.length; i++) dy[i] = (float) r.nextGaussian();
        float[] want = new float[sample.length], got = new float[sample.length];
        for (ActivationKernels simd : KernelFixtures.simdImplementations()) {
            for (Algorithm a : Algorithm.values()) {
                Eltwise op = Eltwise.defaults(a);
                scalar.forward(op, sample, 0, want, 0, sample.length);
                simd.forward(op, sample, 0, got, 0, sample.length);
                assertSameBits(simd.name() + " " + op + " forward", want, got);
                scalar.derivative(op, sample, 0, want, 0, sample.length);
                simd.derivative(op, sample, 0, got, 0, sample.length);
                assertSameBits(simd.name() + " " + op + " derivative", want, got);
                scalar.backward(op, sample, 0, dy, 0, want, 0, sample.length);
                simd.backward(op, sample, 0, dy, 0, got, 0, sample.length);
                assertSameBits(simd.name() + " " + op + " backward", want, got);
            }
        }
    }

    static void assertSameBits(String what, float[] want, float[] got) {
        for (int i = 0; i < want.length; i++) {
            if (!KernelFixtures.sameBits(want[i], got[i])) {
                fail(what + ": element " + i + " x=" + sample[i] + " scalar " + want[i] + " but " + got[i]);
            }
        }
    }
}
