package dev.rectify.bench.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API loop a user would write with the library's own transcendental lanes
 * ({@code lanewise(EXP)}, {@code EXPM1}, {@code TANH}) on the preferred species: the recipe of issue #2's
 * speed probe, measured beside Rectify's kernels so the report can say what this machine gives it.
 * Forward passes of sigmoid, silu, elu and tanh only, for lengths that are a multiple of the lane count
 * (every benchmark size is).
 */
public final class LanewiseLoops {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);

    private LanewiseLoops() {}

    static void forward(String op, float[] x, float[] y, int n) {
        if (n % S.length() != 0) {
            throw new IllegalArgumentException("n must be a multiple of " + S.length() + ", was " + n);
        }
        int i = 0;
        switch (op) {
            case "sigmoid":
                for (; i < n; i += S.length()) {
                    FloatVector v = FloatVector.fromArray(S, x, i);
                    ONE.div(v.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(y, i);
                }
                break;
            case "silu":
                for (; i < n; i += S.length()) {
                    FloatVector v = FloatVector.fromArray(S, x, i);
                    v.div(v.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(y, i);
                }
                break;
            case "elu":
                for (; i < n; i += S.length()) {
                    FloatVector v = FloatVector.fromArray(S, x, i);
                    v.lanewise(VectorOperators.EXPM1).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
                }
                break;
            case "tanh":
                for (; i < n; i += S.length()) {
                    FloatVector.fromArray(S, x, i).lanewise(VectorOperators.TANH).intoArray(y, i);
                }
                break;
            default:
                throw new IllegalArgumentException("no lanewise loop for " + op);
        }
    }
}
