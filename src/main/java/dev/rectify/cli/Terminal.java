package dev.rectify.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether progress may rewrite its line with a carriage return, or must print whole lines (logs, pipes). */
final class Terminal {
    private static final boolean INTERACTIVE = detect();

    private Terminal() {}

    /** "1 thread", "2 threads": a count with its noun in the right number. */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static boolean interactive() {
        return INTERACTIVE;
    }

    private static boolean detect() {
        Console c = System.console();
        if (c == null) return false;
        // Since JDK 22 System.console() is non-null even when redirected; Console.isTerminal() tells the truth there.
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(c);
        } catch (NoSuchMethodException e) {
            return true; // JDK 17-21: a console exists only on a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
