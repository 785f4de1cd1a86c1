package dev.rectify.kernels.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Not API. The helper threads GEMM shares across all its callers.
 *
 * <p>There are (processors - 1) helpers; a call takes the helpers that are idle at that moment, never waits for
 * one, and runs its chunks together with the helpers it got. So concurrent callers never oversubscribe the
 * cores (the busier the machine, the more work stays on the callers' own threads), and nobody waits on a task
 * that has not started: the caller claims chunks itself and only waits for chunks that a helper is already
 * running. Calls from a helper or from any ForkJoinPool worker (parallel streams, Spark-style executors) run
 * entirely on the calling thread.
 *
 * <p>A helper that finishes a job waits {@link #SPIN_NANOS} for the next one before it parks: for the first
 * {@link #HOT_SPIN_NANOS} it spins on its core, then it yields the core; a caller spins as long before it parks
 * to wait for a helper's last chunk. A training step hands work over every few tens of microseconds, and waking
 * a parked thread took about 30 us here, as long as a whole 32 x 256 x 256 product; a yielding helper still
 * picks a job up later than a spinning one. After the hot spin the helper yields, so that the JIT's and the
 * collector's threads still get the core on a 2-core machine (docs/design.md).
 */
public final class GemmThreads {
    private GemmThreads() {}

    public static final int HELPERS = Math.max(0, Runtime.getRuntime().availableProcessors() - 1);
    /** How long an idle helper, or a caller waiting for one, spins before parking. */
    static final long SPIN_NANOS = 200_000;
    /** How long an idle helper first spins without giving up its core, then yielding it until {@link #SPIN_NANOS}. */
    static final long HOT_SPIN_NANOS = 50_000;
    private static final ThreadLocal<Boolean> IS_HELPER = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private static final ConcurrentLinkedQueue<Helper> IDLE = new ConcurrentLinkedQueue<>();
    private static volatile boolean started;

    /** True when a GEMM called on this thread must not fan out. */
    public static boolean nested() {
        return IS_HELPER.get() || ForkJoinTask.inForkJoinPool();
    }

    /** Runs work(0 .. chunks-1), each exactly once, on up to {@code parallelism} threads including this one. */
    public static void run(int chunks, int parallelism, IntConsumer work) {
        run(chunks, parallelism, work, false);
    }

    /**
     * As {@link #run}, but chunk 0 runs on this thread and chunk i is first offered to the i-th helper it got, so
     * that the same thread usually takes the same chunk call after call: a split whose chunk c always covers the
     * same part of an array keeps that part's cache lines on one core. This thread takes the chunks no helper
     * has started once its own is done, so a late helper still costs no wait.
     */
    public static void runOwned(int chunks, int parallelism, IntConsumer work) {
        run(chunks, parallelism, work, true);
    }

    private static void run(int chunks, int parallelism, IntConsumer work, boolean owned) {
        int want = Math.min(parallelism - 1, chunks - 1);
        Job job = null;
        if (want > 0 && !nested()) {
            startHelpers();
            for (int got = 0; got < want; got++) {
                Helper h = IDLE.poll();
                if (h == null) {
                    break;
                }
                if (job == null) {
                    job = new Job(chunks, work, Thread.currentThread());
                    if (owned) {
                        job.next.set(1); // chunk 0 is the caller's, helpers start at 1 in the order they were taken
                    }
                }
                h.job = job;
                LockSupport.unpark(h);
            }
        }
        if (job == null) {
            for (int c = 0; c < chunks; c++) {
                work.accept(c);
            }
            return;
        }
        if (owned) {
            job.runOwn();
        }
        job.drain(null);
        job.awaitAll();
    }

    private static void startHelpers() {
        if (started) {
            return;
        }
        synchronized (GemmThreads.class) {
            if (started) {
                return;
            }
            for (int i = 1; i <= HELPERS; i++) {
                Helper h = new Helper("rectify-gemm-" + i);
                try {
                    h.start();
                } catch (RuntimeException | OutOfMemoryError e) {
                    break; // fewer helpers: the callers do more of the work themselves
                }
                IDLE.add(h);
            }
            started = true;
        }
    }

    /** A helper thread: takes the job a caller hands it, runs chunks of it, and offers itself again. */
    private static final class Helper extends Thread {
        volatile Job job;

        Helper(String name) {
            super(name);
            setDaemon(true);
        }

        @Override
        public void run() {
            IS_HELPER.set(Boolean.TRUE);
            for (;;) {
                final long start = System.nanoTime();
                Job j;
                while ((j = job) == null) {
                    long waited = System.nanoTime() - start;
                    if (waited < HOT_SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else if (waited < SPIN_NANOS) {
                        Thread.yield();
                    } else {
                        LockSupport.park(this);
                    }
                }
                job = null;
                j.drain(this);
            }
        }
    }

    private static final class Job {
        final int chunks;
        final IntConsumer work;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(int chunks, IntConsumer work, Thread caller) {
            this.chunks = chunks;
            this.work = work;
            this.caller = caller;
        }

        /**
         * Runs chunks until none is left. A helper ({@code self}) offers itself as idle as soon as it finds no
         * chunk left, before it counts its last chunk finished: the caller, once it sees every chunk finished,
         * may call again at once (the next k block, the next layer) and must find the helper idle.
         */
        void drain(Helper self) {
            int c = next.getAndIncrement();
            if (c >= chunks && self != null) {
                IDLE.offer(self);
            }
            while (c < chunks) {
                try {
                    if (failure.get() == null) {
                        work.accept(c);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
                final int following = next.getAndIncrement();
                if (following >= chunks && self != null) {
                    IDLE.offer(self);
                }
                if (finished.incrementAndGet() == chunks) {
                    LockSupport.unpark(caller);
                }
                c = following;
            }
        }

        /** The caller's own chunk 0 of an owned job, which no helper claims. */
        void runOwn() {
            try {
                work.accept(0);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
            if (finished.incrementAndGet() == chunks) {
                LockSupport.unpark(caller);
            }
        }

        void awaitAll() {
            final long start = System.nanoTime();
            while (finished.get() < chunks) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            Throwable t = failure.get();
            if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            }
            if (t instanceof Error) {
                throw (Error) t;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }
}
