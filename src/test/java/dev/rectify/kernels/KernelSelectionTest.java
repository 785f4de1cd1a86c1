package dev.rectify.kernels;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs with --add-modules jdk.incubator.vector (Surefire's default execution). */
class KernelSelectionTest {
    @Test
    void autoChoosesSimdWhenTheModuleIsPresent() {
        assertTrue(Kernels.vectorModulePresent(), "this execution must run with " + Kernels.FLAG);
        Kernels.Selection s = Kernels.select("auto");
        assertEquals("simd", s.path());
        assertEquals(Kernels.preferredBits(), s.vectorBits());
        assertTrue(s.reason().contains(s.vectorBits() + "-bit"), s.reason());
        assertTrue(s.reason().contains("JDK " + Runtime.version().feature()), s.reason());
        assertEquals("simd-" + s.vectorBits(), s.activations().name());
    }

    @Test
    void propertyForcesEitherPath() {
        assertEquals("scalar", Kernels.select("scalar").path());
        assertEquals("scalar", Kernels.select(" Scalar ").activations().name());
        assertEquals("simd", Kernels.select("simd").path());
    }

    @Test
    void unknownModeNamesTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.select("fast"));
        assertTrue(e.getMessage().contains(Kernels.PROPERTY) && e.getMessage().contains("fast"), e.getMessage());
    }

    @Test
    void everyWidthCanBeBuilt() {
        for (int bits : new int[] {128, 256, 512}) {
            assertEquals("simd-" + bits, Kernels.simd(bits).name());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.simd(64));
        assertTrue(e.getMessage().startsWith("bits"), e.getMessage());
    }

    @Test
    void kernelSetsAreSymmetricAndMatchTheirPath() {
        for (int bits : new int[] {128, 256, 512}) {
            KernelSet k = Kernels.simdSet(bits);
            assertEquals("simd-" + bits, k.name());
            assertEquals(bits / 32, k.lanes());
            assertEquals("simd-" + bits, k.activations().name());
            assertTrue(k.gemm().name().startsWith("simd-"), k.gemm().name());
        }
        KernelSet scalar = Kernels.scalarSet();
        assertEquals(List.of("scalar", 1, "scalar"), List.of(scalar.name(), scalar.lanes(), scalar.gemm().name()));
        KernelSet chosen = Kernels.selection().kernels();
        assertEquals("simd-" + Kernels.preferredBits(), chosen.name());
        assertTrue(chosen.activations() == Kernels.activations() && chosen.gemm() == Kernels.gemm());
        assertEquals(chosen.activations().name(), Kernels.reductions().name());
        assertEquals("simd-256", Kernels.simdSet(256).reductions().name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.simdSet(1024));
        assertTrue(e.getMessage().startsWith("bits"), e.getMessage());
    }

    @Test
    void theDefaultSelectionIsCachedAndConsistent() {
        assertTrue(Kernels.selection() == Kernels.selection());
        assertTrue(Kernels.activations() == Kernels.selection().activations());
    }
}
