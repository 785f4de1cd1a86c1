package dev.rectify.cli;

import dev.rectify.kernels.Kernels;
import dev.rectify.kernels.internal.Host;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code rectify info}: the JVM, the kernel path and why, the vector width, the CPU and its SIMD features. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the JDK, the kernel path chosen and why, the vector species and the CPU's SIMD features.")
final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        Kernels.Selection s = Kernels.selection();
        System.out.println("Host:         " + Host.line() + "   (quote this line with any figure measured here)");
        System.out.println("JDK:          " + System.getProperty("java.vm.name") + " " + Runtime.version()
                + " (" + System.getProperty("java.vendor") + ")");
        System.out.println("Vector API:   " + (Kernels.vectorModulePresent() ? "jdk.incubator.vector present"
                : "jdk.incubator.vector absent (start the JVM with " + Kernels.FLAG + ")"));
        System.out.println("Kernel path:  " + s.path() + " — " + s.reason());
        if (s.vectorBits() > 0) {
            System.out.println("Species:      FloatVector " + s.vectorBits() + "-bit, " + s.vectorBits() / 32 + " float lanes");
        }
        System.out.println("GEMM:         " + s.gemm().name() + ", " + Terminal.count(Runtime.getRuntime().availableProcessors(), "thread"));
        System.out.println("CPU:          " + Host.cpuName() + ", " + Terminal.count(Runtime.getRuntime().availableProcessors(), "logical processor"));
        System.out.println("SIMD seen:    " + String.join(" ", Host.cpuFeatures()));
        System.out.println("Override:     -D" + Kernels.PROPERTY + "=auto|simd|scalar");
        return 0;
    }
}
