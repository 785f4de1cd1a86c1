package dev.rectify.nn;

import dev.rectify.kernels.Algorithm;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.Gemm;
import dev.rectify.kernels.Kernels;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.rectify.kernels.KernelFixtures.check;
import static dev.rectify.kernels.KernelFixtures.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * A unit that is dead on a batch (pre-activation <= 0 for every sample) gets exactly +0.0 for the gradients of
 * its incoming weights and its bias after the whole backward pass: through the loss, the other layers (any
 * activation, fused or as its own layer, batch norm, PReLU, RReLU in training mode, dropout), its own ReLU
 * backward (fused into the dense layer or a separate layer, with or without dropout after it) and the
 * transposed GEMM, on the SIMD and the scalar path.
 */
class DeadUnitProperties {
    static final Algorithm[] ANY = Algorithm.values();

    record Case(int batch, int[] sizes, int deadLayer, int deadUnit, Algorithm upper, boolean crossEntropy, long seed) {
        @Override
        public String toString() {
            return "batch " + batch + ", sizes " + java.util.Arrays.toString(sizes) + ", dead unit " + deadUnit + " of hidden layer "
                    + deadLayer + ", other hidden layers use " + upper + (crossEntropy ? ", cross-entropy" : ", mse") + ", seed " + seed
                    + " (layer kinds drawn from the seed)";
        }
    }

    /** The layers after a hidden dense layer of {@code units} units, drawn from {@code r}; true for the dead one. */
    static List<Layer> around(boolean deadOne, int units, Algorithm upper, int batch, SplittableRandom r,
                              dev.rectify.kernels.ActivationKernels kernels, List<Layer> out) {
        int kind = r.nextInt(deadOne ? 2 : 5);
        Eltwise act = Eltwise.defaults(deadOne ? Algorithm.RELU : upper);
        if (kind == 1) out.add(new Activation(units, act, kernels, r.nextLong()));
        if (kind == 2 && batch > 1) out.add(new BatchNorm(units));
        if (kind == 2) out.add(new Activation(units, act, kernels, r.nextLong()));
        if (kind == 3) out.add(new PRelu(units, (float) r.nextGaussian(), kernels));
        if (kind == 4) out.add(new Activation(units, Eltwise.rrelu(), kernels, r.nextLong()));
        if (r.nextBoolean()) out.add(new Dropout(units, r.nextDouble() * 0.9, r.nextLong()));
        return out;
    }

    static Gen<Case> cases() {
        return integers().between(1, 40).zip(integers().between(2, 4), integers().between(1, 33), longs().all(),
                (batch, hiddenCount, width, seed) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    int[] sizes = new int[hiddenCount + 2];
                    sizes[0] = 1 + r.nextInt(20);
                    for (int i = 1; i <= hiddenCount; i++) sizes[i] = 1 + r.nextInt(width);
                    sizes[hiddenCount + 1] = 2 + r.nextInt(5);
                    int deadLayer = r.nextInt(hiddenCount);
                    return new Case(batch, sizes, deadLayer, r.nextInt(sizes[deadLayer + 1]), ANY[r.nextInt(ANY.length)],
                            r.nextBoolean(), seed);
                });
    }

    @Test
    void aDeadUnitsIncomingGradientsAreExactlyPlusZero() {
        for (Gemm gemm : List.of(Kernels.gemm().withParallelism(1), Kernels.scalarGemm())) {
            var kernels = gemm == Kernels.scalarGemm() ? Kernels.scalar() : Kernels.activations();
            check("dead unit gradient on " + gemm.name(), () -> qt(300).forAll(cases()).checkAssert(c -> {
                SplittableRandom r = new SplittableRandom(c.seed);
                List<Layer> layers = new ArrayList<>();
                int hidden = c.sizes.length - 2;
                Dense dead = null;
                UnitLayer deadUnits = null;
                for (int i = 0; i <= hidden; i++) {
                    List<Layer> after = i == hidden ? List.of()
                            : around(i == c.deadLayer, c.sizes[i + 1], c.upper, c.batch, r, kernels, new ArrayList<>());
                    boolean fused = i < hidden && (after.isEmpty() || after.get(0) instanceof Dropout);
                    Eltwise act = fused ? Eltwise.defaults(i == c.deadLayer ? Algorithm.RELU : c.upper) : null;
                    Dense d = new Dense(c.sizes[i], c.sizes[i + 1], act, gemm, kernels);
                    Init.XAVIER_NORMAL.fill(d.weight.value, c.sizes[i], c.sizes[i + 1], 1, 0, r.split());
                    for (int j = 0; j < d.bias.value.length; j++) d.bias.value[j] = (float) r.nextGaussian();
                    layers.add(d);
                    if (i == c.deadLayer) {
                        dead = d;
                        deadUnits = fused ? d : (UnitLayer) after.get(0);
                    }
                    layers.addAll(after);
                }
                dead.bias.value[c.deadUnit] = -1e4f; // far below what the bounded inputs can reach
                Network net = new Network(layers);
                net.beginStep(c.seed);
                float[] x = new float[c.batch * c.sizes[0]];
                for (int i = 0; i < x.length; i++) x[i] = (float) (4 * r.nextGaussian());
                int outs = net.outputs();
                float[] out = net.forward(x, c.batch, true);
                for (int s = 0; s < c.batch; s++) {
                    // the premise: dead on every sample of the batch
                    org.junit.jupiter.api.Assertions.assertTrue(deadUnits.preActivations()[s * dead.outputs() + c.deadUnit] <= 0f);
                }
                float[] g = new float[c.batch * outs];
                if (c.crossEntropy) {
                    int[] labels = new int[c.batch];
                    for (int s = 0; s < c.batch; s++) labels[s] = r.nextInt(outs);
                    Loss.softmaxCrossEntropy(kernels).lossAndGradient(out, c.batch, outs, labels, 0, null, 0, g);
                } else {
                    float[] t = new float[c.batch * outs];
                    for (int i = 0; i < t.length; i++) t[i] = (float) r.nextGaussian();
                    Loss.meanSquaredError().lossAndGradient(out, c.batch, outs, null, 0, t, 0, g);
                }
                net.backward(g, c.batch);
                assertEquals(0, Float.floatToRawIntBits(dead.bias.grad[c.deadUnit]), c + ": bias gradient");
                for (int i = 0; i < dead.inputs(); i++) {
                    float w = dead.weight.grad[i * dead.outputs() + c.deadUnit];
                    assertEquals(0, Float.floatToRawIntBits(w), c + ": weight gradient from input " + i + " was " + w);
                }
            }));
        }
    }
}
