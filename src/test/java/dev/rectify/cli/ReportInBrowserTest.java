package dev.rectify.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The study report opened in a real headless browser (Debian's chromium, which .ci/run installs when it is
 * missing): it loads without console errors, and the DOM the browser built holds the charts with their lines,
 * the summary table and the conclusions.
 */
class ReportInBrowserTest {
    static Path chromium() {
        for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(p))) return Path.of(p);
        }
        return null;
    }

    @Test
    void theReportRendersWithItsChartsAndNoConsoleErrors(@TempDir Path dir) throws Exception {
        Path browser = chromium();
        if (browser == null && System.getenv("CI_REQUIRE_BROWSER") != null) fail("CI requires chromium, and it is missing");
        assumeTrue(browser != null, "no chromium on this machine (.ci/run installs it)");
        CommandLineTest.Result r = CommandLineTest.rectify(dir, "study", "--activations", "relu,elu", "--inits", "he-normal",
                "--lrs", "0.05,1", "--seeds", "1", "--epochs", "3", "--layers", "16", "--out", "rep");
        assertEquals(0, r.exit(), r.err());
        Path page = dir.resolve("rep/index.html");
        Path dom = dir.resolve("dom.html"), log = dir.resolve("chromium.log");
        Process p = new ProcessBuilder(browser.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + dir.resolve("profile"), "--enable-logging=stderr", "--v=0", "--dump-dom",
                page.toUri().toString()).redirectOutput(dom.toFile()).redirectError(log.toFile()).start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium finishes");
        assertEquals(0, p.exitValue(), Files.readString(log));
        String html = Files.readString(dom);
        String errors = Files.readString(log);
        assertFalse(errors.contains("CONSOLE") || errors.contains("Uncaught"), "console messages:\n" + errors);
        assertEquals(2 * 3, CommandLineTest.count(html, "<svg "), "three charts per learning rate");
        assertTrue(CommandLineTest.count(html, "<path d=\"M") >= 2 * 3 * 2, "every chart draws a line per activation");
        assertTrue(html.contains("<table id=\"summary\">") && html.contains("<ul id=\"conclusions\"><li>"));
    }
}
