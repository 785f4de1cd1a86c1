package dev.rectify.nn;

/**
 * What an element-wise unit layer ({@link Activation}, {@link PRelu}) keeps of its last forward pass: the
 * input (its pre-activations, needed by the backward pass and read by the diagnostics), the batch size, and
 * the ever-active mask it marks while the diagnostics record.
 */
final class ForwardRecord {
    private final int units;
    private boolean[] everActive;
    private float[] input;
    private int batch;

    ForwardRecord(int units) {
        this.units = units;
    }

    /** See {@link UnitLayer#recordActivity}. */
    void recordActivity(boolean[] mask) {
        if (mask != null && mask.length != units) {
            throw new IllegalArgumentException("mask length " + mask.length + " != units " + units);
        }
        everActive = mask;
    }

    /** Marks the units active in {@code in} (when recording) and keeps {@code in} for the backward pass. */
    void forward(float[] in, int batch) {
        if (everActive != null) UnitLayer.markActive(in, batch, units, everActive);
        input = in;
        this.batch = batch;
    }

    /** The last input, or null before the first forward pass. */
    float[] input() {
        return input;
    }

    /** The input of the forward pass a backward pass of {@code batch} rows belongs to. */
    float[] inputFor(int batch) {
        if (input == null || batch != this.batch) {
            throw new IllegalStateException("backward without a matching training forward pass");
        }
        return input;
    }
}
