package io.canvasflow.topology.reliability;

import static io.canvasflow.topology.reliability.Fixtures.everyFrame;
import static io.canvasflow.topology.reliability.Fixtures.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code serve} (in a child JVM) stopped with SIGTERM under exactly-once keeps its state
 * directory: its next start restores nothing, and deletes nothing. (Kafka Streams 4.3 writes no
 * {@code .checkpoint} at a clean stop; a rule that took its absence for an unclean stop deleted
 * every task's state at every restart.)
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CleanRestartTest {

    @TempDir Path dir;

    @Test
    void shouldKeepTheStateOfACleanStopAndRestoreNothingAtTheNextStart() throws Exception {
        // Given serve (exactly-once) segmenting two cameras, one per partition
        // When it is stopped with SIGTERM and started again on its state directory
        StopAndStartAgain.Outcome run =
                StopAndStartAgain.run(
                        "clean-stop",
                        dir,
                        first -> {
                            first.terminate();
                            assertEquals(
                                    0,
                                    first.awaitExit(StopAndStartAgain.TIMEOUT),
                                    first.logTail(40));
                        });

        // Then it deletes no task's state, and restores no changelog record
        assertEquals(
                List.of(),
                run.restarted().stream().filter(l -> l.contains("UncleanStop")).toList());
        assertEquals(
                List.of(),
                run.restarted().stream()
                        .filter(l -> l.matches(".*restored [1-9][0-9]* changelog.*"))
                        .toList());
        // And every frame has one mask, the first after the restart seeded from the kept canvas
        assertEquals(everyFrame(run.cameras(), 8), sequences(run.masks()));
        assertEquals(Fixtures.seeded(run.cameras(), 6), Fixtures.howEach(run.masks(), 6));
    }
}
