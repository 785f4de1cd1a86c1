package dev.rectify.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * The {@code rectify} command and its error contract: a bad option or path (checked before any work starts)
 * prints one line to stderr and exits with 2; a failure while running (a malformed data file, a diverged run)
 * prints one line naming the file or the cause to stderr and exits with 1. A stack trace follows only with
 * {@code --debug} (or {@code -Drectify.debug=true}).
 */
@Command(name = "rectify", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Fast neural-network kernels for the JVM, and a trainer that shows why ReLU units die.",
        subcommands = {InfoCommand.class, StudyCommand.class, TrainCommand.class, SparkTrainCommand.class, EvaluateCommand.class,
                BornDeadCommand.class, CollapseCommand.class, SweepCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of a failure.")
    boolean debug;

    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Also log the kernel path chosen at start-up (INFO).")
    boolean verbose;

    /** Kept so the logger (and its level) is not garbage-collected. */
    private static final java.util.logging.Logger KERNEL_LOG = java.util.logging.Logger.getLogger("dev.rectify.kernels");

    public static void main(String[] args) {
        // The kernel path is part of every command's output (info says why); the INFO log line would repeat it.
        if (!Boolean.getBoolean("rectify.verbose") && !java.util.Arrays.asList(args).contains("--verbose")) {
            KERNEL_LOG.setLevel(java.util.logging.Level.WARNING);
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line and returns its exit code (tests call this in-process). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main());
        PrintWriter o = new PrintWriter(out, true), e = new PrintWriter(err, true);
        cl.setOut(o);
        cl.setErr(e);
        boolean debug = Boolean.getBoolean("rectify.debug") || java.util.Arrays.asList(args).contains("--debug");
        cl.setParameterExceptionHandler((ex, a) -> usageError(e, ex.getCommandLine(), ex.getMessage(), ex, debug));
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof CommandLine.ParameterException) return usageError(e, c, ex.getMessage(), ex, debug);
            e.println("rectify " + c.getCommandName() + ": " + message(ex));
            if (debug) ex.printStackTrace(e);
            return 1;
        });
        return cl.execute(args);
    }

    private static int usageError(PrintWriter e, CommandLine c, String message, Exception ex, boolean debug) {
        String name = c.getCommandName();
        String help = c.getParent() == null ? "rectify --help" : "rectify " + name + " --help";
        e.println("rectify " + name + ": " + oneLine(message) + " (see " + help + ")");
        if (debug) ex.printStackTrace(e);
        return 2;
    }

    /** One line for the user: the message of the failure, with the file a file-system error is about. */
    static String message(Throwable t) {
        if ((t instanceof java.util.concurrent.ExecutionException || t instanceof java.util.concurrent.CompletionException)
                && t.getCause() != null) {
            return message(t.getCause());
        }
        if (t instanceof java.nio.file.NoSuchFileException) return "no such file: " + ((java.nio.file.FileSystemException) t).getFile();
        if (t instanceof java.nio.file.AccessDeniedException) return ((java.nio.file.FileSystemException) t).getFile() + ": permission denied";
        if (t instanceof java.nio.file.FileSystemException) {
            java.nio.file.FileSystemException f = (java.nio.file.FileSystemException) t;
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : t.getClass().getSimpleName());
        }
        if (t instanceof OutOfMemoryError) return "out of memory (" + t.getMessage() + "); give the JVM more with -Xmx or use smaller sizes";
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : oneLine(m);
    }

    private static String oneLine(String m) {
        return m == null ? "" : m.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    /** {@code rectify} without a command: the usage on stderr and exit 2, as for any other incomplete command line. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("rectify: a command is missing");
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rectify " + (v == null ? "(development build)" : v) + " on Java " + Runtime.version()};
        }
    }
}
