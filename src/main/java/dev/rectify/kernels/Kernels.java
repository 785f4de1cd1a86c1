package dev.rectify.kernels;

import dev.rectify.kernels.internal.GemmDriver;
import dev.rectify.kernels.internal.KernelPath;
import dev.rectify.kernels.internal.scalar.ScalarSupport;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Locale;

/**
 * The one place that decides between the SIMD (Vector API) and the scalar kernels.
 *
 * <p>The SIMD path is chosen when the JVM has {@code jdk.incubator.vector} in its boot layer (start it
 * with {@code --add-modules jdk.incubator.vector}), when that module's preferred float vector is at
 * least 128 bits wide (4 lanes; narrower vectors do not pay for themselves) and when C2 is enabled (the
 * Vector API runs hundreds of times slower interpreted or in C1). Otherwise the scalar path is used, and
 * no class that references the incubator module is ever loaded, so the library runs on any JVM.
 *
 * <p>The system property {@value #PROPERTY} = {@code auto} (default), {@code simd} or {@code scalar}
 * overrides the choice; {@code simd} without the module fails with a message that names the flag.
 * The choice is made once, on first use, and logged once through {@link System.Logger} (logger
 * {@code dev.rectify.kernels}): INFO when SIMD is used or scalar was asked for, WARNING with the fix
 * when the SIMD path was wanted but is unavailable.
 */
public final class Kernels {
    /** The system property that overrides the choice: auto, simd or scalar. */
    public static final String PROPERTY = "rectify.kernels";
    /** The JVM flag that enables the SIMD path. */
    public static final String FLAG = "--add-modules jdk.incubator.vector";

    static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final String SIMD_SUPPORT = "dev.rectify.kernels.internal.simd.SimdSupport";
    static final int MIN_USEFUL_BITS = 128;

    private static volatile Selection selection;

    private Kernels() {}

    /** Which path was chosen and why. */
    public record Selection(String path, String reason, int vectorBits, ActivationKernels activations, Gemm gemm) {
        /** Lanes of float per vector on the chosen path; 1 for scalar. */
        public int lanes() {
            return vectorBits / Float.SIZE;
        }

        /** True when the SIMD path is in use. */
        public boolean isSimd() {
            return "simd".equals(path);
        }

        /** The chosen path's activations and GEMM as one set. */
        public KernelSet kernels() {
            return new KernelSet(isSimd() ? "simd-" + vectorBits : "scalar", vectorBits, activations, gemm);
        }
    }

    /** The activation kernels for this JVM: SIMD when available and enabled, else scalar. */
    public static ActivationKernels activations() {
        return selection().activations();
    }

    /**
     * GEMM for this JVM, on the same path as {@link #activations()}, using up to the available processors
     * per call; {@code Kernels.gemm().withParallelism(1)} keeps every call on the caller's thread.
     */
    public static Gemm gemm() {
        return selection().gemm();
    }

    /** The reductions (norms, activity summaries) on the same path as {@link #activations()}. */
    public static Reductions reductions() {
        return Reductions.of(activations());
    }

    /** The scalar GEMM, always available. */
    public static Gemm scalarGemm() {
        return SCALAR.gemm();
    }

    /**
     * The SIMD GEMM for a given vector size (128, 256 or 512 bits; see {@link #simd(int)}).
     *
     * @throws IllegalArgumentException naming {@code bits} for other sizes
     * @throws UnsupportedOperationException naming {@value #FLAG} when the module is absent
     */
    public static Gemm simdGemm(int bits) {
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("bits must be 128, 256 or 512, was " + bits);
        }
        return simdKernelSet(bits).gemm();
    }

    static final int DEFAULT_PARALLELISM = Runtime.getRuntime().availableProcessors();

    private static final KernelSet SCALAR = wrap(ScalarSupport.path());

    /** The choice made for this JVM, made now if it has not been made yet. */
    public static Selection selection() {
        Selection s = selection;
        if (s == null) {
            synchronized (Kernels.class) {
                s = selection;
                if (s == null) {
                    s = select(System.getProperty(PROPERTY, "auto"));
                    log(s);
                    selection = s;
                }
            }
        }
        return s;
    }

    /** The scalar path's activations and GEMM (all processors per call), always available. */
    public static KernelSet scalarSet() {
        return SCALAR;
    }

    /**
     * The SIMD path's activations and GEMM for a vector size of 128, 256 or 512 bits (all processors per call).
     *
     * @throws IllegalArgumentException naming {@code bits} for other sizes
     * @throws UnsupportedOperationException naming {@value #FLAG} when the module is absent
     */
    public static KernelSet simdSet(int bits) {
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("bits must be 128, 256 or 512, was " + bits);
        }
        return simdKernelSet(bits);
    }

    /** The plain-Java kernels, always available. */
    public static ActivationKernels scalar() {
        return SCALAR.activations();
    }

    /**
     * SIMD kernels for the platform's preferred vector size.
     *
     * @throws UnsupportedOperationException naming {@value #FLAG} when the module is absent
     */
    public static ActivationKernels simd() {
        return simd(preferredBits());
    }

    /**
     * SIMD kernels built for a given vector size, 128, 256 or 512 bits. Every size works on every CPU
     * (sizes the hardware lacks are emulated, slowly), so tests can exercise all widths anywhere.
     *
     * @throws IllegalArgumentException naming {@code bits} for other sizes
     * @throws UnsupportedOperationException naming {@value #FLAG} when the module is absent
     */
    public static ActivationKernels simd(int bits) {
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("bits must be 128, 256 or 512, was " + bits);
        }
        return simdKernelSet(bits).activations();
    }

    /** True when {@code jdk.incubator.vector} is in this JVM's boot layer. */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /**
     * The platform's preferred float vector size in bits.
     *
     * @throws UnsupportedOperationException naming {@value #FLAG} when the module is absent
     */
    public static int preferredBits() {
        return simdPath(0).vectorBits();
    }

    static Selection select(String mode) {
        String jdk = "JDK " + Runtime.version();
        switch (mode.trim().toLowerCase(Locale.ROOT)) {
            case "scalar":
                return scalar(PROPERTY + "=scalar was set (" + jdk + ")");
            case "simd":
                if (!vectorModulePresent()) {
                    throw new IllegalStateException(PROPERTY + "=simd was set, but " + VECTOR_MODULE
                            + " is not available; start java with " + FLAG + " (" + jdk + ")");
                }
                return simdSelection(PROPERTY + "=simd was set", jdk);
            case "auto":
                break;
            default:
                throw new IllegalArgumentException(PROPERTY + " must be auto, simd or scalar, was '" + mode + "'");
        }
        if (!vectorModulePresent()) {
            return scalar(VECTOR_MODULE + " is not in the boot layer; start java with " + FLAG
                    + " for the SIMD path (" + jdk + ")");
        }
        if (c2Disabled()) {
            return scalar("the JIT's C2 compiler is disabled (-Xint or -XX:TieredStopAtLevel < 4), where the "
                    + "Vector API is slower than scalar code (" + jdk + ")");
        }
        int bits = preferredBits();
        if (bits < MIN_USEFUL_BITS) {
            return scalar("the preferred float vector is only " + bits + " bits (" + jdk + ")");
        }
        return simdSelection("auto", jdk);
    }

    private static Selection simdSelection(String why, String jdk) {
        int bits = preferredBits();
        return new Selection("simd", why + ": " + bits + "-bit FloatVector, " + bits / Float.SIZE
                + " lanes (" + jdk + ")", bits, simd(bits), simdGemm(bits));
    }

    private static Selection scalar(String reason) {
        return new Selection("scalar", reason, Float.SIZE, scalar(), scalarGemm());
    }

    private static boolean c2Disabled() {
        for (String arg : inputArguments()) {
            if (arg.equals("-Xint") || arg.matches("-XX:TieredStopAtLevel=[0-3]")) {
                return true;
            }
        }
        return false;
    }

    private static java.util.List<String> inputArguments() {
        try {
            return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
        } catch (LinkageError | RuntimeException e) {
            return java.util.List.of(); // java.management absent (jlinked runtime): assume the default JIT
        }
    }

    private static void log(Selection s) {
        System.Logger logger = System.getLogger("dev.rectify.kernels");
        boolean wanted = !s.isSimd() && !s.reason().startsWith(PROPERTY + "=scalar");
        logger.log(wanted ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
                "Rectify kernels: " + s.path() + " path; " + s.reason());
    }

    /** The public facades over one path's implementations, GEMM on all processors per call. */
    private static KernelSet wrap(KernelPath path) {
        ActivationKernels activations = new ActivationKernels(path.activations(), path.reductions());
        Gemm gemm = new Gemm(path.name(), new GemmDriver(path.microKernel(), DEFAULT_PARALLELISM), path.activations());
        return new KernelSet(path.name(), path.vectorBits(), activations, gemm);
    }

    private static KernelSet simdKernelSet(int bits) {
        return wrap(simdPath(bits));
    }

    /**
     * The one handle on the SIMD provider ({@code SimdSupport.path(int)}), looked up on first use and only once the
     * module is known to be present, so no class that names a Vector API type loads without it. The lookup is this
     * class's own: the provider's package is not exported when Rectify runs as a module.
     */
    private static volatile MethodHandle simdFactory;

    private static KernelPath simdPath(int bits) {
        if (!vectorModulePresent()) {
            throw new UnsupportedOperationException("the SIMD kernels need " + VECTOR_MODULE + "; start java with " + FLAG);
        }
        MethodHandle h = simdFactory;
        if (h == null) {
            try {
                h = MethodHandles.lookup().findStatic(Class.forName(SIMD_SUPPORT), "path",
                        MethodType.methodType(KernelPath.class, int.class));
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("SIMD kernels failed to load: " + e, e);
            }
            simdFactory = h;
        }
        try {
            return (KernelPath) h.invokeExact(bits);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("SIMD kernels failed to start: " + t, t);
        }
    }
}
