package dev.rectify.kernels.internal.simd;

import dev.rectify.kernels.internal.Host;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Up to how many rows the SIMD micro-kernel reads B in place, per width and CPU family, as measured (docs/design.md):
 * the choice changes speed only, never bits, so GemmProperties cannot see a wrong table; this test can.
 */
class InPlaceBLimitTest {
    @Test
    void zen5PacksFrom25RowsAtSixteenLanesOthersFrom65() {
        assertEquals(24, SimdMicroKernel.unpackedBMaxRows(16, 26));
        assertEquals(64, SimdMicroKernel.unpackedBMaxRows(16, 25));
        assertEquals(64, SimdMicroKernel.unpackedBMaxRows(16, 6));
        assertEquals(64, SimdMicroKernel.unpackedBMaxRows(16, -1));
    }

    @Test
    void eightLanesAlwaysPackAndFourLanesReadUpTo64Rows() {
        for (int family : new int[] {-1, 6, 25, 26}) {
            assertEquals(0, SimdMicroKernel.unpackedBMaxRows(8, family));
            assertEquals(64, SimdMicroKernel.unpackedBMaxRows(4, family));
        }
    }

    @Test
    void theKernelOnThisHostUsesThisHostsFamily() {
        SimdMicroKernel k = (SimdMicroKernel) SimdSupport.path(512).microKernel();
        assertEquals(SimdMicroKernel.unpackedBMaxRows(16, Host.cpuFamilyNumber()), k.unpackedBMaxRows());
        String family = Host.cpuFamily();
        assertEquals(family.matches("\\d+") ? Integer.parseInt(family) : -1, Host.cpuFamilyNumber());
    }
}
