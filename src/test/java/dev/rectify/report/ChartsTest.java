package dev.rectify.report;

import dev.rectify.diagnostics.StudyRun;
import dev.rectify.nn.EpochRecord;
import dev.rectify.nn.LayerEpoch;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #20, the report's charts: nothing clipped, round ticks, fixed colours, hover values, seed bands, shading. */
class ChartsTest {
    /** A run of {@code losses.length} epochs, one hidden layer of 10 units with {@code dead} dead. */
    static StudyRun run(String act, long seed, double acc, int dead, double... losses) {
        List<EpochRecord> h = new ArrayList<>();
        for (int e = 0; e < losses.length; e++) {
            h.add(new EpochRecord(e, 0.1, losses[e], acc, losses[e], acc, 0.1, List.of(new LayerEpoch(e, act, 10, dead, 0, 0, 0,
                    0, 0.5, -2 - e, 3 + e, 0.25 * (e + 1), false, false, 1, null))));
        }
        return new StudyRun(act, "he-normal", 0.1, seed, act.equals("relu"), 0, h, 1, null);
    }

    /** The heights of {@code name}'s circle markers (relu and gelu draw circles). */
    private static List<Double> ys(String svg, String name) {
        List<Double> out = new ArrayList<>();
        Matcher m = Pattern.compile("<circle cx=\"[-0-9.]+\" cy=\"([-0-9.]+)\"[^>]*><title>" + name + ", epoch").matcher(svg);
        while (m.find()) out.add(Double.parseDouble(m.group(1)));
        return out;
    }

    private static String chart(String html, String id) {
        int a = html.indexOf("<svg class=\"chart\" id=\"" + id + "\"");
        assertTrue(a >= 0, "chart " + id);
        return html.substring(a, html.indexOf("</svg>", a));
    }

    @Test
    void ticksAreRoundAndTheAxisHoldsEveryValue() {
        Axis a = Axis.fit(List.of(new double[] {0.1, 1.93}), true, true);
        assertEquals(List.of(0.0, 0.5, 1.0, 1.5, 2.0), a.ticks, "not 0.48, 0.97, 1.4");
        Axis big = Axis.fit(List.of(new double[] {6, 23.4}), true, false);
        assertTrue(big.max >= 23.4 && big.min == 0, "a loss of 23.4 fits: " + big.max);
        assertEquals(List.of(0.0, 5.0, 10.0, 15.0, 20.0, 25.0), big.ticks);
        Axis log = Axis.fit(List.of(new double[] {0.0007, 2.3}), true, true);
        assertTrue(log.log && log.min <= 0.0007 && log.max >= 2.3);
        assertEquals(List.of("1e-4", "0.001", "0.01", "0.1", "1", "10"), log.ticks.stream().map(log::label).toList());
        Axis neg = Axis.fit(List.of(new double[] {-37.5, 12}), false, false);
        assertEquals(-40, neg.min);
        assertEquals(20, neg.max);
        assertEquals("25%", Axis.percent().label(0.25));
    }

    @Test
    void largeLossesAreDrawnInsideThePlotNotFlatAtACap() {
        // The issue: losses of 6 to 23 were drawn as a flat line at 5.0.
        String html = StudyReport.html("t", Map.of(), List.of(run("relu", 1, 0.1, 0, 23, 14, 6), run("elu", 1, 0.2, 0, 2.3, 1, 0.5)));
        List<Double> y = ys(chart(html, "s1-loss"), "relu");
        assertEquals(3, y.size(), "a marker per point");
        assertEquals(3, y.stream().distinct().count(), "relu's three losses at three heights: " + y);
        for (double v : y) assertTrue(v >= 30 - 3 && v <= 280 - 42 + 3, "inside the plot: " + v);
        assertTrue(chart(html, "s1-loss").contains("relu, epoch 1: 23<"), "hover text gives the value");
    }

    @Test
    void anActivationKeepsItsColourAndMarkerInEveryReport() {
        String a = StudyReport.html("a", Map.of(), List.of(run("relu", 1, 0.9, 1, 1, 0.5), run("elu", 1, 0.9, 0, 1, 0.5)));
        String b = StudyReport.html("b", Map.of(), List.of(run("selu", 1, 0.9, 0, 1, 0.5), run("elu", 1, 0.9, 0, 1, 0.5),
                run("relu", 1, 0.9, 1, 1, 0.5)));
        for (String html : List.of(a, b)) {
            assertTrue(html.contains("<circle cx") && html.contains("stroke=\"#D55E00\"><title>relu, epoch 1"), "relu: vermillion circles");
            assertTrue(html.contains("stroke=\"#E69F00\"><title>elu, epoch 1"), "elu: orange");
        }
        assertEquals(Palette.of("leaky-relu"), Palette.of("leaky-relu:0.1"));
    }

    @Test
    void seedsAreDrawnAsABandAndEveryPointHasItsValue() {
        List<StudyRun> runs = List.of(run("relu", 1, 0.8, 2, 1.0, 0.5), run("relu", 2, 0.6, 4, 1.2, 0.7));
        String html = StudyReport.html("t", Map.of(), runs);
        String acc = chart(html, "s1-accuracy");
        assertTrue(acc.contains("class=\"band\""), "spread of two seeds");
        assertTrue(acc.contains("relu, epoch 2: 70.0% (seeds 60.0% to 80.0%)"), acc);
        String dead = chart(html, "s1-dead-1");
        assertTrue(dead.contains("relu, epoch 1: 30.0% (seeds 20.0% to 40.0%)"), dead);
        assertTrue(dead.contains(">% of units<"), "the axis says what the percent is of");
        assertTrue(chart(html, "s1-grad-1").contains("relu, epoch 2: 0.5"), "gradient norms are charted");
        assertTrue(chart(html, "s1-pre-1").contains("(min to max -3 to 4)"), "pre-activation ranges are charted");
        String one = StudyReport.html("t", Map.of(), List.of(runs.get(0)));
        assertFalse(chart(one, "s1-accuracy").contains("class=\"band\""), "one seed: no band");
    }

    @Test
    void overlappingSeriesAreDrawnApart() {
        String html = StudyReport.html("t", Map.of(), List.of(run("relu", 1, 0.9, 0, 1, 0.5), run("gelu", 1, 0.9, 0, 1, 0.5)));
        List<Double> relu = ys(chart(html, "s1-dead-1"), "relu"), gelu = ys(chart(html, "s1-dead-1"), "gelu");
        assertEquals(2, relu.size());
        for (int e = 0; e < 2; e++) {
            assertEquals(Chart.SEPARATION, Math.abs(relu.get(e) - gelu.get(e)), 0.11, "both at 0%, drawn apart: " + relu + " " + gelu);
        }
        assertTrue(chart(html, "s1-dead-1").contains("gelu, epoch 1: 0.0%"), "the hover keeps the true value");
    }

    @Test
    void everyActivationIsShadedByItsOutcome() {
        // The issue: leaky-relu at 15% accuracy was as bad as dead ReLU but only ReLU rows were shaded.
        String html = StudyReport.html("t", Map.of(), List.of(run("relu", 1, 0.95, 0, 1), run("leaky-relu", 1, 0.15, 0, 2),
                run("elu", 1, 0.88, 0, 1)));
        assertTrue(html.contains("<tr class=\"good\"><td>relu</td>"), html);
        assertTrue(html.contains("<tr class=\"bad\"><td>leaky-relu</td>"));
        assertTrue(html.contains("<tr class=\"poor\"><td>elu</td>"));
        assertTrue(html.contains("font-size:12px") && html.contains("font-size:13px") && !html.contains("font-size:10px"));
    }
}
