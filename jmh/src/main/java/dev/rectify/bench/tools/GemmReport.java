package dev.rectify.bench.tools;

import dev.rectify.bench.kernels.FusedLayerBenchmark;
import dev.rectify.bench.kernels.GemmBenchmark;
import dev.rectify.bench.kernels.PeakBenchmark;

import dev.rectify.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns JMH JSON results of {@link GemmBenchmark}, {@link FusedLayerBenchmark} and {@link PeakBenchmark}
 * into the Markdown GEMM report: GFLOPS per implementation, the ratios to OpenBLAS and EJML, the fraction of
 * the measured FMA peak, two-thread scaling and the fused dense layer.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp target/benchmarks.jar dev.rectify.bench.GemmReport OUTPUT.md DIR...</pre>
 * (the flag because the report reads the vector width that PeakBenchmark measured with)
 */
public final class GemmReport {
    record Score(double usPerOp, double errorUs) {
        double relError() {
            return usPerOp == 0 ? 0 : errorUs / usPerOp;
        }
    }

    static final String[] IMPLS = {"simd", "scalar", "loop", "ejml", "openblas"};

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: GemmReport OUTPUT.md RESULTS.json|DIR ...");
            System.exit(2);
        }
        List<JmhResults.Result> results = JmhResults.load(java.util.Arrays.asList(args).subList(1, args.length));
        String md = render(results);
        Path out = Path.of(args[0]);
        AtomicFiles.writeString(out, md);
        System.out.println("wrote " + out + " (" + results.size() + " results)");
    }

    /** The Markdown report of the GEMM, fused-layer and peak results among {@code results}; "" when there are none. */
    static String render(List<JmhResults.Result> results) throws IOException {
        Map<String, Score> gemm = new LinkedHashMap<>(), fused = new LinkedHashMap<>();
        Set<String> shapes = new LinkedHashSet<>();
        double peakNsPerFma = Double.NaN, peakErr = 0;
        String jdk = "?", vm = "?";
        for (JmhResults.Result r : results) {
            if (r.is("PeakBenchmark.fma")) {
                if (!"ns/op".equals(r.unit())) throw new IOException(r.benchmark() + ": peak in " + r.unit() + ", expected ns/op");
                peakNsPerFma = r.score();
                peakErr = r.error();
                jdk = r.jdk();
                vm = r.vm();
                continue;
            }
            boolean g = r.is("GemmBenchmark.run"), f = r.is("FusedLayerBenchmark.run");
            if (!g && !f) continue;
            jdk = r.jdk();
            vm = r.vm();
            if (!"us/op".equals(r.unit())) throw new IOException(r.benchmark() + " in " + r.unit() + ", expected us/op");
            if (g) {
                shapes.add(r.param("shape"));
                gemm.put(r.param("impl") + "|" + r.param("shape") + "|" + r.param("threads"), new Score(r.score(), r.error()));
            } else {
                fused.put(r.param("impl") + "|" + r.param("shape"), new Score(r.score(), r.error()));
            }
        }
        if (gemm.isEmpty() && fused.isEmpty() && Double.isNaN(peakNsPerFma)) return "";
        return render(gemm, fused, shapes, peakNsPerFma, peakErr, jdk, vm);
    }

    static double flops(String shape) {
        int[] s = GemmBenchmark.parse(shape);
        return 2.0 * s[0] * s[1] * s[2];
    }

    static String gflops(Score s, String shape) {
        return s == null ? "-" : String.format(Locale.ROOT, "%.1f ± %.0f%%", flops(shape) / s.usPerOp / 1e3, 100 * s.relError());
    }

    static String ratio(Score ours, Score theirs) {
        return ours == null || theirs == null ? "-" : String.format(Locale.ROOT, "%.2fx", theirs.usPerOp / ours.usPerOp);
    }

    static String render(Map<String, Score> g, Map<String, Score> fused, Set<String> shapes, double peakNs,
                         double peakErr, String jdk, String vm) {
        StringBuilder b = new StringBuilder();
        int lanes = PeakBenchmark.lanes();
        double peakGflops = Double.isNaN(peakNs) ? Double.NaN : 2.0 * lanes / peakNs;
        b.append("# Rectify SGEMM: JMH report\n\n");
        b.append("- Date: ").append(LocalDate.now()).append('\n');
        b.append("- ").append(HostLine.markdown()).append(" (the machine that rendered this report, right after the run)\n");
        b.append("- JDK: ").append(jdk).append(" (").append(vm).append(")\n");
        if (!Double.isNaN(peakGflops)) {
            b.append(String.format(Locale.ROOT, "- Measured single-core fp32 FMA peak (PeakBenchmark, %d-lane vectors): "
                            + "%.1f GFLOPS ± %.0f%%, one %d-lane FMA every %.3f ns (how many FMA pipes a vector of this width "
                            + "gets differs by CPU: Zen 4 runs a 512-bit FMA as two 256-bit halves)\n",
                    lanes, peakGflops, 100 * peakErr / peakNs, lanes, peakNs));
        }
        b.append("- GFLOPS = 2 m k n / time; ± is JMH's 99.9% confidence half-width relative to the score. "
                + "Ratios compare times measured in the same run.\n\n");
        for (String threads : new String[] {"1", "2"}) {
            if (g.keySet().stream().noneMatch(key -> key.endsWith("|" + threads))) continue; // not measured: no empty table
            b.append("## ").append(threads).append(threads.equals("1") ? " thread" : " threads").append("\n\n");
            b.append("| shape (MxKxN) | simd | scalar | loop | EJML | OpenBLAS | simd/OpenBLAS | simd/EJML | simd of peak |\n");
            b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (String shape : shapes) {
                Score simd = g.get("simd|" + shape + "|" + threads);
                if (simd == null && g.get("openblas|" + shape + "|" + threads) == null) continue;
                b.append("| ").append(shape);
                for (String impl : IMPLS) b.append(" | ").append(gflops(g.get(impl + "|" + shape + "|" + threads), shape));
                b.append(" | ").append(ratio(simd, g.get("openblas|" + shape + "|" + threads)));
                b.append(" | ").append(ratio(simd, g.get("ejml|" + shape + "|1")));
                double ofPeak = simd == null ? Double.NaN
                        : flops(shape) / simd.usPerOp / 1e3 / (peakGflops * Integer.parseInt(threads));
                b.append(" | ").append(Double.isNaN(ofPeak) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * ofPeak));
                b.append(" |\n");
            }
            b.append('\n');
        }
        StringBuilder scaling = new StringBuilder();
        for (String shape : shapes) {
            Score one = g.get("simd|" + shape + "|1"), two = g.get("simd|" + shape + "|2");
            if (one != null && two != null) scaling.append("| ").append(shape).append(" | ").append(ratio(two, one)).append(" |\n");
        }
        if (scaling.length() > 0) {
            b.append("## Two-thread scaling of Rectify's SIMD GEMM\n\n| shape | 2 threads / 1 thread |\n|---|---:|\n").append(scaling);
        }
        if (!fused.isEmpty()) {
            b.append("\n## Fused dense layer, Y = relu(X W + bias), 1 thread\n\n");
            b.append("| shape (batch x in x out) | fused (µs) | OpenBLAS + bias/ReLU pass (µs) | speedup |\n|---|---:|---:|---:|\n");
            Set<String> fs = new LinkedHashSet<>();
            for (String key : fused.keySet()) fs.add(key.substring(key.indexOf('|') + 1));
            for (String shape : fs) {
                Score f = fused.get("fused|" + shape), o = fused.get("openblas|" + shape);
                b.append("| ").append(shape).append(" | ")
                        .append(f == null ? "-" : String.format(Locale.ROOT, "%.1f ± %.0f%%", f.usPerOp, 100 * f.relError()))
                        .append(" | ")
                        .append(o == null ? "-" : String.format(Locale.ROOT, "%.1f ± %.0f%%", o.usPerOp, 100 * o.relError()))
                        .append(" | ").append(ratio(f, o)).append(" |\n");
            }
        }
        return b.toString();
    }
}
