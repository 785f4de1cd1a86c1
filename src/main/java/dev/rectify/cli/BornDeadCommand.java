package dev.rectify.cli;

import dev.rectify.data.Synthetic;
import dev.rectify.diagnostics.BornDeadEstimator;
import dev.rectify.kernels.Kernels;
import dev.rectify.nn.Init;
import dev.rectify.report.HistoryExport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code rectify born-dead}: how often is a deep narrow network dead before training starts? After Lu, Shin, Su
 * and Karniadakis (arXiv 1903.06733). A network is born dead when some hidden layer has every pre-activation
 * {@code <= 0} on every input of the set; for activations that keep a gradient there (leaky variants, ELU, ...)
 * the same test reports "every unit of some layer in the negative regime".
 */
@Command(name = "born-dead", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Monte Carlo estimate of the probability that a deep narrow network is born dead "
                + "(Lu et al., arXiv 1903.06733): some hidden layer has every pre-activation <= 0 on every input.",
                "Example: rectify born-dead --width 2 --depth 2..20 --trials 10000 --init he-normal --bias init"})
final class BornDeadCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--width", description = "Units per hidden layer (N). Default: ${DEFAULT-VALUE}.", defaultValue = "2")
    int width;

    @Option(names = "--depth", description = "Hidden layers (H): a number, a range a..b or a list. Default: ${DEFAULT-VALUE}.",
            defaultValue = "10")
    String depth;

    @Option(names = "--input-dim", description = "Input dimension d. Default: ${DEFAULT-VALUE}.", defaultValue = "1")
    int inputDim;

    @Option(names = "--inputs", description = "grid:P (P evenly spaced points per dimension in [-1, 1]), uniform:P "
            + "(P points uniform in [-1, 1]^d) or points:V1,V2,... (given points, --input-dim values each, e.g. points:1 "
            + "for the paper's single point x = 1). Default: ${DEFAULT-VALUE}.", defaultValue = "grid:101")
    String inputs;

    @Option(names = "--trials", description = "Networks drawn per depth. Default: ${DEFAULT-VALUE}.", defaultValue = "1000")
    int trials;

    @Option(names = "--init", completionCandidates = Specs.InitNames.class,
            description = "One of ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.", defaultValue = "he-normal")
    String init;

    @Option(names = "--bias", description = "zero, a constant, or init (each bias drawn like its unit's weights). "
            + "RAI always draws the bias as one of the unit's parameters. Default: ${DEFAULT-VALUE}.", defaultValue = "zero")
    String bias;

    @Option(names = "--activation", completionCandidates = Specs.ActivationNames.class,
            description = "Hidden activation, one of ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.", defaultValue = "relu")
    String activation;

    @Option(names = "--seed", description = "Seed of the draws. Default: ${DEFAULT-VALUE}.", defaultValue = "1")
    long seed;

    @Option(names = "--csv", description = "Write width,depth,trials,born_dead,probability,ci_low,ci_high to FILE "
            + "and the per-layer dead fractions to FILE with -layers before its extension.")
    Path csv;

    @Option(names = "--output-csv", paramLabel = "FILE", description = "Write every network's verdict to FILE: width, depth, "
            + "trial, network_seed, born_dead, first_dead_layer (1-based, 0 when alive), inactive_units, hidden_units.")
    Path outputCsv;

    @Override
    public Integer call() throws Exception {
        int[] depths;
        dev.rectify.diagnostics.StudyGrid.Activation act;
        Init in;
        Init.Bias b;
        float[] x;
        try {
            OptionChecks.positiveInt("--width", width);
            OptionChecks.positiveInt("--input-dim", inputDim);
            OptionChecks.positiveInt("--trials", trials);
            if (csv != null) OptionChecks.writableFile("--csv", csv);
            if (outputCsv != null) OptionChecks.writableFile("--output-csv", outputCsv);
            if (csv != null && outputCsv != null && (csv.toAbsolutePath().normalize().equals(outputCsv.toAbsolutePath().normalize())
                    || layersFile(csv).toAbsolutePath().normalize().equals(outputCsv.toAbsolutePath().normalize()))) {
                throw new IllegalArgumentException("--output-csv: " + outputCsv + " is also written by --csv; choose another file");
            }
            depths = Specs.ints("--depth", depth, 1);
            for (int h : depths) {
                if (h > BornDeadEstimator.MAX_DEPTH) throw new IllegalArgumentException("--depth: at most " + BornDeadEstimator.MAX_DEPTH + ", was " + h);
            }
            act = Specs.activation("--activation", activation);
            if (act.prelu()) throw new IllegalArgumentException("--activation: prelu is learned; use leaky-relu with its initial slope");
            in = Specs.init("--init", init);
            b = Specs.bias("--bias", bias);
            x = inputs(inputs, inputDim, seed);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        BornDeadEstimator estimator;
        try {
            estimator = new BornDeadEstimator(inputDim, width, x, act.eltwise(), in, b, Kernels.gemm());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--width: " + e.getMessage());
        }
        boolean dies = estimator.inactiveMeansDead();
        System.out.printf(Locale.ROOT, "born-dead: width %d, input dim %d, %s inputs (%d points), %s, init %s, bias %s, %d trials per depth%n",
                width, inputDim, inputs, x.length / inputDim, act.name(), in.cliName(), in.isRai() ? "(" + in.cliName() + ")" : b, trials);
        System.out.println(dies ? "born dead: some hidden layer has every pre-activation <= 0 on every input"
                : "for " + act.name() + " units still get gradient there: reporting 'every unit of some layer in the negative regime'");
        StringBuilder main = new StringBuilder("width,depth,trials,born_dead,probability,ci_low,ci_high\n");
        StringBuilder layers = new StringBuilder("width,depth,layer,mean_dead_fraction\n");
        StringBuilder verdicts = outputCsv == null ? null
                : new StringBuilder("width,depth,trial,network_seed,born_dead,first_dead_layer,inactive_units,hidden_units\n");
        long t0 = System.nanoTime();
        for (int h : depths) {
            BornDeadEstimator.Estimate r = estimator.estimate(h, trials, seed);
            double[] ci = r.wilson95();
            double p = r.probability();
            StringBuilder per = new StringBuilder();
            for (double f : r.meanInactiveFraction()) per.append(String.format(Locale.ROOT, " %.2f", f));
            System.out.printf(Locale.ROOT, "depth %3d: %6d of %d born dead, p = %.4f  95%% CI [%.4f, %.4f]   mean dead fraction per layer:%s%n",
                    h, r.bornDead(), trials, p, ci[0], ci[1], per);
            main.append(String.format(Locale.ROOT, "%d,%d,%d,%d,%s,%s,%s%n", width, h, trials, r.bornDead(), p, ci[0], ci[1]));
            for (int l = 0; l < r.meanInactiveFraction().length; l++) {
                layers.append(String.format(Locale.ROOT, "%d,%d,%d,%s%n", width, h, l + 1, r.meanInactiveFraction()[l]));
            }
            if (verdicts != null) {
                for (int t = 0; t < trials; t++) {
                    int first = r.firstDeadLayer()[t];
                    verdicts.append(width).append(',').append(h).append(',').append(t).append(',')
                            .append(BornDeadEstimator.networkSeed(seed, h, t)).append(',').append(first != 0).append(',')
                            .append(first).append(',').append(r.inactiveUnits()[t]).append(',').append((long) h * width).append('\n');
                }
            }
        }
        System.err.printf(Locale.ROOT, "%.2f s%n", (System.nanoTime() - t0) / 1e9);
        if (csv != null) {
            HistoryExport.writeAtomically(csv, main.toString());
            Path layerFile = layersFile(csv);
            HistoryExport.writeAtomically(layerFile, layers.toString());
            System.out.println("wrote " + csv + " and " + layerFile);
        }
        if (verdicts != null) {
            HistoryExport.writeAtomically(outputCsv, verdicts.toString());
            System.out.println("wrote " + outputCsv + " (" + depths.length * (long) trials + " networks)");
        }
        return 0;
    }

    static Path layersFile(Path csv) {
        String name = csv.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String n = dot > 0 ? name.substring(0, dot) + "-layers" + name.substring(dot) : name + "-layers";
        return csv.resolveSibling(n);
    }

    /** The most input values (points x input dimension) an input set may have: 64 MiB of floats. */
    static final long MAX_INPUT_VALUES = 1L << 24;

    static float[] inputs(String spec, int dims, long seed) {
        if (spec.startsWith("points:")) return points(spec, dims);
        String[] p = spec.split(":");
        if (p.length == 2) {
            int n;
            try {
                n = Integer.parseInt(p[1]);
            } catch (NumberFormatException e) {
                n = -1;
            }
            long values = dims;
            for (int d = 0; d < (p[0].equals("grid") ? dims : 1) && n > 0 && values <= MAX_INPUT_VALUES; d++) values *= n;
            if (n > 0 && values > MAX_INPUT_VALUES) {
                throw new IllegalArgumentException("--inputs: " + spec + " in " + dims + " dimensions is more than "
                        + MAX_INPUT_VALUES + " input values");
            }
            if (p[0].equals("grid") && n >= 2) return Synthetic.grid(n, dims);
            if (p[0].equals("uniform") && n >= 1) return Synthetic.uniformCube(n, dims, seed);
        }
        throw new IllegalArgumentException("--inputs must be grid:P (P >= 2), uniform:P (P >= 1) or points:V1,V2,..., was '" + spec + "'");
    }

    /** points:V1,V2,...: finite values, a whole number of points of {@code dims} values. */
    private static float[] points(String spec, int dims) {
        String body = spec.substring("points:".length());
        String[] v = body.split(",", -1);
        if (body.isBlank() || v.length % dims != 0 || v.length > MAX_INPUT_VALUES) {
            throw new IllegalArgumentException("--inputs: " + spec + " must list a whole number of points of --input-dim " + dims
                    + " values each (had " + (body.isBlank() ? 0 : v.length) + " values)");
        }
        float[] x = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            float f;
            try {
                f = Float.parseFloat(v[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--inputs: value " + (i + 1) + " of " + spec + " is not a number: '" + v[i] + "'");
            }
            if (!Float.isFinite(f)) throw new IllegalArgumentException("--inputs: value " + (i + 1) + " of " + spec + " is not finite as a float");
            x[i] = f;
        }
        return x;
    }
}
