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
        assertEquals(64, SimdHostTiling.unpackedBMaxRows(16, 26));
        assertEquals(64, SimdHostTiling.unpackedBMaxRows(16, 25));
        assertEquals(64, SimdHostTiling.unpackedBMaxRows(16, 6));
        assertEquals(64, SimdHostTiling.unpackedBMaxRows(16, -1));
    }

    @Test
    void eightLanesAlwaysPackAndFourLanesReadUpTo64Rows() {
        for (int family : new int[] {-1, 6, 25, 26}) {
            assertEquals(0, SimdHostTiling.unpackedBMaxRows(8, family));
            assertEquals(64, SimdHostTiling.unpackedBMaxRows(4, family));
        }
    }

    @Test
    void intelPacksAAndSubBlocksKAtSixteenLanesOnly() {
        assertEquals(256, SimdHostTiling.kSubBlock(16, 6));
        assertFalse(SimdHostTiling.prefersUnpackedA(16, 6));
        for (int family : new int[] {-1, 25, 26}) {
            assertEquals(0, SimdHostTiling.kSubBlock(16, family));
            assertTrue(SimdHostTiling.prefersUnpackedA(16, family));
        }
        for (int family : new int[] {-1, 6, 25, 26}) {
            assertEquals(0, SimdHostTiling.kSubBlock(8, family));
            assertFalse(SimdHostTiling.prefersUnpackedA(8, family));
            assertEquals(0, SimdHostTiling.kSubBlock(4, family));
            assertTrue(SimdHostTiling.prefersUnpackedA(4, family));
        }
    }

    @Test
    void intelAndZen5AtSixteenLanesPairRowTiles() {
        assertTrue(SimdHostTiling.pairsRowTiles(16, 6));
        assertTrue(SimdHostTiling.pairsRowTiles(16, 26));
        for (int family : new int[] {-1, 25}) {
            assertFalse(SimdHostTiling.pairsRowTiles(16, family));
        }
        for (int family : new int[] {-1, 6, 25, 26}) {
            assertFalse(SimdHostTiling.pairsRowTiles(8, family));
            assertFalse(SimdHostTiling.pairsRowTiles(4, family));
        }
    }

    @Test
    void onlyZen5AtSixteenLanesPairsPackedTilesInWholeKBlocks() {
        assertTrue(SimdHostTiling.pairsPackedTiles(16, 26));
        for (int family : new int[] {-1, 6, 25}) {
            assertFalse(SimdHostTiling.pairsPackedTiles(16, family));
        }
        for (int family : new int[] {-1, 6, 25, 26}) {
            assertFalse(SimdHostTiling.pairsPackedTiles(8, family));
            assertFalse(SimdHostTiling.pairsPackedTiles(4, family));
        }
    }

    @Test
    void theKernelOnThisHostUsesThisHostsFamily() {
        SimdMicroKernel k = (SimdMicroKernel) SimdSupport.path(512).microKernel();
        assertEquals(SimdHostTiling.unpackedBMaxRows(16, Host.cpuFamilyNumber()), k.unpackedBMaxRows());
        assertEquals(SimdHostTiling.kSubBlock(16, Host.cpuFamilyNumber()), k.kSubBlock());
        assertEquals(SimdHostTiling.prefersUnpackedA(16, Host.cpuFamilyNumber()), k.prefersUnpackedA());
        assertEquals(SimdHostTiling.pairsRowTiles(16, Host.cpuFamilyNumber()), k.pairsRowTiles());
        assertEquals(SimdHostTiling.pairsPackedTiles(16, Host.cpuFamilyNumber()), k.pairsPackedTiles());
        String family = Host.cpuFamily();
        assertEquals(family.matches("\\d+") ? Integer.parseInt(family) : -1, Host.cpuFamilyNumber());
    }

    @Test
    void onlyZen5AtSixteenLanesCopiesARowsForItsPairs() {
        assertTrue(SimdHostTiling.copiesARows(16, 26));
        for (int family : new int[] {-1, 6, 25}) {
            assertFalse(SimdHostTiling.copiesARows(16, family));
        }
        for (int family : new int[] {-1, 6, 25, 26}) {
            assertFalse(SimdHostTiling.copiesARows(8, family));
            assertFalse(SimdHostTiling.copiesARows(4, family));
        }
    }

    @Test
    void onlyZen5AtSixteenLanesPairsNarrowTiles() {
        assertTrue(SimdHostTiling.pairsNarrowTiles(16, 26));
        for (int family : new int[] {-1, 6, 25}) {
            assertFalse(SimdHostTiling.pairsNarrowTiles(16, family));
        }
        for (int family : new int[] {-1, 6, 25, 26}) {
            assertFalse(SimdHostTiling.pairsNarrowTiles(8, family));
        }
    }
}
