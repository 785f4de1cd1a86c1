package dev.rectify.cli;

/** A progress line on stderr: rewritten in place on a console, printed once per tenth of the work otherwise. */
final class ProgressLine {
    private final boolean console = Terminal.interactive();
    private int lastTenth = -1;

    /** Shows {@code line}, {@code fraction} (0 to 1) of the work being done. */
    synchronized void show(String line, double fraction) {
        if (console) {
            System.err.print("\r" + line + "                    ");
        } else if ((int) (10 * fraction) > lastTenth) {
            lastTenth = (int) (10 * fraction);
            System.err.println(line);
        }
    }

    /** Ends a console's rewritten line. */
    void done() {
        if (console) System.err.println();
    }
}
