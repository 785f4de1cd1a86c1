package dev.rectify.report;

import dev.rectify.diagnostics.StudyRun;
import dev.rectify.nn.EpochRecord;
import dev.rectify.nn.LayerEpoch;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StudyReportTest {
    /** One epoch, one hidden layer of 100 units with {@code inactive} of them dead (deadKind) or dormant. */
    static EpochRecord epoch(int inactive, boolean deadKind, double acc) {
        return new EpochRecord(0, 0.1, 1, acc, 1, acc, 0.1, List.of(new LayerEpoch(0, "x", 100, deadKind ? inactive : 0,
                deadKind ? 0 : inactive, 0, 0, 0, 0, -1, 1, 1, false, false, 1, null)));
    }

    static StudyRun run(String act, String init, double lr, boolean deadKind, double born, int inactive, double acc, String div) {
        return new StudyRun(act, init, lr, 1, deadKind, born, div == null ? List.of(epoch(inactive, deadKind, acc)) : List.of(), 1.0, div);
    }

    static final List<StudyRun> RUNS = List.of(
            run("relu", "he-normal", 0.05, true, 0.02, 4, 0.95, null),
            run("elu", "he-normal", 0.05, false, 0.01, 1, 0.96, null),
            run("relu", "he-normal", 1.0, true, 0.02, 60, 0.40, null),
            run("elu", "he-normal", 1.0, false, 0.01, 10, 0.90, null),
            run("prelu", "he-normal", 1.0, false, 0.01, 0, 0, "non-finite loss"),
            run("relu", "he-normal:-1.0", 0.05, true, 0.70, 68, 0.12, null),
            run("relu", "he-normal:-1.0", 1.0, true, 0.70, 75, 0.10, null));

    @Test
    void conclusionsNameTheSettingsThatKilledUnitsAndTheRemedies() {
        List<String> c = StudyReport.conclusions(RUNS);
        assertEquals("Most units died with relu, he-normal:-1.0, lr 1.0: 75.0% of the hidden units were dead after the last epoch"
                + " (70.0% at initialization), test accuracy 10.0%.", c.get(0));
        assertEquals("Learning rate: ReLU with he-normal ended with 4.0% dead units at lr 0.05 and 60.0% at lr 1.0.", c.get(1));
        assertTrue(c.get(2).startsWith("Initialization: a negative bias (he-normal:-1.0) left 70.0% of the ReLU units dead before"
                + " training, against 2.0% with he-normal"), c.get(2));
        assertTrue(c.get(3).startsWith("Remedies at lr 1.0 with he-normal: ReLU ended with 60.0% dead (accuracy 40.0%); elu 0% dead"
                + " (10.0% dormant, accuracy 90.0%); prelu diverged"), c.get(3));
        assertTrue(c.get(4).startsWith("1 of 7 runs diverged (prelu he-normal lr 1.0)"), c.get(4));
        assertEquals("Best test accuracy: 96.0% with elu, he-normal, lr 0.05 (0.0% dead).", c.get(5));
    }

    @Test
    void theTableAveragesSeedsAndCountsDivergence() {
        List<StudyReport.Group> g = StudyReport.groups(RUNS);
        assertEquals(7, g.size());
        StudyReport.Group prelu = g.get(4);
        assertEquals(1, prelu.diverged());
        assertTrue(Double.isNaN(prelu.testAccuracy()));
        String html = StudyReport.html("t", Map.of("data", "x"), RUNS);
        assertTrue(html.contains("<tr class=\"bad\"><td>relu</td><td>he-normal</td><td>1.0</td>"), "rows with >= 20% dead are marked");
    }

    @Test
    void aSingleRunIsDescribedOnItsOwnWithoutMeansOrComparisons() {
        EpochRecord first = new EpochRecord(0, 0.5, 1, 0.5, 1, 0.5, 0.1, List.of(new LayerEpoch(0, "relu", 100, 30, 0, 12, 0, 0, 0,
                -1, 1, 1, false, false, 1, null)));
        EpochRecord second = new EpochRecord(1, 0.5, 0.8, 0.6, 0.9, 0.625, 0.1, List.of(new LayerEpoch(0, "relu", 100, 25, 0, 1, 6,
                0, 0, -1, 1, 1, false, false, 1, null)));
        StudyRun one = new StudyRun("relu", "he-normal", 0.5, 1, true, 0.2, List.of(first, second), 1.0, null);
        List<String> c = StudyReport.conclusions(List.of(one));
        assertEquals("After 2 epochs, 25.0% of the hidden units were dead (20.0% at initialization); 13 unit-epochs went dead "
                + "and 6 came back during training.", c.get(0));
        assertEquals("Test accuracy 62.5%, test loss 0.9.", c.get(1));
        assertTrue(c.get(2).startsWith("Many units are dead: "), c.get(2));
        String html = StudyReport.html("t", Map.of(), List.of(one));
        assertTrue(html.contains("<h2>Final results</h2>") && !html.contains("mean over seeds"));
        for (String sentence : c) assertTrue(!sentence.contains("Most units died") && !sentence.contains("mean"), sentence);
    }
}
