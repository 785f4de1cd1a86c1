package dev.rectify.nn;

import dev.rectify.kernels.Reductions;
import dev.rectify.kernels.internal.GemmThreads;

import java.util.Arrays;
import java.util.List;

/**
 * The passes of a training step over every parameter, on the network's GEMM threads: the squared gradient
 * norms, and the optimizer's update followed by the divergence check of the updated values (finite or not). On two threads each
 * parameter of at least two {@link #GRAIN}s is updated in two fixed halves, the first on the calling thread and
 * the second on the helper, cut where a split {@link Dense} layer's threads own W and dW (else in the middle); on
 * more threads parameters are cut into ranges of GRAIN elements that the threads take in turn. The update is
 * element-wise and the norms keep their summation order, so the bits do not depend on the threads.
 */
final class UpdatePass {
    /** Elements per range: enough to pay for a hand-off, few enough that two threads share a layer. */
    static final int GRAIN = 1 << 15;

    private final List<Param> params;
    private final Reductions reductions, single; // single: inside a half, which already has its thread
    private final int threads;
    private final int[] paramOf, from, to;
    private final double[] rangeChecks; // 0: the range's updated values are finite, NaN: not
    private final double[][] halfChecks;

    UpdatePass(List<Param> params, Reductions reductions, int threads) {
        this.params = List.copyOf(params);
        this.reductions = reductions;
        this.single = reductions.withParallelism(1);
        this.threads = threads;
        int ranges = 0;
        for (Param p : params) ranges += (p.size() + GRAIN - 1) / GRAIN;
        paramOf = new int[ranges];
        from = new int[ranges];
        to = new int[ranges];
        rangeChecks = new double[ranges];
        halfChecks = new double[2][params.size()];
        int r = 0;
        for (int q = 0; q < params.size(); q++) {
            int n = params.get(q).size(), pieces = (n + GRAIN - 1) / GRAIN;
            for (int i = 0; i < pieces; i++, r++) {
                paramOf[r] = q;
                from[r] = (int) ((long) n * i / pieces);
                to[r] = (int) ((long) n * (i + 1) / pieces);
            }
        }
    }

    /**
     * Fills {@code squares[p]} with the squared L2 norm of parameter p's gradient ({@link Param#gradientSquares}:
     * from the backward pass when its owners summed them, else {@link Reductions#sumOfSquares}, which splits the
     * large ones over the threads with the same bits) and returns their sum in parameter order (non-finite iff
     * some element is).
     */
    double gradientSquares(double[] squares) {
        double total = 0;
        for (int q = 0; q < squares.length; q++) {
            squares[q] = params.get(q).gradientSquares(reductions);
            total += squares[q];
        }
        return total;
    }

    /**
     * One optimizer step at rate {@code lr}; then {@code squares[p]} is 0 if every updated value of parameter p is
     * finite and NaN if not (each range is checked while it is still in cache). Returns whether all are finite.
     */
    boolean update(Optimizer optimizer, double lr, double[] squares) {
        final float rate = optimizer.checkedLr(lr);
        for (Param p : params) optimizer.prepare(p);
        if (Math.min(threads, GemmThreads.HELPERS + 1) == 2) {
            return updateInHalves(optimizer, rate, squares);
        }
        GemmThreads.run(paramOf.length, threads, r -> {
            Param p = params.get(paramOf[r]);
            rangeChecks[r] = optimizer.updateAndCheck(p, rate, from[r], to[r], single) ? 0 : Double.NaN;
        });
        Arrays.fill(squares, 0);
        double total = 0;
        for (int r = 0; r < paramOf.length; r++) {
            squares[paramOf[r]] += rangeChecks[r];
            total += rangeChecks[r];
        }
        return Double.isFinite(total);
    }

    private boolean updateInHalves(Optimizer optimizer, float rate, double[] squares) {
        final double[][] part = halfChecks;
        GemmThreads.runOwned(2, threads, t -> {
            for (int q = 0; q < params.size(); q++) {
                Param p = params.get(q);
                int n = p.size(), mid = p.ownerSplit() > 0 ? p.ownerSplit() : n >= 2 * GRAIN ? n / 2 : n;
                int from = t == 0 ? 0 : mid, to = t == 0 ? mid : n;
                part[t][q] = 0;
                if (from < to) {
                    part[t][q] = optimizer.updateAndCheck(p, rate, from, to, single) ? 0 : Double.NaN;
                }
            }
        });
        double total = 0;
        for (int q = 0; q < squares.length; q++) {
            squares[q] = part[0][q] + part[1][q];
            total += squares[q];
        }
        return Double.isFinite(total);
    }
}
