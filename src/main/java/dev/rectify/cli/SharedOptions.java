package dev.rectify.cli;

import dev.rectify.data.Dataset;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The options several commands share, as picocli mixins: one declaration, one default, one help text and one
 * check each. Options whose defaults differ between commands ({@code --epochs}, {@code --clip-norm}) stay with
 * their commands.
 */
final class SharedOptions {
    private SharedOptions() { }

    /** Everything train and study share: data, layers, optimizer and batch, report folder. */
    static final class Run {
        @picocli.CommandLine.Mixin
        Data data;
        @picocli.CommandLine.Mixin
        Layers layers;
        @picocli.CommandLine.Mixin
        Training training;
        @picocli.CommandLine.Mixin
        Report report;
    }

    /** Where the samples come from and how they are split: train, study, evaluate. */
    static final class Data {
        static final double DEFAULT_TEST_FRACTION = 0.25;

        @Option(names = "--data", description = "digits, spirals, mnist-shaped, csv:PATH, csv-first:PATH, idx:IMAGES,LABELS "
                + "(spark-train: any Hadoop URI, read by the executors), or a regression target of Lu et al.: abs, sin or abs2 "
                + "(two inputs, two outputs), optionally :grid:P or :uniform:P. Default: ${DEFAULT-VALUE}.", defaultValue = "digits")
        String data;
        @Option(names = "--task", description = "classification (softmax cross-entropy) or regression (mean squared error, "
                + "linear output; a CSV file's label column is then a real-valued target). Default: the data's own kind.")
        String task;
        @Option(names = "--test", paramLabel = "DATA", description = "A separate test set in the forms of --data (e.g. "
                + "MNIST's t10k files); then all of --data is for training. Default: a held-out share of --data.")
        String test;
        @Option(names = "--test-fraction", description = "Held-out share of the rows when there is no --test. Default: 0.25.")
        Double testFraction;
        @Option(names = "--split-seed", description = "Seed of the train/test split. Default: ${DEFAULT-VALUE}.", defaultValue = "1")
        long splitSeed;

        void check() {
            Specs.Task.parse("--task", task);
            if (test != null && testFraction != null) {
                throw new IllegalArgumentException("--test-fraction: not used with --test (the test set is given); drop one of them");
            }
            OptionChecks.openFraction("--test-fraction", fraction());
        }

        double fraction() {
            return testFraction == null ? DEFAULT_TEST_FRACTION : testFraction;
        }

        /** The whole data set; a bad --data value or path is an IllegalArgumentException naming --data. */
        Dataset load() throws IOException {
            return Specs.data("--data", data, task());
        }

        /** The --task given, or null for the data's own kind. */
        Specs.Task task() {
            return Specs.Task.parse("--task", task);
        }

        /** Whether the run is a regression: --task regression, or a built-in regression target as --data. */
        boolean regression() {
            Specs.Task t = task();
            return t == Specs.Task.REGRESSION || (t == null && Specs.isTarget(data));
        }

        /**
         * The train and test sets: all of {@code all} and the --test set when one is given (checked against
         * {@code all}'s shape, naming --test), else a seeded held-out share of {@code all}.
         */
        Dataset.Split split(Dataset all) throws IOException {
            check();
            if (test == null) {
                return all.split(fraction(), splitSeed);
            }
            return new Dataset.Split(all, testSetFor(all));
        }

        private Dataset testSetFor(Dataset train) throws IOException {
            Specs.Task kind = train.isClassification() ? Specs.Task.CLASSIFICATION : Specs.Task.REGRESSION;
            return conformTest(Specs.data("--test", test, kind), train.name(), train.features(), train.isClassification(), train.outputs());
        }

        /**
         * A --test set checked against the training data's shape (naming --test); a classification test set with fewer
         * classes gets the training data's class count.
         */
        static Dataset conformTest(Dataset t, String trainName, int features, boolean classification, int outputs) {
            if (t.features() != features) {
                throw new IllegalArgumentException("--test: " + t.name() + " has " + t.features() + " features per sample, --data "
                        + trainName + " has " + features);
            }
            if (t.isClassification() != classification) {
                throw new IllegalArgumentException("--test: " + t.name() + " and --data " + trainName
                        + " must both be classification or both regression data");
            }
            if (!t.isClassification()) {
                if (t.outputs() != outputs) {
                    throw new IllegalArgumentException("--test: " + t.name() + " has " + t.outputs() + " targets per sample, --data has "
                            + outputs);
                }
                return t;
            }
            if (t.classes() > outputs) {
                throw new IllegalArgumentException("--test: " + t.name() + " has labels up to " + (t.classes() - 1) + ", but --data "
                        + trainName + " has only " + outputs + " classes");
            }
            return t.classes() == outputs ? t : Dataset.classification(t.name(), t.x(), t.features(), t.labels(), outputs);
        }
    }

    /** The hidden layers: train and study. */
    static final class Layers {
        @Option(names = "--layers", description = "Hidden layer widths. Default: ${DEFAULT-VALUE}.", defaultValue = "128,128")
        String layers;
        @Option(names = "--batch-norm", description = "Batch norm before every hidden activation.")
        boolean batchNorm;

        /** {@code features}, the hidden widths, {@code outputs}. */
        int[] sizes(int features, int outputs) {
            int[] hidden = Specs.ints("--layers", layers, 1);
            int[] sizes = new int[hidden.length + 2];
            sizes[0] = features;
            System.arraycopy(hidden, 0, sizes, 1, hidden.length);
            sizes[sizes.length - 1] = outputs;
            return sizes;
        }
    }

    /** The optimizer and the batch: train and study. */
    static final class Training {
        @Option(names = "--optimizer", description = "sgd, momentum, nesterov, adam, adamw. Default: ${DEFAULT-VALUE}.", defaultValue = "sgd")
        String optimizer;
        @Option(names = "--batch", description = "Samples per batch, or full (every training sample in one batch: full-batch "
                + "gradient descent). Default: ${DEFAULT-VALUE}.", defaultValue = "32")
        String batch;

        void check() {
            if (!isFull()) OptionChecks.positiveInt("--batch", parse());
            Specs.optimizer("--optimizer", optimizer, 0.01, null, 0);
        }

        boolean isFull() {
            return batch.trim().equals("full");
        }

        /** The batch size for {@code rows} training samples. */
        int size(long rows) {
            if (!isFull()) return parse();
            if (rows > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("--batch full: " + rows + " rows do not fit one batch");
            return (int) Math.max(1, rows);
        }

        private int parse() {
            try {
                return Integer.parseInt(batch.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--batch must be a positive number of samples or full, was '" + batch + "'");
            }
        }
    }

    /** The report folder: train and study. */
    static final class Report {
        /** What a folder holds when a run already wrote its report there. */
        static final List<String> REPORT_FILES = List.of("index.html", "results.csv", "results.json", "model.ckpt");
        private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

        @Option(names = "--out", paramLabel = "FOLDER", description = "Report folder. Default: a new folder per run, "
                + "runs/COMMAND-DATE-TIME.")
        Path out;
        @Option(names = "--overwrite", description = "Replace the report that --out already holds (refused otherwise).")
        boolean overwrite;

        private Path chosen;

        /** Checks --out, or picks the new default folder for {@code command}; nothing is written yet. */
        void check(String command) {
            if (out == null) {
                chosen = freshFolder(Path.of("runs"), command, LocalDateTime.now());
                OptionChecks.writableFolder("--out", chosen);
                return;
            }
            OptionChecks.writableFolder("--out", out);
            if (!overwrite) {
                for (String f : REPORT_FILES) {
                    if (Files.exists(out.resolve(f))) {
                        throw new IllegalArgumentException("--out: " + out + " already holds a report (" + f
                                + "); choose another folder, or add --overwrite to replace it");
                    }
                }
            }
            chosen = out;
        }

        /** The folder this run writes to (after {@link #check}). */
        Path folder() {
            if (chosen == null) throw new IllegalStateException("check the report folder first");
            return chosen;
        }

        /** {@code parent/COMMAND-yyyyMMdd-HHmmss}, with -2, -3, ... when that exists already. */
        static Path freshFolder(Path parent, String command, LocalDateTime now) {
            String base = command + "-" + STAMP.format(now);
            Path p = parent.resolve(base);
            for (int i = 2; Files.exists(p); i++) p = parent.resolve(base + "-" + i);
            return p;
        }
    }
}
