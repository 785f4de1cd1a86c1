package dev.rectify.nn;

/**
 * What {@link Trainer#evaluate} measures on a data set: the mean loss, the accuracy and, for classification, the
 * confusion matrix ({@code confusion()[trueClass][predictedClass]} counts samples; the prediction is the largest
 * output, the first of equals).
 *
 * @param loss the mean loss over the samples
 * @param accuracy the share of samples whose prediction is their label; NaN for regression
 * @param samples how many samples were scored
 * @param confusion classes x classes counts; null for regression and for more than {@link #MAX_CONFUSION_CLASSES}
 *        classes
 */
public record EvalResult(double loss, double accuracy, int samples, int[][] confusion) {
    /** Above this many classes no confusion matrix is kept (it would take classes^2 ints). */
    public static final int MAX_CONFUSION_CLASSES = 1024;

    public EvalResult {
        if (samples < 0) {
            throw new IllegalArgumentException("samples must be >= 0, was " + samples);
        }
        if (confusion != null) {
            int[][] copy = new int[confusion.length][];
            for (int i = 0; i < confusion.length; i++) {
                if (confusion[i].length != confusion.length) {
                    throw new IllegalArgumentException("confusion must be square, row " + i + " has " + confusion[i].length
                            + " entries for " + confusion.length + " classes");
                }
                copy[i] = confusion[i].clone();
            }
            confusion = copy;
        }
    }

    /** The confusion matrix, a copy; null for regression or too many classes. */
    @Override
    public int[][] confusion() {
        if (confusion == null) return null;
        int[][] copy = new int[confusion.length][];
        for (int i = 0; i < confusion.length; i++) copy[i] = confusion[i].clone();
        return copy;
    }

    /** Samples of each true class; empty without a confusion matrix. */
    public int[] samplesPerClass() {
        if (confusion == null) return new int[0];
        int[] n = new int[confusion.length];
        for (int c = 0; c < n.length; c++) for (int v : confusion[c]) n[c] += v;
        return n;
    }

    /**
     * The accuracy on each true class (the recall): correct predictions of class c over the samples of class c;
     * NaN for a class without samples; empty without a confusion matrix.
     */
    public double[] perClassAccuracy() {
        int[] n = samplesPerClass();
        double[] a = new double[n.length];
        for (int c = 0; c < n.length; c++) a[c] = n[c] == 0 ? Double.NaN : (double) confusion[c][c] / n[c];
        return a;
    }
}
