package dev.rectify.cli;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One progress line for a JMH run whose output goes to a log file: JMH's own "# Run progress: N% complete, ETA
 * HH:MM:SS" with the benchmark and parameters it is on, rewritten in place on a terminal and printed every 10%
 * otherwise.
 */
final class JmhProgress {
    private static final Pattern PROGRESS = Pattern.compile("# Run progress: ([0-9.]+)% complete, ETA (\\S+)");
    private static final Pattern BENCHMARK = Pattern.compile("# Benchmark: \\S+\\.(\\w+\\.\\w+)");
    private static final Pattern PARAMETERS = Pattern.compile("# Parameters: \\((.*)\\)");

    private JmhProgress() { }

    /** Follows {@code log} until {@code p} ends. */
    static void follow(Process p, Path log) throws IOException, InterruptedException {
        long offset = 0;
        String benchmark = "", parameters = "";
        int lastTenth = -1;
        StringBuilder partial = new StringBuilder();
        boolean interactive = Terminal.interactive();
        while (true) {
            boolean alive = p.isAlive();
            if (Files.exists(log)) {
                try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                    if (f.length() > offset) {
                        byte[] b = new byte[(int) Math.min(f.length() - offset, 1 << 20)];
                        f.seek(offset);
                        f.readFully(b);
                        offset += b.length;
                        partial.append(new String(b, StandardCharsets.UTF_8));
                    }
                }
                int nl;
                while ((nl = partial.indexOf("\n")) >= 0) {
                    String line = partial.substring(0, nl);
                    partial.delete(0, nl + 1);
                    Matcher m;
                    if ((m = BENCHMARK.matcher(line)).find()) benchmark = m.group(1);
                    else if ((m = PARAMETERS.matcher(line)).find()) parameters = m.group(1);
                    else if ((m = PROGRESS.matcher(line)).find()) {
                        double pct = Double.parseDouble(m.group(1));
                        String text = String.format(Locale.ROOT, "bench: %5.1f%% done, ETA %s  %s %s", pct, m.group(2), benchmark, parameters);
                        if (interactive) {
                            System.err.print("\r" + (text.length() > 110 ? text.substring(0, 110) : text) + "   ");
                        } else if ((int) (pct / 10) > lastTenth) {
                            lastTenth = (int) (pct / 10);
                            System.out.println(text);
                        }
                    }
                }
            }
            if (!alive) break;
            Thread.sleep(300);
        }
        if (interactive) System.err.print("\r" + " ".repeat(120) + "\r");
    }

    /** The last {@code n} lines of the log, for a failure. */
    static void printTail(Path log, int n) throws IOException {
        if (!Files.exists(log)) return;
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (String l : lines.subList(Math.max(0, lines.size() - n), lines.size())) System.err.println("  " + l);
    }
}
