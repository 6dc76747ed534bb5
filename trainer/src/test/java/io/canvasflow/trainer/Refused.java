package io.canvasflow.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.testsupport.CommandRun;

/** What a command refused in one sentence did: status 2 and that sentence alone on stderr. */
public final class Refused {

    private Refused() {}

    /**
     * Asserts that the run exited with status 2 and wrote only {@code stderr} to standard error,
     * give or take the white space around it.
     *
     * @param run the run
     * @param stderr the whole of standard error: {@code canvasflow train: ...}
     */
    public static void assertRefused(CommandRun run, String stderr) {
        assertEquals(2, run.exit(), run.err());
        assertEquals(stderr, run.err().strip());
    }
}
