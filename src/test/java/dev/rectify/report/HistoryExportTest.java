package dev.rectify.report;

import dev.rectify.nn.EpochRecord;
import dev.rectify.nn.LayerEpoch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryExportTest {
    static final List<EpochRecord> HISTORY = List.of(
            new EpochRecord(0, 0.1, 1.5, 0.5, 1.625, Double.NaN, 0.25,
                    List.of(new LayerEpoch(0, "relu", 10, 3, 0, 3, 0, 0.5, -0.25, -2.0, 1.5, 0.75, false, false, 2.0, null),
                            new LayerEpoch(1, "prelu", 4, 0, 1, 1, 0, 0.0, 0.125, -1.0, 3.0, 0.5, false, true, 1.0,
                                    new float[] {0.25f, 0.5f, 0.125f, 0.125f}))),
            new EpochRecord(1, 0.05, 1.25, 0.75, 1.5, Double.NaN, 0.5,
                    List.of(new LayerEpoch(0, "relu", 10, 2, 0, 0, 1, 0.25, 0.5, -1.0, 2.0, 1e-7, true, false, 2.5, null),
                            new LayerEpoch(1, "rrelu(lower=0.125, upper=0.25)", 4, 0, 0, 0, 1, 0.0, 1.0, 0.5, 2.0, 0.125, false, false, 1.5, null)),
                    true));

    @Test
    void csvHasOneRowPerEpochAndLayerWithEmptyCellsForNonFinite(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("results.csv");
        HistoryExport.writeAtomically(f, HistoryExport.csv(List.of("relu-he", "elu"),
                List.of(Map.of("activation", "relu"), Map.of("activation", "elu", "seed", "7")), List.of(HISTORY, HISTORY.subList(0, 1))));
        List<String> lines = Files.readAllLines(f);
        assertEquals(7, lines.size());
        assertEquals("run,activation,seed,epoch,lr,train_loss,train_accuracy,test_loss,test_accuracy,seconds,layer,kind,units,"
                + "dead,dormant,died,revived,dead_fraction,dormant_fraction,sparsity,pre_mean,pre_min,pre_max,grad_norm,vanishing,"
                + "exploding,weight_norm,slope_mean,slope_min,slope_max,loss_exploding", lines.get(0));
        assertEquals("relu-he,relu,,1,0.1,1.5,0.5,1.625,,0.25,1,relu,10,3,0,3,0,0.3,0.0,0.5,-0.25,-2.0,1.5,0.75,false,false,2.0,,,,false",
                lines.get(1), "epochs and layers from 1; a parameter a run lacks is empty");
        assertEquals("relu-he,relu,,1,0.1,1.5,0.5,1.625,,0.25,2,prelu,4,0,1,1,0,0.0,0.25,0.0,0.125,-1.0,3.0,0.5,false,true,1.0,"
                + "0.25,0.125,0.5,false", lines.get(2));
        assertEquals("relu-he,relu,,2,0.05,1.25,0.75,1.5,,0.5,2,\"rrelu(lower=0.125, upper=0.25)\",4,0,0,0,1,0.0,0.0,0.0,1.0,0.5,2.0,"
                + "0.125,false,false,1.5,,,,true", lines.get(4));
        assertTrue(lines.get(5).startsWith("elu,elu,7,1,0.1,"), lines.get(5));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList(), "no temporary file left behind");
        }
    }

    @Test
    void jsonNestsEpochsAndLayersWithNullForNonFinite() {
        String j = HistoryExport.json(List.of("a\"b"), List.of(new java.util.LinkedHashMap<>(Map.of("lr", "0.1"))), List.of(HISTORY.subList(0, 1)));
        assertEquals("{\"runs\":[{\"name\":\"a\\\"b\",\"parameters\":{\"lr\":\"0.1\"},\"epochs\":[{\"epoch\":1,\"lr\":0.1,\"train_loss\":1.5,"
                + "\"train_accuracy\":0.5,\"test_loss\":1.625,\"test_accuracy\":null,\"seconds\":0.25,\"loss_exploding\":false,\"layers\":["
                + "{\"layer\":1,\"kind\":\"relu\",\"units\":10,\"dead\":3,\"dormant\":0,\"died\":3,\"revived\":0,"
                + "\"sparsity\":0.5,\"pre_mean\":-0.25,\"pre_min\":-2.0,\"pre_max\":1.5,\"grad_norm\":0.75,"
                + "\"vanishing\":false,\"exploding\":false,\"weight_norm\":2.0},"
                + "{\"layer\":2,\"kind\":\"prelu\",\"units\":4,\"dead\":0,\"dormant\":1,\"died\":1,\"revived\":0,"
                + "\"sparsity\":0.0,\"pre_mean\":0.125,\"pre_min\":-1.0,\"pre_max\":3.0,\"grad_norm\":0.5,"
                + "\"vanishing\":false,\"exploding\":true,\"weight_norm\":1.0,\"slopes\":[0.25,0.5,0.125,0.125]}]}]}]}\n", j);
    }

    @Test
    void csvRefusesRunNamesThatWouldBreakTheFormat() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HistoryExport.csv(List.of("a,b"), List.of(HISTORY)));
        assertEquals(true, e.getMessage().contains("run name"));
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> HistoryExport.csv(List.of("a"), List.of(Map.of("layers", "64,32")), List.of(HISTORY)));
        assertTrue(p.getMessage().startsWith("parameter layers must not contain"), p.getMessage());
    }
}
