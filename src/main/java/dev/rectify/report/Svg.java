package dev.rectify.report;

import java.util.Locale;

/** SVG and HTML text pieces shared by the charts and the page. */
final class Svg {
    private Svg() { }

    /** A hollow marker of the style's shape at (x, y) with {@code title} as its hover text. */
    static String marker(Palette.Style s, double x, double y, double r, String title) {
        String shape;
        switch (s.marker()) {
            case SQUARE:
                shape = String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"", x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
                break;
            case TRIANGLE:
                shape = polygon(x, y - r * 1.15, x + r * 1.1, y + r * 0.8, x - r * 1.1, y + r * 0.8);
                break;
            case DOWN:
                shape = polygon(x, y + r * 1.15, x + r * 1.1, y - r * 0.8, x - r * 1.1, y - r * 0.8);
                break;
            case DIAMOND:
                shape = polygon(x, y - r * 1.25, x + r * 1.1, y, x, y + r * 1.25, x - r * 1.1, y);
                break;
            case CROSS:
                shape = String.format(Locale.ROOT, "<path d=\"M%.1f,%.1fL%.1f,%.1fM%.1f,%.1fL%.1f,%.1f\"", x - r, y - r, x + r, y + r,
                        x - r, y + r, x + r, y - r);
                break;
            default:
                shape = String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"", x, y, r);
        }
        String tag = shape.substring(1, shape.indexOf(' '));
        return shape + " class=\"m\" stroke=\"" + s.colour() + "\"><title>" + esc(title) + "</title></" + tag + ">";
    }

    private static String polygon(double... xy) {
        StringBuilder b = new StringBuilder("<polygon points=\"");
        for (int i = 0; i < xy.length; i += 2) b.append(String.format(Locale.ROOT, "%s%.1f,%.1f", i == 0 ? "" : " ", xy[i], xy[i + 1]));
        return b.append('"').toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
