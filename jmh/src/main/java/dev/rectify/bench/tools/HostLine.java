package dev.rectify.bench.tools;

import dev.rectify.kernels.internal.Host;

/** What every benchmark report states about the machine that made it, so that no figure is compared across hosts. */
public final class HostLine {
    private HostLine() {
    }

    /**
     * A Markdown paragraph: {@code ./rectify info}'s host line (model, family, width, JDK), the SIMD features seen, the JVM, and
     * the OpenBLAS pinning environment variables when set (they choose its kernel).
     */
    public static String markdown() {
        String pin = System.getenv("OPENBLAS_CORETYPE");
        boolean vectorApi = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        java.util.List<String> f = Host.cpuFeatures();
        int cpus = Runtime.getRuntime().availableProcessors();
        // A renderer started without the Vector API would call its own path scalar: give the CPU's width instead.
        String line = vectorApi ? Host.line() : Host.cpuName() + ", " + cpus + " logical processors, "
                + (f.contains("avx512f") ? "avx512f (512-bit vectors, 16 float lanes)" : f.contains("avx2") ? "avx2 (256-bit vectors, 8 float lanes)"
                : "no AVX2") + ", JDK " + Runtime.version();
        return "Host: `" + line + "`; SIMD features seen: "
                + String.join(" ", Host.cpuFeatures()) + "; " + System.getProperty("java.vm.name") + " " + Runtime.version()
                + (pin == null ? "; OPENBLAS_CORETYPE not set (OpenBLAS picks its kernel by CPU detection)."
                : "; OPENBLAS_CORETYPE=" + pin + " (pins OpenBLAS's kernel; unset it to let OpenBLAS detect the CPU).");
    }
}
