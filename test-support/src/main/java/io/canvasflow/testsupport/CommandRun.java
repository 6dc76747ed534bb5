package io.canvasflow.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * A picocli command run as the command line runs it, with what it printed.
 *
 * @param exit the exit code
 * @param out standard output
 * @param err standard error
 */
public record CommandRun(int exit, String out, String err) {

    /** Runs {@code command} with {@code args}, capturing both streams. */
    public static CommandRun of(Object command, String... args) {
        return of(() -> new CommandLine(command), args);
    }

    /**
     * Runs a command line set up as a program sets it up (its exception handlers, for example),
     * capturing both streams.
     *
     * @param commandLine makes the command line; it is called once the streams are redirected,
     *     since picocli takes {@code System.out} and {@code System.err} when it is built
     * @param args the arguments
     * @return the exit code and what the command printed
     */
    public static CommandRun of(Supplier<CommandLine> commandLine, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = commandLine.get().execute(args);
            return new CommandRun(
                    exit,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /**
     * Runs a command capturing only picocli's own writers, so that a log line printed on the way
     * stays out of what a test checks.
     *
     * @param command the command
     * @param args the arguments
     * @return the exit code and what picocli printed
     */
    public static CommandRun ofWriters(Object command, List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit =
                new CommandLine(command)
                        .setOut(new PrintWriter(out, true))
                        .setErr(new PrintWriter(err, true))
                        .execute(args.toArray(String[]::new));
        return new CommandRun(exit, out.toString(), err.toString());
    }

    /** The lines of standard error. */
    public List<String> errLines() {
        return err.lines().toList();
    }
}
