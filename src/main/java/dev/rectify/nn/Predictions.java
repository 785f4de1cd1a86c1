package dev.rectify.nn;

/** The predicted class of a row of outputs is its largest output, the first of equals: counting right answers. */
final class Predictions {
    private Predictions() { }

    /** Rows whose largest output (the first of equals) is the label {@code labels[labelsOff + row]}. */
    static int countCorrect(float[] out, int b, int outs, int[] labels, int labelsOff) {
        int correct = 0;
        for (int r = 0; r < b; r++) {
            int best = 0;
            for (int j = 1; j < outs; j++) if (out[r * outs + j] > out[r * outs + best]) best = j;
            if (best == labels[labelsOff + r]) correct++;
        }
        return correct;
    }

    /** As {@link #countCorrect}, also counting each row in {@code confusion[label][prediction]}. */
    static int tally(float[] out, int b, int outs, int[] labels, int labelsOff, int[][] confusion) {
        int correct = 0;
        for (int r = 0; r < b; r++) {
            int best = 0;
            for (int j = 1; j < outs; j++) if (out[r * outs + j] > out[r * outs + best]) best = j;
            int label = labels[labelsOff + r];
            confusion[label][best]++;
            if (best == label) correct++;
        }
        return correct;
    }
}
