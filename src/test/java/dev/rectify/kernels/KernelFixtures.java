package dev.rectify.kernels;

import org.quicktheories.QuickTheory;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.ArrayList;
import java.util.List;

import static org.quicktheories.generators.SourceDSL.floats;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/** Implementations under test, special values and QuickTheories generators shared by the kernel tests. */
public final class KernelFixtures {
    private KernelFixtures() {}

    /** The values that break kernels: NaN, infinities, signed zeros, subnormals, extremes and thresholds. */
    public static final float[] SPECIALS = {
        Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL, 0x1.fffffcp-127f, -0x1.fffffcp-127f,
        Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, 0.5f, -0.5f, 3f, -3f, 6f, 20f, -20f, 20.000002f,
        88.72283f, 88.72284f, -87.33654f, -103.97208f, -104f, 89f, 9.01f, -9.01f, -88f, -120f, 120f,
        1e-30f, -1e-30f, 1e30f, -1e30f, 0x1p-24f, -0x1p-24f, Math.nextDown(0f), Math.nextUp(0f)
    };

    /** Scalar plus the SIMD path at every width this JVM can build (all three when the module is present). */
    public static List<ActivationKernels> implementations() {
        List<ActivationKernels> all = new ArrayList<>();
        all.add(Kernels.scalar());
        all.addAll(simdImplementations());
        return all;
    }

    public static List<ActivationKernels> simdImplementations() {
        List<ActivationKernels> all = new ArrayList<>();
        if (Kernels.vectorModulePresent()) {
            for (int bits : new int[] {128, 256, 512}) {
                all.add(Kernels.simd(bits));
            }
        }
        return all;
    }

    /** The seed for every property; override with -Drectify.qt.seed=N to replay or explore. */
    public static long seed() {
        return Long.getLong("rectify.qt.seed", 20261122L);
    }

    /** qt() with the fixed seed; failures are reported with it (see {@link #check}). */
    public static QuickTheory qt(int examples) {
        return QuickTheory.qt().withFixedSeed(seed()).withExamples(examples);
    }

    /** Runs a property and, on failure, names the seed needed to replay it. */
    public static void check(String property, Runnable theory) {
        try {
            theory.run();
        } catch (AssertionError e) {
            throw new AssertionError(property + " failed with seed " + seed()
                    + " (replay: mvn verify -Drectify.qt.seed=" + seed() + ")\n" + e.getMessage(), e);
        }
    }

    /** Floats with the special values in front: a third specials, the rest spread over every scale. */
    public static Gen<Float> floatsWithSpecials() {
        List<Float> specials = new ArrayList<>();
        for (float f : SPECIALS) specials.add(f);
        Gen<Float> special = Generate.pick(specials);
        Gen<Float> anyBits = integers().all().map(Float::intBitsToFloat);
        Gen<Float> moderate = floats().between(-30f, 30f);
        Gen<Float> small = floats().between(-4f, 4f);
        Gen<Float> tiny = floats().between(-1e-6f, 1e-6f);
        return Generate.frequency(List.of(
                Pair.of(4, special), Pair.of(3, anyBits), Pair.of(4, moderate), Pair.of(3, small), Pair.of(1, tiny)));
    }

    /** Arrays of 0 to 3 x 16 + 1 floats (every vector width, several vectors and a remainder). */
    public static Gen<float[]> floatArrays() {
        return floatArrays(0, 3 * 16 + 1);
    }

    public static Gen<float[]> floatArrays(int minLength, int maxLength) {
        return lists().of(floatsWithSpecials()).ofSizeBetween(minLength, maxLength).map(KernelFixtures::toArray);
    }

    static float[] toArray(List<Float> list) {
        float[] a = new float[list.size()];
        for (int i = 0; i < a.length; i++) a[i] = list.get(i);
        return a;
    }

    /** Every algorithm with default and with randomly drawn (valid) parameters. */
    public static Gen<Eltwise> eltwise() {
        Gen<Algorithm> alg = Generate.enumValues(Algorithm.class);
        Gen<Float> slope = Generate.pick(List.of(0f, 0.01f, 0.25f, 1f / 3, 0.7f, 2f, -0.5f));
        Gen<Float> positive = Generate.pick(List.of(0.25f, 0.5f, 1f, 1.5f, 3f));
        return alg.zip(slope, positive, (a, s, p) -> {
            switch (a) {
                case LEAKY_RELU: return Eltwise.leakyRelu(s);
                case RRELU: return Eltwise.rrelu(Math.abs(s) * 0.5f, Math.abs(s));
                case ELU: return Eltwise.elu(p);
                case CELU: return Eltwise.celu(p);
                case SOFTPLUS: return Eltwise.softplus(p, 20f / p);
                case HARD_TANH: return Eltwise.hardTanh(-p, p * 2);
                default: return Eltwise.defaults(a);
            }
        });
    }

    public static String show(float[] a) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            b.append(i == 0 ? "" : ", ").append(a[i]);
        }
        return b.append(']').toString();
    }

    /** Bit equality that treats every NaN as the same value (payloads are unspecified). */
    public static boolean sameBits(float a, float b) {
        return Float.floatToIntBits(a) == Float.floatToIntBits(b);
    }
}
