package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.cli.options.CommandFailures;
import java.util.Optional;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {

    @Test
    void shouldStopServeWhenAStreamThreadRunsOutOfHeap() {
        // Given a stream thread that died of an exhausted heap, as Kafka Streams wraps it
        Throwable failure =
                new StreamsException("task [0_1] failed", new OutOfMemoryError("Java heap space"));

        // When serve's handler decides what to do
        Optional<String> fatal = ThreadFailures.fatal(failure);

        // Then serve stops (no new thread in the same heap) with one line naming heap and setting
        assertEquals(
                Optional.of(
                        "a stream thread ran out of memory (Java heap space) in this JVM's heap of "
                                + CommandFailures.heap()
                                + ", so serve stops; give it more heap with CANVASFLOW_HEAP, or"
                                + " fewer stream threads (--threads)"),
                fatal);
    }

    @Test
    void shouldStopServeAtAnyOtherErrorOfTheJvm() {
        // Given a stream thread that died of another error of the JVM
        Throwable failure = new InternalError("bad");

        // When serve's handler decides what to do
        Optional<String> fatal = ThreadFailures.fatal(failure);

        // Then serve stops too
        assertEquals(
                Optional.of(
                        "a stream thread failed with bad, an error of the JVM itself, so serve"
                                + " stops rather than run a new one in it"),
                fatal);
    }

    @Test
    void shouldReplaceAThreadThatATimeoutFailed() {
        // Given a stream thread that a broker's timeout failed
        Throwable failure = new StreamsException(new TimeoutException("timed out"));

        // When serve's handler decides what to do
        Optional<String> fatal = ThreadFailures.fatal(failure);

        // Then a new thread may do better
        assertEquals(Optional.empty(), fatal);
    }
}
