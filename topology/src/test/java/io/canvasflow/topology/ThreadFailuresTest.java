package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.cli.options.CommandFailures;
import java.util.Optional;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
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

    @Test
    void shouldSayAMissingSourceTopicAfterABrokerRestartInOneLine() {
        // Given a stream thread whose rebalance found no metadata for the frames topic, as Kafka
        // Streams' rebalance listener throws it
        Throwable failure =
                new MissingSourceTopicException(
                        "One or more source topics were missing during rebalance");

        // When serve's handler decides what to do
        Optional<String> passing = ThreadFailures.passing(failure);

        // Then a new thread is started, and serve says why in one sentence of its own
        assertEquals(
                Optional.of(
                        "a rebalance found no metadata for a source topic (One or more source"
                                + " topics were missing during rebalance); replacing the stream"
                                + " thread: right after a broker restarts the next rebalance has"
                                + " fresh metadata, while a deleted frames topic fails every new"
                                + " thread until it is there again (the cluster watch says when"
                                + " serve's topics are gone)"),
                passing);
        assertEquals(Optional.empty(), ThreadFailures.fatal(failure));
    }

    @Test
    void shouldLeaveAnUnknownFailureToItsStackTrace() {
        // Given a stream thread that failed of something serve has no sentence for
        Throwable failure = new StreamsException(new IllegalStateException("odd"));

        // When serve's handler decides what to do
        Optional<String> passing = ThreadFailures.passing(failure);

        // Then it is not said in a line of serve's own: its stack trace is logged
        assertEquals(Optional.empty(), passing);
    }
}
