package dev.rectify.kernels.internal;

/**
 * Not API. The one home of argument validation for every kernel entry point (activations, reductions, GEMM and
 * its epilogue, noise). Each check runs before the first write, and each message names the argument, so a bad
 * call fails loudly and leaves the output untouched.
 */
public final class Checks {
    private Checks() {}

    /** Requires {@code n >= 0}. */
    public static void count(String name, int n) {
        if (n < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + n);
        }
    }

    /** Requires {@code array[offset .. offset + length)} to lie inside a non-null array. */
    public static void range(String name, float[] array, int offset, long length) {
        if (array == null) {
            throw new NullPointerException(name + " must not be null");
        }
        if (offset < 0) {
            throw new IndexOutOfBoundsException(name + " offset must be >= 0, was " + offset);
        }
        if (length > array.length - (long) offset) {
            throw new IndexOutOfBoundsException(name + ": offset " + offset + " + length " + length
                    + " exceeds array length " + array.length);
        }
    }

    /**
     * Requires that an output range either is the input range exactly (in place) or does not overlap it:
     * a partial overlap would make the result depend on the loop order, and so on the kernel path.
     */
    public static void sameOrDisjoint(String outName, float[] out, int outOff,
                                      String inName, float[] in, int inOff, long length) {
        if (out != in || outOff == inOff || length == 0) {
            return;
        }
        long a = outOff, b = inOff;
        if (a < b + length && b < a + length) {
            throw new IllegalArgumentException(outName + " [" + outOff + ", +" + length + ") partially overlaps "
                    + inName + " [" + inOff + ", +" + length + "); use the same offset for in-place or disjoint ranges");
        }
    }

    /** Requires two ranges of one array not to overlap at all (for accumulators that are read-modify-written). */
    public static void disjoint(String outName, float[] out, int outOff, long outLength,
                                String inName, float[] in, int inOff, long inLength) {
        if (out != in || outLength == 0 || inLength == 0) {
            return;
        }
        long a = outOff, b = inOff;
        if (a < b + inLength && b < a + outLength) {
            throw new IllegalArgumentException(outName + " must not overlap " + inName);
        }
    }

    /** rows * cols as a long, both required non-negative. */
    public static long matrix(String rowsName, int rows, String colsName, int cols) {
        count(rowsName, rows);
        count(colsName, cols);
        return (long) rows * cols;
    }

    /** An element-wise call: {@code n >= 0}, both ranges inside their arrays, {@code dst} in place or disjoint. */
    public static void unary(float[] src, int srcOff, float[] dst, int dstOff, long n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        range("src", src, srcOff, n);
        range("dst", dst, dstOff, n);
        sameOrDisjoint("dst", dst, dstOff, "src", src, srcOff, n);
    }

    /** A backward call: input {@code inName}, {@code diffDst} and {@code diffSrc}, the output in place or disjoint. */
    public static void binary(String inName, float[] in, int inOff, float[] diffDst, int diffDstOff,
                              float[] diffSrc, int diffSrcOff, long n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        range(inName, in, inOff, n);
        range("diffDst", diffDst, diffDstOff, n);
        range("diffSrc", diffSrc, diffSrcOff, n);
        sameOrDisjoint("diffSrc", diffSrc, diffSrcOff, inName, in, inOff, n);
        sameOrDisjoint("diffSrc", diffSrc, diffSrcOff, "diffDst", diffDst, diffDstOff, n);
    }

    /** PReLU's slopes: {@code channels > 0} slopes in range, {@code n} a multiple of {@code channels}. */
    public static void prelu(float[] slope, int slopeOff, int channels, int n) {
        if (channels <= 0) {
            throw new IllegalArgumentException("channels must be > 0, was " + channels);
        }
        range("slope", slope, slopeOff, channels);
        if (n >= 0 && n % channels != 0) {
            throw new IllegalArgumentException("n (" + n + ") must be a multiple of channels (" + channels + ")");
        }
    }

    /** A leading dimension: at least {@code max(1, rowLength)}. */
    public static void ld(String name, int ld, int rowLength) {
        if (ld < Math.max(1, rowLength)) {
            throw new IllegalArgumentException(name + " must be >= max(1, " + rowLength + "), was " + ld);
        }
    }

    /** A rows x cols row-major matrix with leading dimension ld must fit in x from xOff. */
    public static void matrix(String name, float[] x, int xOff, int ld, int rows, int cols) {
        ld("ld" + name, ld, cols);
        if (x == null) {
            throw new NullPointerException(name + " must not be null");
        }
        if (xOff < 0) {
            throw new IndexOutOfBoundsException(name + " offset must be >= 0, was " + xOff);
        }
        long span = rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
        if (span > x.length - (long) xOff) {
            throw new IndexOutOfBoundsException(name + ": offset " + xOff + " + " + rows + " rows x " + cols
                    + " columns with ld " + ld + " exceeds array length " + x.length);
        }
    }

    /** Output matrix {@code out} must not share any element's storage range with input {@code in}. */
    public static void noOverlap(String outName, float[] out, int outOff, int ldOut, int outRows, int outCols,
                                 String inName, float[] in, int inOff, int ldIn, int inRows, int inCols) {
        if (out != in || outRows == 0 || outCols == 0 || inRows == 0 || inCols == 0) {
            return;
        }
        long outEnd = outOff + (long) (outRows - 1) * ldOut + outCols;
        long inEnd = inOff + (long) (inRows - 1) * ldIn + inCols;
        if (outOff < inEnd && inOff < outEnd) {
            throw new IllegalArgumentException(outName + " must not overlap " + inName);
        }
    }

    /** A boolean mask of n entries from offset. */
    public static void mask(String name, boolean[] mask, int offset, int n) {
        if (mask == null) {
            throw new NullPointerException(name + " must not be null");
        }
        if (offset < 0 || (long) offset + n > mask.length) {
            throw new IndexOutOfBoundsException(name + ": offset " + offset + " + n " + n
                    + " exceeds array length " + mask.length);
        }
    }
}
