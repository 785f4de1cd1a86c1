package dev.rectify.report;

import java.util.Map;

/**
 * One colour and marker per activation, the same in every report: relu is always vermillion circles, whichever
 * activations a study compares. Colours start from Okabe and Ito's colour-blind-safe set; activations beyond it
 * share a colour with another but not its marker.
 */
final class Palette {
    private Palette() { }

    enum Marker { CIRCLE, SQUARE, TRIANGLE, DIAMOND, DOWN, CROSS }

    record Style(String colour, Marker marker) { }

    private static final Map<String, Style> BY_NAME = Map.ofEntries(
            Map.entry("relu", new Style("#D55E00", Marker.CIRCLE)),
            Map.entry("leaky-relu", new Style("#0072B2", Marker.SQUARE)),
            Map.entry("prelu", new Style("#009E73", Marker.TRIANGLE)),
            Map.entry("rrelu", new Style("#CC79A7", Marker.DIAMOND)),
            Map.entry("elu", new Style("#E69F00", Marker.DOWN)),
            Map.entry("selu", new Style("#56B4E9", Marker.CROSS)),
            Map.entry("gelu", new Style("#000000", Marker.CIRCLE)),
            Map.entry("gelu-erf", new Style("#000000", Marker.CIRCLE)),
            Map.entry("gelu-tanh", new Style("#555555", Marker.SQUARE)),
            Map.entry("celu", new Style("#8C6D1F", Marker.TRIANGLE)),
            Map.entry("silu", new Style("#7B3294", Marker.DIAMOND)),
            Map.entry("mish", new Style("#1B7837", Marker.DOWN)),
            Map.entry("softplus", new Style("#2166AC", Marker.CROSS)),
            Map.entry("sigmoid", new Style("#B2182B", Marker.SQUARE)),
            Map.entry("tanh", new Style("#666666", Marker.TRIANGLE)),
            Map.entry("hard-tanh", new Style("#999933", Marker.DIAMOND)),
            Map.entry("relu6", new Style("#993404", Marker.DOWN)),
            Map.entry("hard-sigmoid", new Style("#882255", Marker.CROSS)),
            Map.entry("hard-swish", new Style("#44AA99", Marker.CIRCLE)),
            Map.entry("linear", new Style("#777777", Marker.SQUARE)));

    private static final String[] SPARE = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#777777"};

    /** The {@code i}-th of a set of series that are not activations (initializers): distinct colour and marker up to 8. */
    static Style nth(int i) {
        int k = Math.floorMod(i, SPARE.length);
        return new Style(SPARE[k], Marker.values()[k % Marker.values().length]);
    }

    /** The style of an activation named as the command line names it; parameters ("leaky-relu:0.1") do not matter. */
    static Style of(String activation) {
        String base = activation.split("[:(\\s]", 2)[0].toLowerCase(java.util.Locale.ROOT);
        Style s = BY_NAME.get(base);
        if (s != null) return s;
        int h = Math.floorMod(base.hashCode(), SPARE.length * Marker.values().length);
        return new Style(SPARE[h % SPARE.length], Marker.values()[h / SPARE.length]);
    }
}
