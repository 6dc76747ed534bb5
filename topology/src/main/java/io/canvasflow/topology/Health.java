package io.canvasflow.topology;

import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What {@code /health} says: UP only while Kafka Streams is RUNNING, or REBALANCING for less than a
 * grace period (a rebalance that never ends is not health), and no stream thread has failed in the
 * last minute (a thread that keeps failing, e.g. on a topic deleted under it, is replaced in a loop
 * while the state still reads RUNNING). Thread-safe.
 */
final class Health {

    /** How long after a stream thread failed the instance reads DOWN. */
    static final long FAILURE_MEMORY_MS = 60_000;

    /**
     * The answer.
     *
     * @param up whether the instance is healthy
     * @param state the Kafka Streams state
     * @param reason why it is down; empty when up
     */
    record Status(boolean up, KafkaStreams.State state, String reason) {}

    private final LongSupplier clock;
    private final long rebalanceGraceMs;
    private long rebalancingSince = -1;
    private long lastFailureMs = -1;
    private String lastFailure = "";

    Health(LongSupplier clock, long rebalanceGraceMs) {
        this.clock = clock;
        this.rebalanceGraceMs = rebalanceGraceMs;
    }

    /** Records a state change. */
    synchronized void onState(KafkaStreams.State now) {
        if (now == KafkaStreams.State.REBALANCING) {
            if (rebalancingSince < 0) {
                rebalancingSince = clock.getAsLong();
            }
        } else {
            rebalancingSince = -1;
        }
    }

    /** Records that a stream thread failed. */
    synchronized void onThreadFailure(Throwable e) {
        lastFailureMs = clock.getAsLong();
        lastFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** The status in a given state. */
    synchronized Status status(KafkaStreams.State state) {
        return status(state, Optional.empty());
    }

    /**
     * The status in a given state, with what else keeps the instance from serving as it should.
     *
     * @param state the Kafka Streams state
     * @param stopped why the instance stopped following its models, if it did (DOWN for good)
     * @return the status
     */
    synchronized Status status(KafkaStreams.State state, Optional<String> stopped) {
        if (stopped.isPresent()) {
            return new Status(false, state, stopped.get());
        }
        long now = clock.getAsLong();
        if (lastFailureMs >= 0 && now - lastFailureMs < FAILURE_MEMORY_MS) {
            return new Status(
                    false,
                    state,
                    "a stream thread failed "
                            + (now - lastFailureMs) / 1000
                            + " s ago: "
                            + lastFailure);
        }
        if (state == KafkaStreams.State.RUNNING) {
            return new Status(true, state, "");
        }
        if (state == KafkaStreams.State.REBALANCING) {
            long since = rebalancingSince < 0 ? 0 : now - rebalancingSince;
            return since < rebalanceGraceMs
                    ? new Status(true, state, "")
                    : new Status(false, state, "rebalancing for " + since / 1000 + " s");
        }
        return new Status(false, state, "Kafka Streams is " + state);
    }
}
