package dev.rectify.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The numbers of train's in-epoch progress line: a compact rate and an ETA clock. */
class ProgressFormatTest {
    @Test
    void ratesAreCompactAndEtasReadLikeAClock() {
        assertEquals("950", BatchProgress.compact(950.4));
        assertEquals("35.5k", BatchProgress.compact(35_512));
        assertEquals("1.2M", BatchProgress.compact(1_234_567));
        assertEquals("0:07", BatchProgress.clock(6.6));
        assertEquals("12:05", BatchProgress.clock(725));
        assertEquals("2:00:01", BatchProgress.clock(7201));
    }
}
