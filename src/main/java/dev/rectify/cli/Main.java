package dev.rectify.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * The {@code rectify} command. Usage errors print one line and the usage and exit with 2; failures while
 * running print one line and exit with 1 (a stack trace only with {@code -Drectify.debug=true}).
 */
@Command(name = "rectify", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Fast neural-network kernels for the JVM, and a trainer that shows why ReLU units die.",
        subcommands = {InfoCommand.class, StudyCommand.class, TrainCommand.class, EvaluateCommand.class,
                BornDeadCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Kept so the logger (and its level) is not garbage-collected. */
    private static final java.util.logging.Logger KERNEL_LOG = java.util.logging.Logger.getLogger("dev.rectify.kernels");

    public static void main(String[] args) {
        // The kernel path is part of every command's output (info says why); the INFO log line would repeat it.
        if (!Boolean.getBoolean("rectify.verbose")) KERNEL_LOG.setLevel(java.util.logging.Level.WARNING);
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line and returns its exit code (tests call this in-process). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main());
        PrintWriter o = new PrintWriter(out, true), e = new PrintWriter(err, true);
        cl.setOut(o);
        cl.setErr(e);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            e.println("rectify " + c.getCommandName() + ": " + ex.getMessage());
            c.usage(e);
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof CommandLine.ParameterException) {
                e.println("rectify " + c.getCommandName() + ": " + ex.getMessage());
                c.usage(e);
                return 2;
            }
            e.println("rectify " + c.getCommandName() + ": " + message(ex));
            if (Boolean.getBoolean("rectify.debug")) ex.printStackTrace(e);
            return 1;
        });
        return cl.execute(args);
    }

    static String message(Throwable t) {
        String m = t.getMessage();
        if (t instanceof java.nio.file.NoSuchFileException) return "no such file: " + m;
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rectify " + (v == null ? "(development build)" : v) + " on Java " + Runtime.version()};
        }
    }
}
