package io.canvasflow.testsupport;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** A command that throws the Error it is given, to test how a command line says an Error. */
@Command(name = "throwing")
public final class ThrowingCommand implements Callable<Integer> {

    private final Error error;

    /**
     * @param error what {@link #call} throws
     */
    public ThrowingCommand(Error error) {
        this.error = error;
    }

    @Override
    public Integer call() {
        throw error;
    }

    /**
     * Runs a command line; an Error out of it fails the test here, not the test runner (JUnit
     * rethrows an OutOfMemoryError, and the forked JVM would stop at it).
     *
     * @param cli the command line
     * @param args its arguments
     * @return its exit status
     */
    public static int executeCatchingErrors(CommandLine cli, String... args) {
        try {
            return cli.execute(args);
        } catch (Error e) {
            throw new AssertionError("execute let " + e + " through", e);
        }
    }
}
