package dev.rectify.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads a classification set from a CSV file: one sample per line, comma-separated numbers, the class label
 * (an integer from 0) in the first or last column. A first line with a field that is not a number (column names,
 * or scikit-learn's "rows,features,class names" line) is taken as a header and skipped; blank lines are skipped; a UTF-8 byte-order mark is ignored. Gzipped files are recognised by
 * their content and decompressed. The number of classes is the largest label plus one, at most
 * {@link #MAX_CLASSES}: a larger label is refused (it is almost always a regression target or an ID column in the
 * label's place, and would silently build an enormous output layer).
 */
public final class CsvLoader {
    /** The most classes a CSV file may define: labels are class indices from 0 to {@code MAX_CLASSES - 1}. */
    public static final int MAX_CLASSES = 65_536;

    /** Where the label is. */
    public enum LabelColumn { FIRST, LAST }

    private CsvLoader() { }

    /** Loads {@code path}; errors name the file, line and column. */
    public static Dataset load(Path path, LabelColumn labelColumn) throws IOException {
        try (InputStream in = DataFiles.open(path)) {
            return parse(path.getFileName().toString(), path.toString(), in, labelColumn, true);
        }
    }

    /**
     * Loads {@code path} as a regression set: the same format, with a real-valued target (one output) in the first
     * or last column instead of a class label; errors name the file, line and column.
     */
    public static Dataset loadRegression(Path path, LabelColumn targetColumn) throws IOException {
        try (InputStream in = DataFiles.open(path)) {
            return parse(path.getFileName().toString(), path.toString(), in, targetColumn, true, true);
        }
    }

    static Dataset parse(String name, InputStream in, LabelColumn labelColumn, boolean headerAllowed) throws IOException {
        return parse(name, name, in, labelColumn, headerAllowed);
    }

    /** {@code name} names the data set, {@code where} the file in error messages. */
    static Dataset parse(String name, String where, InputStream in, LabelColumn labelColumn, boolean headerAllowed) throws IOException {
        return parse(name, where, in, labelColumn, headerAllowed, false);
    }

    private static Dataset parse(String name, String where, InputStream in, LabelColumn labelColumn, boolean headerAllowed,
                                 boolean regression) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        FloatList x = new FloatList();
        IntList labels = new IntList();
        FloatList targets = new FloatList();
        int columns = -1, lineNo = 0, maxLabel = -1;
        float[] row = null;
        for (String line; (line = r.readLine()) != null; ) {
            lineNo++;
            if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
            if (line.isBlank()) continue;
            String[] f = line.split(",", -1);
            if (columns < 0 && headerAllowed && lineNo == 1 && anyNonNumber(f)) {
                continue; // a header: column names, or scikit-learn's "rows,features,class names" line
            }
            if (columns < 0) {
                if (f.length < 2) throw new IOException(where + ":" + lineNo + ": need at least one feature and a label, found "
                        + f.length + " column(s)");
                columns = f.length;
            } else if (f.length != columns) {
                throw new IOException(where + ":" + lineNo + ": expected " + columns + " columns, found " + f.length);
            }
            if (row == null || row.length != columns) row = new float[columns];
            if (regression) {
                parseFloats(where, lineNo, f, row);
                int at = labelColumn == LabelColumn.FIRST ? 0 : columns - 1;
                for (int c = 0; c < columns; c++) if (c != at) x.add(row[c]);
                targets.add(row[at]);
                continue;
            }
            int label = parseRow(where, lineNo, f, labelColumn, row);
            for (int c = 0; c < columns - 1; c++) x.add(row[c]);
            labels.add(label);
            maxLabel = Math.max(maxLabel, label);
        }
        if (regression) {
            if (targets.size == 0) throw new IOException(where + ": no samples");
            return Dataset.regression(name, x.toArray(), columns - 1, targets.toArray(), 1);
        }
        if (labels.size == 0) throw new IOException(where + ": no samples");
        if (maxLabel < 1) throw new IOException(where + ": need at least two classes, the largest label is " + maxLabel);
        return Dataset.classification(name, x.toArray(), columns - 1, labels.toArray(), maxLabel + 1);
    }

    /**
     * One data line's fields (split at commas): the features into {@code features} (length: fields - 1) and the
     * label returned, with the checks and messages of {@link #load}; {@code where} and {@code lineNo} name the line.
     * For readers that split a file themselves (a cluster's partitions).
     *
     * @throws IOException naming the line and column of a label that is not a class index or a feature that is not a
     *         finite number
     */
    public static int parseRow(String where, long lineNo, String[] f, LabelColumn labelColumn, float[] features) throws IOException {
        int columns = f.length, labelAt = labelColumn == LabelColumn.FIRST ? 0 : columns - 1, label = -1;
        for (int c = 0, k = 0; c < columns; c++) {
            String s = f[c].trim();
            if (c == labelAt) {
                try {
                    double d = Double.parseDouble(s);
                    label = (int) d;
                    if (label != d || label < 0) throw new NumberFormatException();
                } catch (NumberFormatException e) {
                    throw new IOException(where + ":" + lineNo + ": column " + (c + 1) + ": the label must be an integer >= 0, was '" + s + "'");
                }
                if (label >= MAX_CLASSES) {
                    throw new IOException(where + ":" + lineNo + ": column " + (c + 1) + ": label " + s
                            + " is not a class index: labels must be integers from 0 to " + (MAX_CLASSES - 1)
                            + " (is the label column a target or an ID?)");
                }
            } else {
                features[k++] = finite(where, lineNo, c, s);
            }
        }
        return label;
    }

    /** Every field as a finite float, with the messages of {@link #parseRow}. */
    private static void parseFloats(String where, long lineNo, String[] f, float[] out) throws IOException {
        for (int c = 0; c < f.length; c++) out[c] = finite(where, lineNo, c, f[c].trim());
    }

    private static float finite(String where, long lineNo, int c, String s) throws IOException {
        float v;
        try {
            v = Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw new IOException(where + ":" + lineNo + ": column " + (c + 1) + ": not a number: '" + s + "'");
        }
        if (!Float.isFinite(v)) throw new IOException(where + ":" + lineNo + ": column " + (c + 1) + ": not finite: '" + s + "'");
        return v;
    }

    /** Whether a first line is a header (a field that is not a number: column names, scikit-learn's first line). */
    public static boolean isHeader(String line) {
        return anyNonNumber(line.split(",", -1));
    }

    private static boolean anyNonNumber(String[] fields) {
        for (String f : fields) if (!isNumber(f.trim())) return true;
        return false;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Rows of floats appended one array at a time, for readers built on {@link #parseRow}. */
    public static final class FloatRows {
        private final FloatList values = new FloatList();

        public void add(float[] row) {
            for (float v : row) values.add(v);
        }

        public float[] toArray() {
            return values.toArray();
        }
    }

    static final class FloatList {
        float[] a = new float[1024];
        int size;
        void add(float v) {
            if (size == a.length) a = java.util.Arrays.copyOf(a, a.length * 2);
            a[size++] = v;
        }
        float[] toArray() { return java.util.Arrays.copyOf(a, size); }
    }

    static final class IntList {
        int[] a = new int[256];
        int size;
        void add(int v) {
            if (size == a.length) a = java.util.Arrays.copyOf(a, a.length * 2);
            a[size++] = v;
        }
        int[] toArray() { return java.util.Arrays.copyOf(a, size); }
    }
}
