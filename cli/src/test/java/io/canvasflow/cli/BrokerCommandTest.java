package io.canvasflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.cli.BrokerCommand.TopicSpec;
import io.canvasflow.cli.BrokerCommand.TopicSpecConverter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        // as main runs it: a bad option is one line
        return CanvasflowCli.commandLine()
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
                                "canvasflow broker: Invalid value for option '--topic'"
                                        + " (NAME[:PARTITIONS]): expected"
                                        + " a positive partition count after ':' but found"
                                        + " 't:zero'"),
                err.toString());
    }

    @Test
    void shouldRefuseATakenPortOrAFileForDataInOneSentence(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int exit = execute("broker", "--port", Integer.toString(taken.getLocalPort()));

            assertEquals(2, exit, err.toString());
            assertEquals(
                    "canvasflow broker: port "
                            + taken.getLocalPort()
                            + " on 127.0.0.1 is taken (another broker?); stop what listens there or"
                            + " choose another --port / --controller-port",
                    err.toString().strip());
        }
        err.getBuffer().setLength(0);
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertEquals(2, execute("broker", "--smoke", "--data-dir", file.toString()));
        assertEquals(
                "canvasflow broker: Invalid value for option '--data-dir': "
                        + file
                        + " is a file; give a folder to write",
                err.toString().strip());
        err.getBuffer().setLength(0);

        // a folder of other things (--data-dir . in a project): refused, nothing written there
        Path project = Files.createDirectories(dir.resolve("project/src")).getParent();
        assertEquals(2, execute("broker", "--smoke", "--data-dir", project.toString()));
        assertEquals(
                "canvasflow broker: --data-dir "
                        + project
                        + " is not a Kafka broker's data folder: it holds src and no"
                        + " meta.properties; give an empty or new folder",
                err.toString().strip());
        try (var entries = Files.list(project)) {
            assertEquals(1, entries.count());
        }
        err.getBuffer().setLength(0);

        // a folder even root may not make (the kernel's /proc): a refusal, not a failed start
        if (Files.isDirectory(Path.of("/proc/self"))) {
            assertEquals(2, execute("broker", "--smoke", "--data-dir", "/proc/cf-test/data"));
            // (as root, made and refused by the kernel; as another user, refused as read)
            String said = err.toString();
            assertTrue(
                    said.startsWith("canvasflow broker: ")
                            && said.contains("/proc/cf-test/data cannot be")
                            && said.strip().lines().count() == 1,
                    said);
            err.getBuffer().setLength(0);
        }

        assertEquals(2, execute("broker", "--topic", "bad/name"));
        assertTrue(err.toString().contains("bad/name"), err.toString());
        err.getBuffer().setLength(0);

        // x was created with 2 partitions and x:3 dropped without a word
        assertEquals(2, execute("broker", "--topic", "x:2", "--topic", "x:3"));
        assertEquals(
                "canvasflow broker: --topic x is given twice; give each topic once",
                err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(2, execute("broker", "--topic", "a.b", "--topic", "a_b"));
        assertEquals(
                "canvasflow broker: --topic a.b and a_b collide (Kafka takes '.' and '_' as the"
                        + " same); give only one of them",
                err.toString().strip());
        err.getBuffer().setLength(0);

        assertEquals(2, execute("broker", "--port", "70000"));
        assertTrue(err.toString().startsWith("canvasflow broker: expected broker and controller"));
    }

    @Test
    void shouldAskForSubcommandWhenNoneIsGiven() {
        int exit = execute();

        assertEquals(2, exit);
        assertEquals(
                "canvasflow: Missing required subcommand (see 'canvasflow --help')",
                err.toString().strip());
    }

    @Test
    void shouldGuessAMistypedSubcommand() {
        assertEquals(2, execute("brokr"));

        assertEquals(
                "canvasflow: Unmatched argument at index 0: 'brokr'; did you mean broker?"
                        + " (see 'canvasflow --help')",
                err.toString().strip());
    }
}
