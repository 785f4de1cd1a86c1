package dev.rectify.cli;

import dev.rectify.kernels.Kernels;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code rectify info}: the JVM, the kernel path and why, the vector width, the CPU and its SIMD features. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the JDK, the kernel path chosen and why, the vector species and the CPU's SIMD features.")
final class InfoCommand implements Callable<Integer> {
    static final String[] FEATURES = {"sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl",
            "avx512_bf16", "avx512_fp16", "asimd", "sve"};

    @Override
    public Integer call() {
        Kernels.Selection s = Kernels.selection();
        System.out.println("JDK:          " + System.getProperty("java.vm.name") + " " + Runtime.version()
                + " (" + System.getProperty("java.vendor") + ")");
        System.out.println("Vector API:   " + (Kernels.vectorModulePresent() ? "jdk.incubator.vector present"
                : "jdk.incubator.vector absent (start the JVM with " + Kernels.FLAG + ")"));
        System.out.println("Kernel path:  " + s.path() + " — " + s.reason());
        if (s.vectorBits() > 0) {
            System.out.println("Species:      FloatVector " + s.vectorBits() + "-bit, " + s.vectorBits() / 32 + " float lanes");
        }
        System.out.println("GEMM:         " + s.gemm().name() + ", " + Terminal.count(Runtime.getRuntime().availableProcessors(), "thread"));
        System.out.println("CPU:          " + cpuModel() + ", " + Terminal.count(Runtime.getRuntime().availableProcessors(), "logical processor"));
        System.out.println("SIMD seen:    " + String.join(" ", cpuFeatures()));
        System.out.println("Override:     -D" + Kernels.PROPERTY + "=auto|simd|scalar");
        return 0;
    }

    static String cpuModel() {
        for (String line : cpuinfo()) {
            if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        }
        return System.getProperty("os.arch") + " (model unknown)";
    }

    static List<String> cpuFeatures() {
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

    private static List<String> cpuinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
