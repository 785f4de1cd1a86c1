package dev.rectify.nn;

/** Training produced a non-finite loss or gradient; the message names the epoch, batch and (for gradients) layer. */
public final class TrainingDivergedException extends RuntimeException {
    private final int epoch, batch;

    public TrainingDivergedException(String message, int epoch, int batch) {
        super(message);
        this.epoch = epoch;
        this.batch = batch;
    }

    public int epoch() { return epoch; }
    public int batch() { return batch; }
}
