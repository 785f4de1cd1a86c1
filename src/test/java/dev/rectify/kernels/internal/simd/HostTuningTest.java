package dev.rectify.kernels.internal.simd;

import dev.rectify.kernels.internal.Host;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SIMD micro-kernel's per-host choices, as measured (docs/design.md): up to how many rows it reads B in place,
 * whether it reads A in place, and how deep the driver's k sub-blocks are, per width and CPU family. They change
 * speed only, never bits, so GemmProperties cannot see a wrong table; this test can.
 */
class HostTuningTest {
    @Test
    void sixteenLanesPackBFrom65RowsOnEveryFamily() {
        assertEquals(64, SimdMicroKernel.unpackedBMaxRows(16, 26));
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
    void intelPacksAAndSubBlocksKAtSixteenLanesOnly() {
        assertEquals(256, SimdMicroKernel.kSubBlock(16, 6));
        assertFalse(SimdMicroKernel.prefersUnpackedA(16, 6));
        for (int family : new int[] {-1, 25, 26}) {
            assertEquals(0, SimdMicroKernel.kSubBlock(16, family));
            assertTrue(SimdMicroKernel.prefersUnpackedA(16, family));
        }
        for (int family : new int[] {-1, 6, 25, 26}) {
            assertEquals(0, SimdMicroKernel.kSubBlock(8, family));
            assertFalse(SimdMicroKernel.prefersUnpackedA(8, family));
            assertEquals(0, SimdMicroKernel.kSubBlock(4, family));
            assertTrue(SimdMicroKernel.prefersUnpackedA(4, family));
        }
    }

    @Test
    void intelAndZen5AtSixteenLanesPairRowTiles() {
        assertTrue(SimdMicroKernel.pairsRowTiles(16, 6));
        assertTrue(SimdMicroKernel.pairsRowTiles(16, 26));
        for (int family : new int[] {-1, 25}) {
            assertFalse(SimdMicroKernel.pairsRowTiles(16, family));
        }
        for (int family : new int[] {-1, 6, 25, 26}) {
            assertFalse(SimdMicroKernel.pairsRowTiles(8, family));
            assertFalse(SimdMicroKernel.pairsRowTiles(4, family));
        }
    }

    @Test
    void onlyZen5AtSixteenLanesPairsPackedTilesInWholeKBlocks() {
        assertTrue(SimdMicroKernel.pairsPackedTiles(16, 26));
        for (int family : new int[] {-1, 6, 25}) {
            assertFalse(SimdMicroKernel.pairsPackedTiles(16, family));
        }
        for (int family : new int[] {-1, 6, 25, 26}) {
            assertFalse(SimdMicroKernel.pairsPackedTiles(8, family));
            assertFalse(SimdMicroKernel.pairsPackedTiles(4, family));
        }
    }

    @Test
    void theKernelOnThisHostUsesThisHostsFamily() {
        SimdMicroKernel k = (SimdMicroKernel) SimdSupport.path(512).microKernel();
        assertEquals(SimdMicroKernel.unpackedBMaxRows(16, Host.cpuFamilyNumber()), k.unpackedBMaxRows());
        assertEquals(SimdMicroKernel.kSubBlock(16, Host.cpuFamilyNumber()), k.kSubBlock());
        assertEquals(SimdMicroKernel.prefersUnpackedA(16, Host.cpuFamilyNumber()), k.prefersUnpackedA());
        assertEquals(SimdMicroKernel.pairsRowTiles(16, Host.cpuFamilyNumber()), k.pairsRowTiles());
        assertEquals(SimdMicroKernel.pairsPackedTiles(16, Host.cpuFamilyNumber()), k.pairsPackedTiles());
        String family = Host.cpuFamily();
        assertEquals(family.matches("\\d+") ? Integer.parseInt(family) : -1, Host.cpuFamilyNumber());
    }

    @Test
    void onlyZen5AtSixteenLanesCopiesARowsForItsPairs() {
        assertTrue(SimdMicroKernel.copiesARows(16, 26));
        for (int family : new int[] {-1, 6, 25}) {
            assertFalse(SimdMicroKernel.copiesARows(16, family));
        }
        for (int family : new int[] {-1, 6, 25, 26}) {
            assertFalse(SimdMicroKernel.copiesARows(8, family));
            assertFalse(SimdMicroKernel.copiesARows(4, family));
        }
    }

    @Test
    void onlyZen5AtSixteenLanesPairsNarrowTiles() {
        assertTrue(SimdMicroKernel.pairsNarrowTiles(16, 26));
        for (int family : new int[] {-1, 6, 25}) {
            assertFalse(SimdMicroKernel.pairsNarrowTiles(16, family));
        }
        for (int family : new int[] {-1, 6, 25, 26}) {
            assertFalse(SimdMicroKernel.pairsNarrowTiles(8, family));
        }
    }
}
