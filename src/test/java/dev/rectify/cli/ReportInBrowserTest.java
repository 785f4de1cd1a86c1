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
 * the summary table and the conclusions. A screenshot of the page at 1,920 px (study and train) is kept in
 * {@code target/report-screenshots/} for a person to look at, and checked to show relu's colour.
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
        // Per learning rate: accuracy, loss, and per hidden layer dead units, gradient norm and pre-activation range.
        assertEquals(2 * 5, CommandLineTest.count(html, "<svg "), "five charts per learning rate");
        assertTrue(CommandLineTest.count(html, "<path d=\"M") >= 2 * 5 * 2, "every chart draws a line per activation");
        assertTrue(html.contains("<table id=\"summary\">") && html.contains("<ul id=\"conclusions\"><li>"));
        assertShowsRelu(screenshot(browser, dir, page, "study"));

        CommandLineTest.Result t = CommandLineTest.rectify(dir, "train", "--epochs", "3", "--layers", "16", "--out", "run");
        assertEquals(0, t.exit(), t.err());
        assertShowsRelu(screenshot(browser, dir, dir.resolve("run/index.html"), "train"));

        CommandLineTest.Result c = CommandLineTest.rectify(dir, "collapse", "--widths", "2,3", "--depths", "2,4,6", "--runs", "8",
                "--epochs", "50", "--out", "col");
        assertEquals(0, c.exit(), c.err());
        String collapse = dumpDom(browser, dir, dir.resolve("col/index.html"), "collapse");
        // A chart per width, each with a collapsed and a born-dead line per initializer over three depths.
        assertEquals(2, CommandLineTest.count(collapse, "<svg "), "one chart per width");
        assertTrue(CommandLineTest.count(collapse, "<path d=\"M") >= 2 * 4, "collapsed and born-dead lines per initializer");
        assertTrue(collapse.contains("<table id=\"collapse\">") && collapse.contains(">depth</text>"));
        screenshot(browser, dir, dir.resolve("col/index.html"), "collapse");

        CommandLineTest.Result w = CommandLineTest.rectify(dir, "sweep", "--activations", "relu,elu", "--lrs", "log:0.1:10:3",
                "--seeds", "1", "--epochs", "2", "--layers", "16", "--out", "sw");
        assertEquals(0, w.exit(), w.err());
        String sweep = dumpDom(browser, dir, dir.resolve("sw/index.html"), "sweep");
        assertEquals(3, CommandLineTest.count(sweep, "<svg "), "inactive share, diverged share, test accuracy");
        assertTrue(sweep.contains("<table id=\"onset\">") && sweep.contains(">learning rate (log-spaced)</text>"));
        assertShowsRelu(screenshot(browser, dir, dir.resolve("sw/index.html"), "sweep"));
    }

    /** The DOM chromium built for {@code page}, after checking it logged no console errors. */
    static String dumpDom(Path browser, Path dir, Path page, String name) throws Exception {
        Path dom = dir.resolve(name + "-dom.html"), log = dir.resolve(name + "-chromium.log");
        Process p = new ProcessBuilder(browser.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + dir.resolve("profile-dom-" + name), "--enable-logging=stderr", "--v=0", "--dump-dom",
                page.toUri().toString()).redirectOutput(dom.toFile()).redirectError(log.toFile()).start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium finishes");
        assertEquals(0, p.exitValue(), Files.readString(log));
        String errors = Files.readString(log);
        assertFalse(errors.contains("CONSOLE") || errors.contains("Uncaught"), "console messages:\n" + errors);
        return Files.readString(dom);
    }

    /** A 1,920 px wide screenshot of {@code page}, kept in target/report-screenshots/NAME.png. */
    static Path screenshot(Path browser, Path dir, Path page, String name) throws Exception {
        Path out = Path.of("target", "report-screenshots").toAbsolutePath();
        Files.createDirectories(out);
        Path png = out.resolve(name + ".png");
        Files.deleteIfExists(png);
        Path log = dir.resolve(name + "-shot.log");
        Process p = new ProcessBuilder(browser.toString(), "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--user-data-dir=" + dir.resolve("profile-" + name), "--window-size=1920,3200", "--screenshot=" + png,
                page.toUri().toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium finishes");
        assertEquals(0, p.exitValue(), Files.readString(log));
        System.out.println("report screenshot: " + png);
        return png;
    }

    /** The charts were drawn: relu's fixed colour (#D55E00) covers a visible number of pixels. */
    static void assertShowsRelu(Path png) throws Exception {
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(1920, img.getWidth());
        int relu = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xFFFFFF) == 0xD55E00) relu++;
        }
        assertTrue(relu > 200, png + ": " + relu + " pixels in relu's colour");
    }
}
