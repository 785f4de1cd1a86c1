package dev.rectify.kernels.internal;

import dev.rectify.kernels.Kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine a measurement ran on, as {@code rectify info} and every benchmark report state it: the CPU model, its
 * family and logical processors from {@code /proc/cpuinfo}, the SIMD features that decide the kernels' width, the vector
 * width the kernels chose, and the JDK. Figures from different host lines are not comparable.
 */
public final class Host {
    private Host() { }

    /** The CPU features that matter to the kernels, in this order when present. */
    public static final List<String> FEATURES = List.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw",
            "avx512vl", "avx512_bf16", "avx512_fp16", "asimd", "sve");

    public static String cpuModel() {
        for (String line : cpuinfo()) {
            if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        }
        return System.getProperty("os.arch") + " (model unknown)";
    }

    /** The CPU family number /proc/cpuinfo gives (25: AMD Zen 3/4, 26: Zen 5, 6: Intel Core/Xeon), or "?" . */
    public static String cpuFamily() {
        for (String line : cpuinfo()) {
            if (line.startsWith("cpu family")) return line.substring(line.indexOf(':') + 1).trim();
        }
        return "?";
    }

    /**
     * The CPU family number as an int, or -1 where /proc/cpuinfo gives none. Read once: the GEMM micro-kernel asks
     * at start-up, because Zen 4 (25) and Zen 5 (26) both report 512-bit vectors but want different blocking.
     */
    public static int cpuFamilyNumber() {
        return FamilyNumber.VALUE;
    }

    private static final class FamilyNumber {
        static final int VALUE = parseFamily(cpuFamily());

        private static int parseFamily(String family) {
            try {
                return Integer.parseInt(family);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }

    /**
     * The model name with its family number, e.g. {@code AMD EPYC (family 26)}: virtual machines often report one model
     * name for different generations (Zen 4 and Zen 5 both as "AMD EPYC"), and the family tells them apart.
     */
    public static String cpuName() {
        return cpuModel() + " (family " + cpuFamily() + ")";
    }

    public static List<String> cpuFeatures() {
        List<String> seen = new ArrayList<>();
        for (String line : cpuinfo()) {
            if (line.startsWith("flags") || line.startsWith("Features")) {
                List<String> flags = List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                for (String f : FEATURES) if (flags.contains(f)) seen.add(f);
                return seen;
            }
        }
        seen.add("(unknown: no /proc/cpuinfo)");
        return seen;
    }

    /**
     * One line: CPU model, logical processors, the widest SIMD level seen, the kernels' path and vector width, JDK.
     * For example {@code AMD EPYC (family 26), 2 logical processors, avx512f, simd 512-bit (16 float lanes), JDK 17.0.15}.
     */
    public static String line() {
        List<String> f = cpuFeatures();
        String simd = f.contains("avx512f") ? "avx512f" : f.contains("avx2") ? "avx2" : f.contains("sve") ? "sve"
                : f.contains("asimd") ? "asimd" : f.isEmpty() ? "no SIMD seen" : f.get(f.size() - 1);
        Kernels.Selection s = Kernels.selection();
        int cpus = Runtime.getRuntime().availableProcessors();
        return cpuName() + ", " + cpus + " logical processor" + (cpus == 1 ? "" : "s") + ", " + simd + ", " + s.path()
                + (s.vectorBits() > 0 ? " " + s.vectorBits() + "-bit (" + s.vectorBits() / 32 + " float lanes)" : "")
                + ", JDK " + Runtime.version();
    }

    private static List<String> cpuinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
