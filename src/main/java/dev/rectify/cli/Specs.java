package dev.rectify.cli;

import dev.rectify.data.CsvLoader;
import dev.rectify.data.Dataset;
import dev.rectify.data.Digits;
import dev.rectify.data.IdxLoader;
import dev.rectify.data.Synthetic;
import dev.rectify.diagnostics.StudyGrid;
import dev.rectify.kernels.Algorithm;
import dev.rectify.kernels.Eltwise;
import dev.rectify.nn.Init;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parsing of the command line's small languages; every error names the option and the accepted forms. */
final class Specs {
    private Specs() { }

    /** An activation by name ({@link Algorithm#fromName}), plus prelu; gelu keeps its short name in reports. */
    /** The activation names the options take, for their help (picocli's completion candidates). */
    static final class ActivationNames extends java.util.ArrayList<String> {
        ActivationNames() {
            add("prelu");
            add("gelu");
            for (Algorithm a : Algorithm.values()) add(kebab(a.apiName()));
        }
    }

    /** The initializer names, for the help. */
    static final class InitNames extends java.util.ArrayList<String> {
        InitNames() {
            for (Init i : Init.values()) add(i.cliName());
        }
    }

    static StudyGrid.Activation activation(String option, String s) {
        String k = s.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        if (k.equals("prelu")) return StudyGrid.Activation.ofPrelu();
        Algorithm a;
        try {
            a = Algorithm.fromName(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": unknown activation '" + s + "'; known: "
                    + String.join(", ", new ActivationNames()));
        }
        // "gelu" keeps its short name in reports: it is the study's label for GELU (erf).
        String name = k.equals("gelu") ? "gelu" : kebab(a.apiName());
        return StudyGrid.Activation.of(name, Eltwise.defaults(a));
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    static Init init(String option, String s) {
        for (Init i : Init.values()) if (i.cliName().equals(s.trim())) return i;
        throw new IllegalArgumentException(option + ": unknown initializer '" + s + "'; known: " + String.join(", ", new InitNames()));
    }

    /** zero, init (drawn like the weights) or a number. */
    static Init.Bias bias(String option, String s) {
        String t = s.trim();
        if (t.equals("zero")) return Init.Bias.zero();
        if (t.equals("init")) return Init.Bias.likeWeights();
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": bias must be zero, init or a number, was '" + s + "'");
        }
        if (!Float.isFinite((float) v)) {
            throw new IllegalArgumentException(option + ": bias must be finite as a float (|bias| <= " + Float.MAX_VALUE + "), was " + s);
        }
        return Init.Bias.constant(v);
    }

    /** An initializer with an optional bias rule, INIT[:BIAS], e.g. he-normal, he-normal:-1, normal:init. */
    static StudyGrid.Initialization initSpec(String option, String s) {
        int colon = s.indexOf(':');
        Init i = init(option, colon < 0 ? s : s.substring(0, colon));
        Init.Bias b = colon < 0 ? Init.Bias.zero() : bias(option, s.substring(colon + 1));
        return new StudyGrid.Initialization(i, b);
    }

    /** The most values a list or range option expands to. */
    static final int MAX_VALUES = 100_000;

    static int[] ints(String option, String s, int min) {
        List<Integer> out = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            String p = part.trim();
            try {
                int dots = p.indexOf("..");
                if (dots > 0) {
                    int from = Integer.parseInt(p.substring(0, dots).trim()), to = Integer.parseInt(p.substring(dots + 2).trim());
                    if (to < from) throw new IllegalArgumentException(option + ": empty range '" + p + "'");
                    if ((long) to - from + 1 + out.size() > MAX_VALUES) {
                        throw new IllegalArgumentException(option + ": '" + p + "' expands to more than " + MAX_VALUES + " values");
                    }
                    for (long v = from; v <= to; v++) out.add((int) v);
                } else {
                    out.add(Integer.parseInt(p));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": expected integers, ranges a..b or comma-separated lists, was '" + s + "'");
            }
            if (out.size() > MAX_VALUES) throw new IllegalArgumentException(option + ": more than " + MAX_VALUES + " values");
        }
        for (int v : out) if (v < min) throw new IllegalArgumentException(option + ": values must be >= " + min + ", was " + v);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    static double[] doubles(String option, String s) {
        String[] parts = s.split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": expected numbers, was '" + s + "'");
            }
            OptionChecks.positiveFloat(option, out[i]);
        }
        return out;
    }

    /**
     * Learning rates: a list, or log:LO:HI:N for N values evenly spaced in log scale from LO to HI (both included),
     * each rounded to 3 significant digits so that reports show the rates a user would type.
     */
    static double[] rates(String option, String s) {
        String t = s.trim();
        if (!t.startsWith("log:")) return doubles(option, t);
        String[] p = t.substring(4).split(":", -1);
        double lo, hi;
        int n;
        try {
            if (p.length != 3) throw new NumberFormatException();
            lo = Double.parseDouble(p[0]);
            hi = Double.parseDouble(p[1]);
            n = Integer.parseInt(p[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": log:LO:HI:N needs two rates and a count, was '" + s + "'");
        }
        OptionChecks.positiveFloat(option, lo);
        OptionChecks.positiveFloat(option, hi);
        if (!(lo < hi) || n < 2 || n > 1000) {
            throw new IllegalArgumentException(option + ": log:LO:HI:N needs LO < HI and 2 <= N <= 1000, was '" + s + "'");
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double v = Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * i / (n - 1));
            out[i] = new java.math.BigDecimal(v).round(new java.math.MathContext(3)).doubleValue();
        }
        return out;
    }

    static List<String> list(String s) {
        List<String> out = new ArrayList<>();
        for (String p : s.split(",")) if (!p.isBlank()) out.add(p.trim());
        return out;
    }

    /** What a network learns: class labels (softmax cross-entropy) or real-valued targets (mean squared error). */
    enum Task {
        CLASSIFICATION, REGRESSION;

        static Task parse(String option, String s) {
            if (s == null) return null;
            switch (s.trim()) {
                case "classification": return CLASSIFICATION;
                case "regression": return REGRESSION;
                default: throw new IllegalArgumentException(option + " must be classification or regression, was '" + s + "'");
            }
        }
    }

    /**
     * digits | spirals | mnist-shaped | csv:PATH (label in the last column; csv-first:PATH for the first) |
     * idx:IMAGES,LABELS | a regression target abs, sin or abs2, optionally :grid:P or :uniform:P (default grid:101 in
     * one dimension, grid:21 in two). {@code task} null takes the data's own kind; REGRESSION reads a CSV file's
     * label column as a real-valued target.
     */
    static Dataset data(String option, String s, Task task) throws IOException {
        String t = s.trim();
        Dataset target = target(option, t);
        if (target != null) {
            if (task == Task.CLASSIFICATION) {
                throw new IllegalArgumentException("--task classification: " + option + " " + t + " is a regression target");
            }
            return target;
        }
        boolean csv = t.startsWith("csv:") || t.startsWith("csv-first:");
        if (task == Task.REGRESSION && !csv) {
            throw new IllegalArgumentException("--task regression: " + option + " " + t + " has class labels; regression takes "
                    + "abs, sin, abs2 or csv:PATH with a real-valued target column");
        }
        if (csv) {
            CsvLoader.LabelColumn col = t.startsWith("csv:") ? CsvLoader.LabelColumn.LAST : CsvLoader.LabelColumn.FIRST;
            Path p = readable(option, t.substring(t.indexOf(':') + 1));
            if (task == Task.REGRESSION) return CsvLoader.loadRegression(p, col);
            try {
                return CsvLoader.load(p, col);
            } catch (IOException e) {
                if (task != null || !e.getMessage().contains("the label must be an integer")) throw e;
                throw new IOException(e.getMessage() + " (for a real-valued target add --task regression)", e);
            }
        }
        if (t.equals("digits")) return Digits.load();
        if (t.equals("spirals")) return Synthetic.twoSpirals(500, 0.05, 1);
        if (t.equals("mnist-shaped")) return Synthetic.mnistShaped(4096, 1);
        if (t.startsWith("idx:")) {
            String[] p = t.substring(4).split(",", -1);
            if (p.length != 2) throw new IllegalArgumentException(option + ": idx needs two files, idx:IMAGES,LABELS");
            return IdxLoader.load(readable(option, p[0]), readable(option, p[1]));
        }
        throw new IllegalArgumentException(option + ": unknown data set '" + s
                + "'; use digits, spirals, mnist-shaped, abs, sin, abs2, csv:PATH, csv-first:PATH or idx:IMAGES,LABELS");
    }

    /** Whether {@code s} names a built-in regression target (abs, sin, abs2 with or without its sampling). */
    static boolean isTarget(String s) {
        return Synthetic.Target.named(s.trim().split(":", 2)[0]) != null;
    }

    /** abs|sin|abs2[:grid:P|:uniform:P], or null for any other name. */
    private static Dataset target(String option, String t) {
        String[] p = t.split(":", -1);
        Synthetic.Target target = Synthetic.Target.named(p[0]);
        if (target == null) return null;
        if (p.length == 1) return Synthetic.regression(target, true, target.inputs() == 1 ? 101 : 21, 1);
        int n = -1;
        if (p.length == 3) {
            try {
                n = Integer.parseInt(p[2]);
            } catch (NumberFormatException e) {
                n = -1;
            }
        }
        boolean grid = p.length == 3 && p[1].equals("grid");
        if (p.length != 3 || !(grid || p[1].equals("uniform")) || n < (grid ? 2 : 1)) {
            throw new IllegalArgumentException(option + ": " + t + " must be " + p[0] + ", " + p[0] + ":grid:P (P >= 2 points per "
                    + "dimension) or " + p[0] + ":uniform:P (P >= 1 points)");
        }
        long values = target.inputs();
        for (int d = 0; d < (grid ? target.inputs() : 1); d++) values *= n;
        if (values > MAX_GENERATED_VALUES) {
            throw new IllegalArgumentException(option + ": " + t + " is more than " + MAX_GENERATED_VALUES + " input values");
        }
        return Synthetic.regression(target, grid, n, 1);
    }

    /** The most input values a generated regression set may have: 64 MiB of floats. */
    static final long MAX_GENERATED_VALUES = 1L << 24;

    /** A data file named on the command line: a bad path is a usage error (exit 2), checked before loading. */
    static Path readable(String option, String path) {
        if (path.isBlank()) throw new IllegalArgumentException(option + ": a file name is missing");
        Path p;
        try {
            p = Path.of(path);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(option + ": not a valid path: '" + path + "'");
        }
        OptionChecks.readableFile(option, p);
        return p;
    }

    /**
     * An optimizer by name with PyTorch's defaults: {@code sgd} takes {@code --momentum} when given (0 otherwise, as
     * torch.optim.SGD), {@code momentum} and {@code nesterov} default to momentum 0.9; Adam and AdamW take no
     * momentum (their betas are 0.9 and 0.999) and refuse one.
     */
    static dev.rectify.nn.Optimizer optimizer(String option, String s, double lr, Double momentum, double weightDecay) {
        String name = s.trim();
        switch (name) {
            case "sgd": return dev.rectify.nn.Optimizer.sgd(lr).momentum(momentum == null ? 0 : momentum).weightDecay(weightDecay);
            case "momentum": return dev.rectify.nn.Optimizer.sgd(lr).momentum(momentum == null ? 0.9 : momentum).weightDecay(weightDecay);
            case "nesterov": return dev.rectify.nn.Optimizer.sgd(lr).momentum(momentum == null ? 0.9 : momentum).nesterov().weightDecay(weightDecay);
            case "adam": case "adamw":
                if (momentum != null) {
                    throw new IllegalArgumentException("--momentum: " + name + " has no momentum option (its betas are 0.9 and 0.999)");
                }
                return name.equals("adamw") ? dev.rectify.nn.Optimizer.adamW(lr, weightDecay)
                        : dev.rectify.nn.Optimizer.adam(lr).weightDecay(weightDecay);
            default: throw new IllegalArgumentException(option + ": unknown optimizer '" + s + "'; known: sgd, momentum, nesterov, adam, adamw");
        }
    }

    /** constant | cosine | step:EVERY:GAMMA, optionally with warm-up epochs. */
    static dev.rectify.nn.Schedule schedule(String option, String s, int warmup) {
        String t = s.trim();
        dev.rectify.nn.Schedule base;
        if (t.equals("constant")) base = dev.rectify.nn.Schedule.constant();
        else if (t.equals("cosine")) base = dev.rectify.nn.Schedule.cosine();
        else if (t.startsWith("step:")) {
            String[] p = t.split(":");
            if (p.length != 3) throw new IllegalArgumentException(option + ": step schedule is step:EVERY:GAMMA, was '" + s + "'");
            try {
                base = dev.rectify.nn.Schedule.step(Integer.parseInt(p[1]), Double.parseDouble(p[2]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": step schedule is step:EVERY:GAMMA, was '" + s + "'");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage());
            }
        } else {
            throw new IllegalArgumentException(option + ": unknown schedule '" + s + "'; known: constant, cosine, step:EVERY:GAMMA");
        }
        return warmup > 0 ? dev.rectify.nn.Schedule.warmup(warmup, base) : base;
    }
}
