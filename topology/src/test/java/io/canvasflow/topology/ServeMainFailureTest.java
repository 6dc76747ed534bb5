package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.canvasflow.cli.options.CommandFailures;
import io.canvasflow.testsupport.ThrowingCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** serve's own main (the container image's) says an Error in one line, as ./canvasflow does. */
class ServeMainFailureTest {

    @Test
    void shouldSayRunningOutOfMemoryInOneLineWithStatusOne() {
        assumeTrue(System.getenv(CommandFailures.TRACE_ENV) == null, "CANVASFLOW_TRACE is set");
        // Given serve's command line as its main builds it, and a command out of heap
        CommandLine cli = ServeCommand.commandLine();
        cli.addSubcommand("throwing", new ThrowingCommand(new OutOfMemoryError("Java heap space")));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        // When it runs
        List<Object> result =
                List.of(
                        ThrowingCommand.executeCatchingErrors(cli, "throwing"),
                        err.toString().strip());

        // Then it is one line naming the heap and what to do, status 1, no stack trace
        assertEquals(
                List.of(
                        1,
                        "serve throwing: failed: out of memory (Java heap space) in this JVM's heap"
                                + " of "
                                + CommandFailures.heap()
                                + "; give smaller sizes or counts, or more heap with"
                                + " CANVASFLOW_HEAP (set CANVASFLOW_TRACE=1 for the stack trace)"),
                result);
    }
}
