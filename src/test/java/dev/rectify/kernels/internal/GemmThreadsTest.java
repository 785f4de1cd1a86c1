package dev.rectify.kernels.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GemmThreadsTest {
    /** Owned chunks: chunk 0 always on the caller (the ownership the training step relies on), each chunk once. */
    @Test
    void ownedRunsChunkZeroOnTheCallerAndEveryChunkOnce() {
        Thread caller = Thread.currentThread();
        for (int round = 0; round < 300; round++) {
            int chunks = 1 + round % 5;
            AtomicIntegerArray runs = new AtomicIntegerArray(chunks);
            AtomicReference<Thread> ranZero = new AtomicReference<>();
            GemmThreads.runOwned(chunks, 4, c -> {
                runs.incrementAndGet(c);
                if (c == 0) ranZero.set(Thread.currentThread());
            });
            for (int c = 0; c < chunks; c++) assertEquals(1, runs.get(c), "chunk " + c + " of " + chunks + ", round " + round);
            assertSame(caller, ranZero.get(), "chunk 0, round " + round);
        }
    }

    @Test
    void ownedPassesOnTheCallersOwnFailureAfterTheOthersFinished() {
        AtomicIntegerArray runs = new AtomicIntegerArray(3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GemmThreads.runOwned(3, 3, c -> {
            runs.incrementAndGet(c);
            if (c == 0) throw new IllegalStateException("chunk 0 failed");
        }));
        assertEquals("chunk 0 failed", e.getMessage());
        assertEquals(1, runs.get(0));
        // the others still ran or were skipped after the failure; none ran twice
        for (int c = 1; c < 3; c++) assertTrue(runs.get(c) <= 1, "chunk " + c);
    }
}
