package dev.rectify.kernels;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.rectify.kernels.KernelFixtures.check;
import static dev.rectify.kernels.KernelFixtures.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * SGEMM against a double-precision reference, on every path, with bits compared across paths.
 *
 * <p>The error bound is the standard one for a dot product of fused multiply-adds, made sound for how
 * {@link Gemm} combines blocks: with u = 2^-24 and B = ceil(k / KC) k-blocks, each C element is within
 * {@code (k + B + 2) * u * (|alpha| sum_p |a_ip b_pj| + |beta c_ij|) * 1.01 + 2^-126} of the exact value
 * (k roundings in the sums, one per block combination, one for beta c, one final; 1.01 covers the
 * second-order terms; the last term covers subnormal results).
 */
class GemmProperties {
    static final double U = Math.scalb(1.0, -24);

    /** Sizes that hit every edge: 0, tiny, primes, lane multiples and their neighbours, several MC blocks. */
    static final List<Integer> DIMS = List.of(0, 1, 2, 3, 5, 6, 7, 8, 13, 16, 17, 31, 32, 33, 47, 64, 97, 121,
            127, 128, 129, 255, 256, 257, 300);
    static final List<Float> SCALARS = List.of(0f, 1f, -1f, 0.5f, -2.75f, 1.3f);

    /** One call's arguments and inputs. */
    record Case(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
                int aOff, int lda, int bOff, int ldb, int cOff, int ldc, float[] a, float[] b, float[] c) {
        @Override
        public String toString() {
            return "sgemm(" + (ta ? "T" : "N") + (tb ? "T" : "N") + ", m=" + m + ", n=" + n + ", k=" + k
                    + ", alpha=" + alpha + ", beta=" + beta + ", aOff=" + aOff + ", lda=" + lda + ", bOff=" + bOff
                    + ", ldb=" + ldb + ", cOff=" + cOff + ", ldc=" + ldc + ")";
        }

        float[] run(Gemm g) {
            float[] out = c.clone();
            g.sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            return out;
        }
    }

    static Gen<Integer> dims(int max) {
        List<Integer> d = new ArrayList<>();
        for (int x : DIMS) if (x <= max) d.add(x);
        return Generate.pick(d).mix(integers().between(0, max), 30);
    }

    /**
     * Depths for shapes up to {@code max}: from 300 up, one case in five is a deep one: a single block deeper
     * than 512 (784, packed in shorter A blocks), just below and at KC, and past it into two equal blocks
     * (KC + 1, KC + 89), so the block combination is always exercised.
     */
    static Gen<Integer> depths(int max) {
        if (max < 300) return dims(max);
        return Generate.pick(List.of(784, Gemm.KC - 1, Gemm.KC, Gemm.KC + 1, Gemm.KC + 89)).mix(dims(max), 80);
    }

    static Gen<Case> cases(int max) {
        Gen<Integer> dim = dims(max);
        Gen<Float> scalar = Generate.pick(SCALARS);
        return dim.zip(dim, depths(max), (m, n, k) -> new int[] {m, n, k})
                .zip(booleans().all(), booleans().all(), (mnk, ta, tb) -> new Object[] {mnk, ta, tb})
                .zip(scalar, scalar, longs().all(), (o, alpha, beta, seed) -> make((int[]) o[0], (Boolean) o[1],
                        (Boolean) o[2], alpha, beta, seed));
    }

    static Case make(int[] mnk, boolean ta, boolean tb, float alpha, float beta, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int m = mnk[0], n = mnk[1], k = mnk[2];
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = Math.max(1, aCols) + (r.nextBoolean() ? 0 : r.nextInt(5));
        int ldb = Math.max(1, bCols) + (r.nextBoolean() ? 0 : r.nextInt(5));
        int ldc = Math.max(1, n) + (r.nextBoolean() ? 0 : r.nextInt(5));
        int aOff = r.nextInt(4), bOff = r.nextInt(4), cOff = r.nextInt(4);
        float[] a = fill(r, aOff + aRows * lda + 3);
        float[] b = fill(r, bOff + bRows * ldb + 3);
        float[] c = fill(r, cOff + m * ldc + 3);
        return new Case(ta, tb, m, n, k, alpha, beta, aOff, lda, bOff, ldb, cOff, ldc, a, b, c);
    }

    static float[] fill(SplittableRandom r, int n) {
        float[] x = new float[n];
        boolean wide = r.nextInt(4) == 0;   // sometimes magnitudes over many binades
        for (int i = 0; i < n; i++) {
            x[i] = wide ? (float) (r.nextGaussian() * Math.pow(2, r.nextInt(-20, 20))) : (float) r.nextGaussian();
        }
        return x;
    }

    /** Asserts every C element against the reference and the bound; untouched cells outside C unchanged. */
    static void assertWithinBound(Case t, float[] got, String path) {
        int blocks = (t.k + Gemm.KC - 1) / Gemm.KC;
        for (int i = 0; i < t.m; i++) {
            for (int j = 0; j < t.n; j++) {
                double exact = 0, mag = 0;
                for (int p = 0; p < t.k; p++) {
                    double ap = t.ta ? t.a[t.aOff + p * t.lda + i] : t.a[t.aOff + i * t.lda + p];
                    double bp = t.tb ? t.b[t.bOff + j * t.ldb + p] : t.b[t.bOff + p * t.ldb + j];
                    exact += ap * bp;
                    mag += Math.abs(ap * bp);
                }
                double c0 = t.c[t.cOff + i * t.ldc + j];
                double want = t.alpha * exact + (t.beta == 0f ? 0 : t.beta * c0);
                double bound = (t.k + blocks + 2) * U * (Math.abs(t.alpha) * mag + Math.abs(t.beta * c0)) * 1.01
                        + Math.scalb(1.0, -126);
                double g = got[t.cOff + i * t.ldc + j];
                if (!(Math.abs(g - want) <= bound)) {
                    throw new AssertionError(path + " " + t + ": C[" + i + "][" + j + "] = " + g + ", exact " + want
                            + ", error " + Math.abs(g - want) + " > bound " + bound);
                }
            }
        }
        for (int x = 0; x < got.length; x++) {
            int row = (x - t.cOff) / Math.max(1, t.ldc), col = (x - t.cOff) % Math.max(1, t.ldc);
            boolean inC = x >= t.cOff && row < t.m && col < t.n;
            if (!inC && Float.floatToRawIntBits(got[x]) != Float.floatToRawIntBits(t.c[x])) {
                throw new AssertionError(path + " " + t + " wrote outside C at index " + x);
            }
        }
    }

    static void assertSameBits(Case t, float[] want, String wantPath, float[] got, String gotPath) {
        for (int x = 0; x < want.length; x++) {
            if (!KernelFixtures.sameBits(want[x], got[x])) {
                throw new AssertionError(t + ": " + gotPath + " differs from " + wantPath + " at index " + x + ": "
                        + got[x] + " vs " + want[x]);
            }
        }
    }

    static Gemm fastPath() {
        return Kernels.vectorModulePresent() ? Kernels.simdGemm(Kernels.preferredBits()) : Kernels.scalarGemm();
    }

    @Test
    void everyShapeAndTransposeIsWithinTheBoundAndTheSameOnEveryPath() {
        Gemm simd = fastPath().withParallelism(1), scalar = Kernels.scalarGemm().withParallelism(1);
        check("sgemm vs reference", () -> qt(150).forAll(cases(300)).checkAssert(t -> {
            float[] s = t.run(simd);
            assertWithinBound(t, s, simd.name());
            float[] sc = t.run(scalar);
            assertSameBits(t, s, simd.name(), sc, "scalar");
        }));
    }

    @Test
    void everyVectorWidthGivesTheSameBitsOnSmallShapes() {
        List<Gemm> all = new ArrayList<>();
        all.add(Kernels.scalarGemm().withParallelism(1));
        if (Kernels.vectorModulePresent()) {
            for (int bits : new int[] {128, 256, 512}) all.add(Kernels.simdGemm(bits).withParallelism(1));
        }
        check("sgemm widths", () -> qt(100).forAll(cases(40)).checkAssert(t -> {
            float[] want = t.run(all.get(0));
            assertWithinBound(t, want, all.get(0).name());
            for (Gemm g : all.subList(1, all.size())) {
                assertSameBits(t, want, all.get(0).name(), t.run(g), g.name());
            }
        }));
    }

    @Test
    void threadCountNeverChangesTheBits() {
        Gemm base = fastPath();
        check("sgemm threads", () -> qt(40).forAll(cases(300)).checkAssert(t -> {
            float[] one = t.run(base.withParallelism(1));
            for (int threads : new int[] {2, 3, 8}) {
                assertSameBits(t, one, "1 thread", t.run(base.withParallelism(threads)), threads + " threads");
            }
        }));
    }

    @Test
    void betaZeroNeverReadsCAndAlphaZeroNeverReadsAOrB() {
        Gemm g = fastPath();
        check("sgemm beta=0 / alpha=0", () -> qt(100).forAll(cases(130)).checkAssert(t -> {
            float[] nanC = t.c.clone();
            for (int i = 0; i < t.m; i++) Arrays.fill(nanC, t.cOff + i * t.ldc, t.cOff + i * t.ldc + t.n, Float.NaN);
            g.sgemm(t.ta, t.tb, t.m, t.n, t.k, t.alpha, t.a, t.aOff, t.lda, t.b, t.bOff, t.ldb, 0f, nanC, t.cOff, t.ldc);
            for (int i = 0; i < t.m; i++) {
                for (int j = 0; j < t.n; j++) {
                    if (Float.isNaN(nanC[t.cOff + i * t.ldc + j])) {
                        throw new AssertionError(t + " with beta = 0 read the NaN in C[" + i + "][" + j + "]");
                    }
                }
            }
            float[] nanA = new float[t.a.length], nanB = new float[t.b.length];
            Arrays.fill(nanA, Float.NaN);
            Arrays.fill(nanB, Float.NaN);
            float[] out = t.c.clone();
            g.sgemm(t.ta, t.tb, t.m, t.n, t.k, 0f, nanA, t.aOff, t.lda, nanB, t.bOff, t.ldb, t.beta, out, t.cOff, t.ldc);
            for (int i = 0; i < t.m; i++) {
                for (int j = 0; j < t.n; j++) {
                    int x = t.cOff + i * t.ldc + j;
                    float want = t.beta == 0f ? 0f : t.beta * t.c[x];
                    if (out[x] != want) {
                        throw new AssertionError(t + " with alpha = 0: C[" + i + "][" + j + "] = " + out[x] + ", want " + want);
                    }
                }
            }
        }));
    }

    @Test
    void theFusedEpilogueEqualsGemmThenBiasThenActivation() {
        Gemm g = fastPath().withParallelism(2);
        Gen<Eltwise> acts = KernelFixtures.eltwise();
        // withOutputs: also the pre-activation and ever-active outputs, which keep the epilogue out of registers.
        check("sgemm epilogue", () -> qt(160).forAll(cases(140), acts, booleans().all(), booleans().all())
                .checkAssert((t, op, perColumn, withOutputs) -> {
            SplittableRandom r = new SplittableRandom(t.m * 31L + t.n);
            float[] bias = fill(r, Math.max(t.m, t.n) + 2);
            float[] wantZ = new float[t.m * Math.max(1, t.n)];
            boolean[] wantActive = new boolean[t.n + 1];
            float[] want = separatePasses(g, t, bias, perColumn, op, wantZ, wantActive);
            float[] got = t.c.clone();
            float[] z = new float[t.m * Math.max(1, t.n)];
            boolean[] active = new boolean[t.n + 1];
            GemmEpilogue ep = (perColumn ? GemmEpilogue.biasPerColumn(bias, 1) : GemmEpilogue.biasPerRow(bias, 1))
                    .withActivation(op);
            if (withOutputs) ep = ep.withPreActivation(z, 0, Math.max(1, t.n)).withEverActive(active, 1);
            g.sgemm(t.ta, t.tb, t.m, t.n, t.k, t.alpha, t.a, t.aOff, t.lda, t.b, t.bOff, t.ldb, t.beta, got, t.cOff, t.ldc, ep);
            assertSameBits(t, want, "separate passes", got, "fused " + op + (perColumn ? " bias/column" : " bias/row"));
            if (!withOutputs) return;
            if (t.n > 0) assertSameBits(t, wantZ, "separate pre-activation", z, "fused pre-activation");
            if (!Arrays.equals(wantActive, active)) {
                throw new AssertionError(t + ": ever-active mask " + Arrays.toString(active) + ", want "
                        + Arrays.toString(wantActive));
            }
        }));
    }

    /**
     * A dense layer's epilogue, finished from the micro-kernel's accumulators when alpha is 1 (bias per column
     * or none, ReLU or none, no extra outputs): the bits of the separate passes, in one k block or several, with
     * beta 0 or not (beta != 0 takes the buffered path on the first block and the accumulators on the last).
     */
    @Test
    void aDenseLayerEpilogueFromTheAccumulatorsEqualsTheSeparatePasses() {
        Gemm g = fastPath();
        Eltwise relu = Eltwise.defaults(Algorithm.RELU);
        Gen<Case> layers = dims(300).zip(dims(300), depths(300), (m, n, k) -> new int[] {m, n, k})
                .zip(booleans().all(), booleans().all(), (mnk, ta, tb) -> new Object[] {mnk, ta, tb})
                .zip(Generate.pick(List.of(0f, 0f, 1f, -0.5f)), longs().all(), (o, beta, seed) -> make((int[]) o[0],
                        (Boolean) o[1], (Boolean) o[2], 1f, beta, seed));
        check("sgemm dense-layer epilogue", () -> qt(80).forAll(layers, booleans().all(), booleans().all())
                .checkAssert((t, withBias, withRelu) -> {
            float[] bias = withBias ? fill(new SplittableRandom(t.m * 31L + t.n), t.n + 1) : null;
            float[] want = separatePasses(g, t, bias, true, withRelu ? relu : null, null, null);
            GemmEpilogue ep = withBias ? GemmEpilogue.biasPerColumn(bias, 1) : GemmEpilogue.none();
            if (withRelu) ep = ep.withActivation(relu);
            float[] got = t.c.clone();
            g.sgemm(t.ta, t.tb, t.m, t.n, t.k, t.alpha, t.a, t.aOff, t.lda, t.b, t.bOff, t.ldb, t.beta, got, t.cOff, t.ldc, ep);
            assertSameBits(t, want, "separate passes", got, "fused" + (withBias ? " bias" : "") + (withRelu ? " relu" : ""));
        }));
    }

    /**
     * GEMM, then the bias (bias[1 + j] per column or bias[1 + i] per row; none when null), then the activation
     * kernel (none when null); the pre-activation and the columns ever above zero into wantZ and wantActive
     * when they are not null.
     */
    static float[] separatePasses(Gemm g, Case t, float[] bias, boolean perColumn, Eltwise op, float[] wantZ,
                                  boolean[] wantActive) {
        ActivationKernels act = Kernels.activations();
        float[] want = t.run(g);
        for (int i = 0; i < t.m; i++) {
            for (int j = 0; j < t.n; j++) {
                int x = t.cOff + i * t.ldc + j;
                if (bias != null) want[x] += perColumn ? bias[1 + j] : bias[1 + i];
                if (wantZ != null) wantZ[i * t.n + j] = want[x];
                if (wantActive != null && want[x] > 0f) wantActive[1 + j] = true;
            }
            if (op != null) act.forward(op, want, t.cOff + i * t.ldc, want, t.cOff + i * t.ldc, t.n);
        }
        return want;
    }
}
