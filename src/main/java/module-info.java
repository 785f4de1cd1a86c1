/**
 * Rectify: fast neural-network kernels on the JVM (activations, softmax, SGEMM with a fused dense-layer epilogue)
 * with a scalar fallback chosen at run time, a dense-network trainer on them, and dying-ReLU diagnostics.
 *
 * <p>The API is the exported packages: {@code kernels} (start at {@code Kernels}), {@code data}, {@code nn},
 * {@code diagnostics}, {@code report} and {@code spark} (data-parallel training; it needs Spark on the class path,
 * where Spark applications run, because Spark's jars are not modules). Everything else is internal: {@code kernels.internal} and its
 * {@code scalar} and {@code simd} implementations, the atomic-file utility ({@code io}) and the command line
 * ({@code cli}). The Vector API is a static dependency: start the JVM with {@code --add-modules jdk.incubator.vector}
 * for the SIMD path; without it the scalar path runs and no class that names a Vector API type is loaded. On the
 * class path the library works the same way; this descriptor only closes the internals to modular users.
 */
module dev.rectify {
    requires static jdk.incubator.vector;
    requires static java.management;
    requires java.logging;
    requires static info.picocli;

    exports dev.rectify.kernels;
    exports dev.rectify.data;
    exports dev.rectify.nn;
    exports dev.rectify.diagnostics;
    exports dev.rectify.report;
    exports dev.rectify.spark;

    opens dev.rectify.cli to info.picocli;
}
