package dev.rectify.kernels.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
     * The wake-ups: a helper idle for longer than its spin has parked, and the next job must unpark it: chunk 0
     * waits (up to 2 s, however late the scheduler runs the helper) until a helper has started chunk 1. A caller
     * whose helper chunk outlasts the caller's spin parks, and that chunk must unpark it. A lost helper wake-up
     * leaves chunk 1 to the caller in every round; a lost caller wake-up hangs the call until the timeout. One
     * round in ten may find no helper idle (something else's GEMM on a shared machine) without failing.
     */
    @Test
    void parkedHelpersAndParkedCallersAreWokenUp() {
        assumeTrue(GemmThreads.HELPERS >= 1, "one processor: no helper threads");
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> { // runs on a thread of its own
            Thread caller = Thread.currentThread();
            int rounds = 10, helped = 0;
            for (int round = 0; round < rounds; round++) {
                sleepNanos(10 * GemmThreads.SPIN_NANOS); // every helper has parked by now
                AtomicReferenceArray<Thread> ran = new AtomicReferenceArray<>(2);
                CountDownLatch oneStarted = new CountDownLatch(1);
                boolean slowHelper = round % 2 == 1;
                GemmThreads.runOwned(2, 2, c -> {
                    ran.set(c, Thread.currentThread());
                    if (c == 0) {
                        await(oneStarted);
                    } else {
                        oneStarted.countDown();
                        if (slowHelper) sleepNanos(TimeUnit.MILLISECONDS.toNanos(60)); // the caller parks meanwhile
                    }
                });
                assertSame(caller, ran.get(0), "round " + round);
                if (ran.get(1) != caller) helped++;
            }
            assertTrue(helped >= rounds - 1, "a parked helper took chunk 1 in only " + helped + " of " + rounds + " rounds");
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(2, TimeUnit.SECONDS); // a helper that never starts shows in the count of rounds
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
