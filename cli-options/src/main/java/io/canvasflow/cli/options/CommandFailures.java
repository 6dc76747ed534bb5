package io.canvasflow.cli.options;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * How a command line says a failure no command turned into its own sentence: one line and status 1,
 * an {@link Error} included. Shared by {@code ./canvasflow} and {@code canvasflow-serve.jar}'s own
 * main, the container image's entry point, so that both say it the same way.
 */
public final class CommandFailures {

    /** Set to see the stack trace of a failure no command turned into its own sentence. */
    public static final String TRACE_ENV = "CANVASFLOW_TRACE";

    /** The launcher's heap size ({@code ./canvasflow}, {@code deploy/docker/canvasflow-serve}). */
    public static final String HEAP_ENV = "CANVASFLOW_HEAP";

    private static final long MIB = 1L << 20;

    private static final long GIB = 1L << 30;

    /** -Xmx256m, -XX:MaxHeapSize=2g: the heap a launcher or JAVA_OPTS asked for. */
    private static final Pattern MAX_HEAP =
            Pattern.compile("(?:-Xmx|-XX:MaxHeapSize=)([0-9]+)([kKmMgGtT]?)");

    private CommandFailures() {}

    /**
     * Has a command line say its unexpected failures, an {@link Error} included, in one line.
     *
     * @param cli the command line
     * @return the same command line
     */
    public static CommandLine install(CommandLine cli) {
        return cli.setExecutionStrategy(CommandFailures::runSayingErrors)
                .setExecutionExceptionHandler(CommandFailures::unexpectedFailure);
    }

    /**
     * Runs the command as picocli does, and says an {@link Error} it throws as any other failure:
     * picocli hands only an {@link Exception} to the handler and lets an Error (a command out of
     * heap for the sizes it was given, a stack overflow) through as a stack trace and status 1.
     */
    static int runSayingErrors(ParseResult parsed) {
        try {
            return new CommandLine.RunLast().execute(parsed);
        } catch (Error e) {
            ParseResult ran = parsed;
            while (ran.hasSubcommand()) {
                ran = ran.subcommand();
            }
            return unexpectedFailure(e, ran.commandSpec().commandLine(), parsed);
        }
    }

    /**
     * A failure no command turned into its own sentence (each command says a bad argument, setting
     * or file itself, with status 2): one line that names the command and what failed, and status
     * 1. The stack trace is for a bug report, not for every terminal, so it comes only when {@value
     * #TRACE_ENV} is set. Running out of memory says what to do about it: an option's size or count
     * too large for the heap, which the launcher sets from {@value #HEAP_ENV}.
     */
    static int unexpectedFailure(Throwable e, CommandLine failed, ParseResult parsed) {
        PrintWriter err = failed.getErr();
        err.println(
                failed.getCommandSpec().qualifiedName()
                        + ": failed: "
                        + (e instanceof OutOfMemoryError
                                ? outOfMemory(e)
                                        + "; give smaller sizes or counts, or more heap with "
                                        + HEAP_ENV
                                : describe(e))
                        + " (set "
                        + TRACE_ENV
                        + "=1 for the stack trace)");
        if (System.getenv(TRACE_ENV) != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /**
     * What running out of memory was, and the heap it happened in, for a sentence that goes on with
     * what to do.
     *
     * @param e the error
     * @return e.g. {@code out of memory (Java heap space) in this JVM's heap of 256 MiB}
     */
    public static String outOfMemory(Throwable e) {
        return "out of memory (" + describe(e) + ") in this JVM's heap of " + heap();
    }

    /**
     * This JVM's heap, as it was asked for where it was.
     *
     * @return e.g. {@code 256 MiB}, {@code 2 GiB}
     */
    public static String heap() {
        return heap(
                ManagementFactory.getRuntimeMXBean().getInputArguments(),
                Runtime.getRuntime().maxMemory());
    }

    /**
     * The heap as it was asked for: the last -Xmx (or -XX:MaxHeapSize) of the JVM's arguments, the
     * launcher's from {@value #HEAP_ENV} or a later one from JAVA_OPTS, which wins; else what the
     * JVM reports, which leaves out a survivor space under some collectors (Serial's 256 MiB heap
     * reports 247 MiB).
     *
     * @param jvmArguments the JVM's input arguments
     * @param maxMemory {@link Runtime#maxMemory()}
     * @return e.g. {@code 256 MiB}, {@code 2 GiB}, {@code 1.5 GiB}
     */
    static String heap(List<String> jvmArguments, long maxMemory) {
        long bytes = maxMemory;
        for (String argument : jvmArguments) {
            Matcher m = MAX_HEAP.matcher(argument);
            if (m.matches() && m.group(1).length() < 13) {
                bytes = Long.parseLong(m.group(1)) * unit(m.group(2));
            }
        }
        if (bytes < GIB) {
            return Math.max(1, Math.round(bytes / (double) MIB)) + " MiB";
        }
        double gib = bytes / (double) GIB;
        return gib == Math.rint(gib)
                ? (long) gib + " GiB"
                : String.format(Locale.ROOT, "%.1f GiB", gib);
    }

    private static long unit(String suffix) {
        return switch (suffix.toLowerCase(Locale.ROOT)) {
            case "k" -> 1L << 10;
            case "m" -> MIB;
            case "g" -> GIB;
            case "t" -> 1L << 40;
            default -> 1;
        };
    }

    /**
     * The exception's first message line, then each cause's that adds to it.
     *
     * @param e the failure
     * @return its description in one line
     */
    public static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(firstLine(e));
        // at most 8 causes: a chain that loops back on itself must not loop here
        Throwable c = e.getCause();
        for (int depth = 0; c != null && depth < 8; depth++, c = c.getCause()) {
            String line = firstLine(c);
            if (!text.toString().contains(line)) {
                text.append(": ").append(line);
            }
        }
        return text.toString();
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse(message).strip();
    }
}
