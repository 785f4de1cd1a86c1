package dev.rectify.kernels;

/**
 * Argument validation shared by every kernel entry point. Each check runs before the first write, and
 * each message names the argument, so a bad call fails loudly and leaves the output untouched.
 */
final class Checks {
    private Checks() {}

    /** Requires {@code n >= 0}. */
    static void count(String name, int n) {
        if (n < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + n);
        }
    }

    /** Requires {@code array[offset .. offset + length)} to lie inside a non-null array. */
    static void range(String name, float[] array, int offset, long length) {
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
    static void sameOrDisjoint(String outName, float[] out, int outOff,
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
    static void disjoint(String outName, float[] out, int outOff, long outLength,
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
    static long matrix(String rowsName, int rows, String colsName, int cols) {
        count(rowsName, rows);
        count(colsName, cols);
        return (long) rows * cols;
    }
}
