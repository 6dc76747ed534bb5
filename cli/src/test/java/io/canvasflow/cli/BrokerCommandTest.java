package io.canvasflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.cli.BrokerCommand.TopicSpec;
import io.canvasflow.cli.BrokerCommand.TopicSpecConverter;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BrokerCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        return new CommandLine(new CanvasflowCli())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
    }

    @Test
    void shouldRoundTripFramesInSmokeMode() {
        int exit = execute("broker", "--smoke");

        assertEquals(0, exit, err.toString());
        assertTrue(
                out.toString()
                        .startsWith(
                                "smoke OK: produced 4 and consumed 4 Frame records (identical)"),
                out.toString());
    }

    @Test
    void shouldParseTopicWithAndWithoutPartitionCount() {
        TopicSpecConverter converter = new TopicSpecConverter();

        assertEquals(new TopicSpec("a", 3), converter.convert("a:3"));
        assertEquals(new TopicSpec("b", 1), converter.convert("b"));
    }

    @Test
    void shouldRejectTopicWithBadPartitionCount() {
        int exit = execute("broker", "--topic", "t:zero");

        assertEquals(2, exit);
        assertTrue(
                err.toString()
                        .startsWith(
                                "Invalid value for option '--topic' (NAME[:PARTITIONS]): expected"
                                        + " a positive partition count after ':' but found"
                                        + " 't:zero'"),
                err.toString());
    }

    @Test
    void shouldAskForSubcommandWhenNoneIsGiven() {
        int exit = execute();

        assertEquals(2, exit);
        assertTrue(err.toString().startsWith("Missing required subcommand"), err.toString());
    }
}
