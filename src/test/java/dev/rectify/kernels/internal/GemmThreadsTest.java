package dev.rectify.kernels.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
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

    /**
     * The wake-ups: a helper idle for longer than its spin has parked, and the next job must unpark it (it then
     * takes chunk 1 while the caller is still in chunk 0); a caller whose helper chunk outlasts the caller's spin
     * parks, and that chunk must unpark it (a lost wake-up hangs the call, which the timeout turns into a failure).
     */
    @Test
    void parkedHelpersAndParkedCallersAreWokenUp() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> { // runs on a thread of its own
            Thread caller = Thread.currentThread();
            for (int round = 0; round < 10; round++) {
                sleepNanos(10 * GemmThreads.SPIN_NANOS); // every helper has parked by now
                AtomicReferenceArray<Thread> ran = new AtomicReferenceArray<>(2);
                boolean slowHelper = round % 2 == 1;
                GemmThreads.runOwned(2, 2, c -> {
                    ran.set(c, Thread.currentThread());
                    if (c == 0) sleepNanos(TimeUnit.MILLISECONDS.toNanos(20)); // a woken helper claims chunk 1
                    else if (slowHelper) sleepNanos(TimeUnit.MILLISECONDS.toNanos(60)); // the caller parks
                });
                assertSame(caller, ran.get(0), "round " + round);
                assertNotSame(caller, ran.get(1), "round " + round + ": chunk 1 ran on the caller, no helper woke up");
            }
        });
    }

    private static void sleepNanos(long nanos) {
        for (long end = System.nanoTime() + nanos, left = nanos; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
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
