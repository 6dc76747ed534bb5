package io.canvasflow.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What code writes to standard error, where SLF4J's simple logger logs, for a test to read. */
public final class StandardError {

    private StandardError() {}

    /** Steps that may throw, run while standard error is captured. */
    @FunctionalInterface
    public interface Steps {
        /**
         * Runs the steps.
         *
         * @throws Exception whatever they throw
         */
        void run() throws Exception;
    }

    /**
     * Runs the steps with {@code System.err} captured, and puts the test's own back after them,
     * whether they return or throw.
     *
     * @param steps what to run
     * @return what was written to standard error while they ran
     * @throws Exception whatever the steps throw
     */
    public static String of(Steps steps) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream testErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            steps.run();
        } finally {
            System.setErr(testErr);
        }
        return err.toString(StandardCharsets.UTF_8);
    }
}
