package io.canvasflow.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on a {@link CommandRun}, each failing with what the command printed to stderr. */
public final class CommandAssertions {

    private CommandAssertions() {}

    /**
     * Asserts that the command refused to run as a command refuses bad input: exit status 2, with
     * {@code words} somewhere in its standard error.
     *
     * @param run the run
     * @param words what the refusal must say
     */
    public static void assertRefused(CommandRun run, String words) {
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().contains(words), run.err());
    }

    /**
     * Asserts that the command refused to run in one sentence: exit status 2, and {@code stderr}
     * alone on standard error, give or take the white space around it.
     *
     * @param run the run
     * @param stderr the whole of standard error: {@code canvasflow train: ...}
     */
    public static void assertRefusedSaying(CommandRun run, String stderr) {
        assertEquals(2, run.exit(), run.err());
        assertEquals(stderr, run.err().strip());
    }
}
