package io.canvasflow.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Checks what every command promises about bad input: it exits 2 with one sentence that names the
 * thing, before it starts anything, and never with a stack trace.
 */
public final class Refusals {

    private Refusals() {}

    /**
     * Runs the command once for each bad argument list and asserts it was refused: exit status 2,
     * the expected words in the first line of standard error, no stack trace. Only picocli's own
     * writers are captured, so a log line printed on the way stays out of what is checked.
     *
     * @param command makes a fresh command for each run
     * @param refusals each argument list with words its refusal must contain
     * @return the runs, for what a test checks besides (nothing started, nothing written)
     */
    public static List<CommandRun> assertEachRefused(
            Supplier<Object> command, Map<List<String>, String> refusals) {
        List<CommandRun> runs = new ArrayList<>();
        refusals.forEach(
                (args, words) -> {
                    CommandRun run = CommandRun.ofWriters(command.get(), args);

                    assertEquals(2, run.exit(), args + ": " + run.err());
                    String first = run.err().lines().findFirst().orElse("");
                    assertTrue(first.contains(words), args + ": " + run.err());
                    assertFalse(run.err().contains("\tat "), args + ": " + run.err());
                    runs.add(run);
                });
        return runs;
    }

    /**
     * A command's help without white space, to look for words in whatever way picocli wrapped them
     * (it wraps at dots too): {@code -Dprocessing.guarantee=at_least_once}.
     *
     * @param command the command
     * @return its usage message, every run of white space removed
     */
    public static String helpWords(Object command) {
        return new CommandLine(command).getUsageMessage().replaceAll("\\s+", "");
    }
}
