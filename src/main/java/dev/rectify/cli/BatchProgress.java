package dev.rectify.cli;

import dev.rectify.nn.Trainer;

import java.util.Locale;

/** train's progress line within an epoch, and the compact numbers and clock times it shows. */
final class BatchProgress {
    private BatchProgress() { }

    /**
     * On a terminal, one line rewritten in place during each epoch: batch, running mean loss, samples per second and an
     * ETA for the whole run from that rate. Not on a pipe or in a log, where the per-epoch lines say it all.
     */
    static Trainer.BatchListener onTerminal(int totalEpochs) {
        if (!Terminal.interactive()) return null;
        return new Trainer.BatchListener() {
            private long last, start, seen; // the rate counts from the end of the first batch (JIT warm-up aside)
            private double lossSum;
            private int samplesThisEpoch, epochNow = -1;

            @Override
            public void batchDone(int epoch, int batch, int batches) { }

            @Override
            public void batchDone(int epoch, int batch, int batches, double loss, int samples) {
                if (epoch != epochNow) {
                    epochNow = epoch;
                    lossSum = 0;
                    samplesThisEpoch = 0;
                }
                lossSum += loss * samples;
                samplesThisEpoch += samples;
                long now = System.nanoTime();
                if (start == 0) {
                    start = now;
                    return;
                }
                seen += samples;
                if (now - last < 200_000_000L && batch + 1 < batches) return;
                last = now;
                double rate = seen / Math.max(1e-9, (now - start) / 1e9);
                double perEpoch = (double) samplesThisEpoch / (batch + 1) * batches;
                double left = ((batches - batch - 1) * perEpoch / batches + (totalEpochs - epoch - 1) * perEpoch) / rate;
                System.err.printf(Locale.ROOT, "\r  epoch %d/%d  batch %d/%d  loss %.4f  %s samples/s  ETA %s   ", epoch + 1, totalEpochs,
                        batch + 1, batches, lossSum / samplesThisEpoch, compact(rate), clock(left));
            }
        };
    }

    static String compact(double v) {
        return v >= 1e6 ? String.format(Locale.ROOT, "%.1fM", v / 1e6) : v >= 1e3 ? String.format(Locale.ROOT, "%.1fk", v / 1e3)
                : String.format(Locale.ROOT, "%.0f", v);
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
