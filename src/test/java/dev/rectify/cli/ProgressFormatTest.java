package dev.rectify.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The numbers of train's in-epoch progress line: a compact rate and an ETA clock. */
class ProgressFormatTest {
    @Test
    void ratesAreCompactAndEtasReadLikeAClock() {
        assertEquals("950", TrainCommand.compact(950.4));
        assertEquals("35.5k", TrainCommand.compact(35_512));
        assertEquals("1.2M", TrainCommand.compact(1_234_567));
        assertEquals("0:07", TrainCommand.clock(6.6));
        assertEquals("12:05", TrainCommand.clock(725));
        assertEquals("2:00:01", TrainCommand.clock(7201));
    }
}
