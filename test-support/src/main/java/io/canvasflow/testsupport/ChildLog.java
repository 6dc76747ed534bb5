package io.canvasflow.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a child process wrote to its log file, for the message of a failed assertion. */
public final class ChildLog {

    private ChildLog() {}

    /**
     * The whole log under a heading, or, where it cannot be read, why.
     *
     * @param heading what the log is, such as {@code publish's output}
     * @param log the file the child's standard output and error went to
     * @return text to append to an assertion's message, starting on a line of its own
     */
    public static String text(String heading, Path log) {
        try {
            return "\n--- " + heading + " ---\n" + Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "\n(no output: " + e + ")";
        }
    }
}
