package dev.rectify.cli;

import dev.rectify.data.Dataset;
import dev.rectify.data.Standardizer;
import dev.rectify.diagnostics.DeadUnitMonitor;
import dev.rectify.nn.EpochRecord;
import dev.rectify.nn.Trainer;

import java.util.List;
import java.util.function.Consumer;

/**
 * The data a training command works on: held by this JVM ({@code train}) or spread over a Spark cluster
 * ({@code spark-train}). The test set is always on this machine, where the trainer evaluates.
 */
interface TrainingSet extends AutoCloseable {
    /** The training rows' name, for the report. */
    String name();

    long rows();

    int features();

    /** Classes (or regression targets) of the whole data, which the network's output must have. */
    int outputs();

    Dataset test();

    /** The largest absolute feature value of the training rows (decides whether to hint at standardizing). */
    float maxAbs();

    /** Statistics of the training rows. */
    Standardizer fitStandardizer();

    /** Applies {@code s} to the training rows and the test set. */
    void standardize(Standardizer s);

    /** {@link Trainer#bornDead(Dataset)} on the training rows. */
    Trainer.DeadCheck bornDead(Trainer trainer);

    /** Trains {@code epochs} epochs on the training rows; {@code monitor} is one of {@code trainer}'s listeners. */
    List<EpochRecord> fit(Trainer trainer, DeadUnitMonitor monitor, int epochs, Consumer<EpochRecord> onEpoch);

    /** Releases what the data holds (a cluster's cached blocks and its connection). */
    @Override
    void close();

    /** Training and test sets in this JVM. */
    static TrainingSet local(Dataset all, Dataset.Split split) {
        return new TrainingSet() {
            private Dataset train = split.train(), test = split.test();

            @Override public String name() { return train.name(); }
            @Override public long rows() { return train.rows(); }
            @Override public int features() { return all.features(); }
            @Override public int outputs() { return all.outputs(); }
            @Override public Dataset test() { return test; }
            @Override public float maxAbs() { return Standardizer.maxAbs(train); }
            @Override public Standardizer fitStandardizer() { return Standardizer.fit(train); }

            @Override
            public void standardize(Standardizer s) {
                train = s.apply(train);
                test = s.apply(test);
            }

            @Override public Trainer.DeadCheck bornDead(Trainer trainer) { return trainer.bornDead(train); }

            @Override
            public List<EpochRecord> fit(Trainer trainer, DeadUnitMonitor monitor, int epochs, Consumer<EpochRecord> onEpoch) {
                return trainer.fit(train, test, epochs, onEpoch);
            }

            @Override public void close() { }
        };
    }
}
