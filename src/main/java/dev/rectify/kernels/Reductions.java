package dev.rectify.kernels;

import dev.rectify.kernels.internal.Checks;
import dev.rectify.kernels.internal.GemmThreads;
import dev.rectify.kernels.internal.ReductionSupport;

import java.util.Objects;

/**
 * The reductions the trainer and its diagnostics need, {@link #sumOfSquares} (gradient norms),
 * {@link #allFinite} (the check of updated weights), {@link #sgdStep} (a plain SGD step with that check) and {@link #summarize} (pre-activation range and mean, output
 * zeros), on the kernel path of the
 * {@link ActivationKernels} they come from. Their summation order is fixed, so both paths and every vector width
 * return the same bits, and so does every {@link #withParallelism parallelism}. Every argument is validated before
 * anything is read or written.
 */
public final class Reductions {
    /** Arrays at least this long are summed on several threads when the parallelism allows (64 blocks). */
    static final int PARALLEL_MIN = 64 * ReductionSupport.SQUARE_BLOCK;

    private final String name;
    private final ReductionSupport impl;
    private final int threads;

    private Reductions(String name, ReductionSupport impl, int threads) {
        this.name = name;
        this.impl = impl;
        this.threads = threads;
    }

    /** The reductions of the kernel path {@code kernels} runs on, on the calling thread (cheap: no state of its own). */
    public static Reductions of(ActivationKernels kernels) {
        Objects.requireNonNull(kernels, "kernels");
        return new Reductions(kernels.name(), kernels.reductionSupport(), 1);
    }

    /**
     * The same reductions on up to {@code threads} threads, the caller's included, sharing {@link Gemm}'s helper
     * threads: {@link #sumOfSquares} of 65,536 elements or more is split by whole blocks, and each block's partials
     * are still added in the stated order, so the result has the same bits for every parallelism.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public Reductions withParallelism(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        return new Reductions(name, impl, threads);
    }

    /** Threads one call may use, the caller's included. */
    public int parallelism() {
        return threads;
    }

    /** The path's name, e.g. {@code simd-256} or {@code scalar}. */
    public String name() {
        return name;
    }

    /**
     * The sum of squares of {@code n} floats, returned in double: what gradient and weight norms need.
     * The order is fixed and the same on both paths at every width, so they return the same bits: the range
     * is cut into blocks of 1,024 elements (the last one shortened to a multiple of 32); within a block,
     * element i goes to float partial sum {@code i % 32} by a fused multiply-add in index order; each block's
     * 32 partials are added to a double total from partial 0 to 31; the fewer than 32 elements after the last
     * block are added in double one by one. A partial accumulates at most 32 terms, so for finite inputs the
     * relative error is below {@code 2^-18}.
     * <p>A NaN element gives NaN; otherwise an infinite element gives +Infinity; finite elements always give
     * a finite result (if a float partial overflows, the sum is recomputed in double, element by element).
     * {@code n == 0} gives +0.0.
     */
    public double sumOfSquares(float[] src, int srcOff, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        Checks.range("src", src, srcOff, n);
        if (n == 0) {
            return 0.0;
        }
        double s = threads > 1 && n >= PARALLEL_MIN ? blocksInParallel(src, srcOff, n) : impl.sumOfSquares(src, srcOff, n);
        if (s != Double.POSITIVE_INFINITY) {
            return s;
        }
        double exact = 0; // an infinite element or a float partial past Float.MAX_VALUE: decide in double
        for (int i = srcOff, end = srcOff + n; i < end; i++) {
            exact += (double) src[i] * src[i];
        }
        return exact;
    }

    /**
     * sumOfSquares with the full blocks' partials computed on the threads and added here in block and partial
     * order, then the short last block and the tail as the path adds them: the order of one pass.
     */
    private double blocksInParallel(float[] src, int srcOff, int n) {
        final int block = ReductionSupport.SQUARE_BLOCK, width = ReductionSupport.SQUARE_PARTIALS;
        final int blocks = n / block, chunks = Math.min(threads, blocks / 32);
        final int fullEnd = srcOff + blocks * block, end = srcOff + n, shortBlock = (end - fullEnd) & -width;
        final float[] partials = new float[(blocks + (shortBlock > 0 ? 1 : 0)) * width];
        GemmThreads.runOwned(chunks, threads, c -> {
            for (int b = (int) ((long) blocks * c / chunks), stop = (int) ((long) blocks * (c + 1) / chunks); b < stop; b++) {
                impl.squarePartials(src, srcOff + b * block, srcOff + (b + 1) * block, partials, b * width);
            }
        });
        if (shortBlock > 0) {
            impl.squarePartials(src, fullEnd, fullEnd + shortBlock, partials, blocks * width);
        }
        double total = 0;
        for (float q : partials) {
            total += q;
        }
        for (int i = fullEnd + shortBlock; i < end; i++) {
            total += (double) src[i] * src[i];
        }
        return total;
    }

    /**
     * Whether none of the {@code n} floats from {@code src[srcOff]} is infinite or NaN: the check a training step
     * makes of the values it has just written, one pass at memory speed ({@code n == 0} gives true). Runs on the
     * calling thread whatever the {@link #withParallelism parallelism}.
     */
    public boolean allFinite(float[] src, int srcOff, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        Checks.range("src", src, srcOff, n);
        return n == 0 || impl.allFinite(src, srcOff, n);
    }

    /**
     * One plain SGD step on {@code n} weights, {@code w[i] = w[i] - lr * (g[i] + wd * w[i])} evaluated in float
     * as written (three roundings, no fused multiply-add; the bits of that Java expression on every path), and
     * whether every updated weight is finite: the step and {@link #allFinite} in one pass over w. Runs on the calling
     * thread. w and g must not overlap (unless they are the same range).
     */
    public boolean sgdStep(float[] w, int wOff, float[] g, int gOff, float lr, float wd, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        Checks.range("w", w, wOff, n);
        Checks.range("g", g, gOff, n);
        return n == 0 || impl.sgdStep(w, wOff, g, gOff, lr, wd, n);
    }

    /** Where {@link #summarize} puts each figure, from {@code summaryOff}. */
    public static final int SUMMARY_MIN = 0, SUMMARY_MAX = 1, SUMMARY_SUM = 2, SUMMARY_ZEROS = 3, SUMMARY_NONPOSITIVE = 4,
            SUMMARY_LENGTH = 5;

    /**
     * The minimum, maximum, sum, number of zeros ({@code +0.0} or {@code -0.0}) and number of elements
     * {@code <= 0} (NaN is not) of {@code n} floats, written as doubles to
     * {@code summary[summaryOff + SUMMARY_MIN ...]}: what the dead-unit diagnostics gather from every batch
     * (pre-activation range and mean, output sparsity; for ReLU-like layers the output zeros are the
     * non-positive pre-activations, so one pass serves both). A NaN element makes the minimum and
     * the maximum NaN; a zero minimum or maximum is reported as +0.0 (the sign of zero is not tracked). The sum is taken in the order {@link #sumOfSquares} states (32 float partials per
     * block of 1,024, added in double), so both paths at every width give the same bits, NaN payloads aside;
     * its relative error is below {@code 2^-18} times the sum of the magnitudes. {@code n == 0} gives
     * +Infinity, -Infinity, 0, 0 and 0.
     */
    public void summarize(float[] src, int srcOff, int n, double[] summary, int summaryOff) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        Checks.range("src", src, srcOff, n);
        if (summary == null) {
            throw new NullPointerException("summary must not be null");
        }
        if (summaryOff < 0 || summaryOff > summary.length - SUMMARY_LENGTH) {
            throw new IndexOutOfBoundsException("summary: offset " + summaryOff + " + " + SUMMARY_LENGTH
                    + " exceeds array length " + summary.length);
        }
        summary[summaryOff + SUMMARY_MIN] = Double.POSITIVE_INFINITY;
        summary[summaryOff + SUMMARY_MAX] = Double.NEGATIVE_INFINITY;
        summary[summaryOff + SUMMARY_SUM] = 0;
        summary[summaryOff + SUMMARY_ZEROS] = 0;
        summary[summaryOff + SUMMARY_NONPOSITIVE] = 0;
        if (n > 0) {
            impl.summarize(src, srcOff, n, summary, summaryOff);
        }
    }
}
