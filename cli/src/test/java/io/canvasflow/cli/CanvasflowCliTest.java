package io.canvasflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.canvasflow.cli.options.CommandFailures;
import io.canvasflow.model.DeviceChoice;
import io.canvasflow.testsupport.ThrowingCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class CanvasflowCliTest {

    @Test
    void shouldKeepDjlsTwiceRepeatedGpuWarningQuietForOurOneLine() {
        // Given the command line, as main builds it
        CanvasflowCli.commandLine();

        // Then DJL's GPU probe logs errors only (DeviceChoice says "runs on the CPU" once)
        assertEquals(
                "error",
                System.getProperty(
                        "org.slf4j.simpleLogger.log." + DeviceChoice.DJL_GPU_PROBE_LOGGER));
    }

    @Test
    void shouldKeepTheEmbeddedBrokersInternalTopicRaceQuiet() {
        // Given the command line, as main builds it
        CanvasflowCli.commandLine();

        // Then the broker's internal-topic creation logs errors only: two transactional clients
        // that start together no longer leave a TOPIC_ALREADY_EXISTS WARN in the demo
        assertEquals(
                "error",
                System.getProperty(
                        "org.slf4j.simpleLogger.log.kafka.server.DefaultAutoTopicCreationManager"));
    }

    @Test
    void shouldKeepDjlsEngineStartLinesOffTheErrorStream() {
        // Given the command line, as main builds it
        CanvasflowCli.commandLine();

        // Then DJL logs warnings only: its four INFO lines at every engine start no longer stand
        // before a command's one-sentence error (evaluate with a bad --data had them)
        assertEquals("warn", System.getProperty("org.slf4j.simpleLogger.log.ai.djl"));
    }

    @Test
    void shouldSayAFailureNoCommandExpectedInOneLineWithStatusOne() {
        assumeTrue(System.getenv(CommandFailures.TRACE_ENV) == null, "CANVASFLOW_TRACE is set");
        // Given a subcommand that fails in a way it did not turn into its own sentence
        CommandLine cli = CanvasflowCli.commandLine();
        cli.addSubcommand("boom", new Boom());
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        // When it runs
        int status = cli.execute("boom");

        // Then it is one line that names the command and each cause, status 1, no stack trace
        assertEquals(1, status, err.toString());
        assertEquals(
                "canvasflow boom: failed: cannot listen on port 8080: Address already in use"
                        + " (set CANVASFLOW_TRACE=1 for the stack trace)",
                err.toString().strip());
    }

    @Test
    void shouldSayRunningOutOfMemoryInOneLineWithWhatToDo() {
        assumeTrue(System.getenv(CommandFailures.TRACE_ENV) == null, "CANVASFLOW_TRACE is set");
        // Given a subcommand whose sizes the heap cannot hold (train --batch 100000 did this)
        CommandLine cli = CanvasflowCli.commandLine();
        cli.addSubcommand("throwing", new ThrowingCommand(new OutOfMemoryError("Java heap space")));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        // When it runs
        int status = ThrowingCommand.executeCatchingErrors(cli, "throwing");

        // Then it is one line that names the command, the heap and what to do, status 1, no
        // stack trace (picocli let an Error through as a trace)
        assertEquals(1, status, err.toString());
        assertEquals(
                "canvasflow throwing: failed: out of memory (Java heap space) in this JVM's"
                        + " heap of "
                        + CommandFailures.heap()
                        + "; give smaller sizes or counts, or more heap with CANVASFLOW_HEAP"
                        + " (set CANVASFLOW_TRACE=1 for the stack trace)",
                err.toString().strip());
    }

    @Test
    void shouldSayAnyOtherErrorAsAFailureInOneLine() {
        assumeTrue(System.getenv(CommandFailures.TRACE_ENV) == null, "CANVASFLOW_TRACE is set");
        // Given a subcommand that overflows its stack
        CommandLine cli = CanvasflowCli.commandLine();
        cli.addSubcommand("throwing", new ThrowingCommand(new StackOverflowError()));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        // When it runs
        int status = ThrowingCommand.executeCatchingErrors(cli, "throwing");

        // Then it is the one line of any unexpected failure, status 1
        assertEquals(1, status, err.toString());
        assertEquals(
                "canvasflow throwing: failed: StackOverflowError (set CANVASFLOW_TRACE=1 for the"
                        + " stack trace)",
                err.toString().strip());
    }

    @Test
    void shouldSayAKeyValueOptionGivenAKeyAloneInOneSentence() {
        // Given serve's and replay's -D, and masks' --consumer-property, each with a key and no =
        String[][] commands = {
            {"serve", "-D", "canvas.max.gap.ms"},
            {"replay", "-D", "canvas.max.gap.ms"},
            {"masks", "--consumer-property", "group.id"}
        };

        // When each runs
        List<String> said = new ArrayList<>();
        for (String[] args : commands) {
            CommandLine cli = CanvasflowCli.commandLine();
            StringWriter err = new StringWriter();
            cli.setErr(new PrintWriter(err));
            said.add(cli.execute(args) + " " + err.toString().strip());
        }

        // Then each is one sentence naming the option and the key, and what to give, status 2
        assertEquals(
                List.of(
                        "2 canvasflow serve: -D canvas.max.gap.ms has no value; give -D KEY=VALUE",
                        "2 canvasflow replay: -D canvas.max.gap.ms has no value; give -D"
                                + " KEY=VALUE",
                        "2 canvasflow masks: --consumer-property group.id has no value; give"
                                + " --consumer-property KEY=VALUE"),
                said);
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new UncheckedIOException(
                    "cannot listen on port 8080", new BindException("Address already in use"));
        }
    }
}
