package dev.rectify.kernels.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Not API. The helper threads GEMM shares across all its callers.
 *
 * <p>There are (processors - 1) helpers and as many permits; a call takes the permits that are free at that
 * moment, never waits for one, and runs its chunks together with the helpers it got. So concurrent callers
 * never oversubscribe the cores (the busier the machine, the more work stays on the callers' own threads),
 * and nobody waits on a task that has not started: the caller claims chunks itself and only waits for
 * chunks that a helper is already running. Calls from a helper or from any ForkJoinPool worker (parallel
 * streams, Spark-style executors) run entirely on the calling thread.
 */
public final class GemmThreads {
    private GemmThreads() {}

    public static final int HELPERS = Math.max(0, Runtime.getRuntime().availableProcessors() - 1);
    private static final Semaphore PERMITS = new Semaphore(HELPERS);
    private static final ThreadLocal<Boolean> IS_HELPER = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private static volatile ExecutorService pool;

    /** True when a GEMM called on this thread must not fan out. */
    public static boolean nested() {
        return IS_HELPER.get() || ForkJoinTask.inForkJoinPool();
    }

    /** Runs work(0 .. chunks-1), each exactly once, on up to {@code parallelism} threads including this one. */
    public static void run(int chunks, int parallelism, IntConsumer work) {
        int want = Math.min(parallelism - 1, chunks - 1);
        int got = 0;
        if (want > 0 && !nested()) {
            while (got < want && PERMITS.tryAcquire()) {
                got++;
            }
        }
        if (got == 0) {
            for (int c = 0; c < chunks; c++) {
                work.accept(c);
            }
            return;
        }
        Job job = new Job(chunks, work, Thread.currentThread());
        ExecutorService p = pool();
        for (int h = 0; h < got; h++) {
            try {
                p.execute(() -> {
                    IS_HELPER.set(Boolean.TRUE);
                    try {
                        job.drain();
                    } finally {
                        PERMITS.release();
                    }
                });
            } catch (RuntimeException e) {
                PERMITS.release(); // the pool refused; this thread does the work instead
            }
        }
        job.drain();
        job.awaitAll();
    }

    private static ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (GemmThreads.class) {
                p = pool;
                if (p == null) {
                    AtomicInteger n = new AtomicInteger();
                    p = Executors.newFixedThreadPool(Math.max(1, HELPERS), r -> {
                        Thread t = new Thread(r, "rectify-gemm-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
                    pool = p;
                }
            }
        }
        return p;
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

        void drain() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try {
                    if (failure.get() == null) {
                        work.accept(c);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    if (finished.incrementAndGet() == chunks) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }

        void awaitAll() {
            while (finished.get() < chunks) {
                LockSupport.park(this);
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
