package io.canvasflow.topology;

import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What {@code /health} says. UP only while Kafka Streams is RUNNING, or REBALANCING for less than a
 * grace period, and none of these holds:
 *
 * <ul>
 *   <li>a stream thread failed in the last minute (a thread that keeps failing, e.g. on a topic
 *       deleted under it, is replaced in a loop while the state still reads RUNNING);
 *   <li>over the last {@link #PROGRESS_WINDOW_MS}, masks were made and no transaction committed: a
 *       thread whose transactions outlast {@code transaction.timeout.ms} is fenced, rebalances,
 *       runs again and is fenced again, with no failure to count and RUNNING most of the time, and
 *       none of its masks is ever readable;
 *   <li>the instance stopped following its models.
 * </ul>
 *
 * Thread-safe.
 */
final class Health {

    /** How long after a stream thread failed the instance reads DOWN. */
    static final long FAILURE_MEMORY_MS = 60_000;

    /** The window over which masks made and transactions committed are compared. */
    static final long PROGRESS_WINDOW_MS = 60_000;

    /**
     * The answer.
     *
     * @param up whether the instance is healthy
     * @param state the Kafka Streams state
     * @param reason why it is down; empty when up
     */
    record Status(boolean up, KafkaStreams.State state, String reason) {}

    /**
     * What the instance has done so far.
     *
     * @param masks masks made (in transactions that may yet abort)
     * @param commits transactions committed by the stream threads running now ({@code
     *     commit-total}; a replaced thread's count goes with it)
     */
    record Progress(double masks, double commits) {}

    private final LongSupplier clock;
    private final long rebalanceGraceMs;
    private final Supplier<Progress> progress;
    private long rebalancingSince = -1;
    private long lastFailureMs = -1;
    private String lastFailure = "";
    private Progress mark;
    private long markMs;
    private String stalled;

    Health(LongSupplier clock, long rebalanceGraceMs) {
        this(clock, rebalanceGraceMs, () -> new Progress(0, 0));
    }

    Health(LongSupplier clock, long rebalanceGraceMs, Supplier<Progress> progress) {
        this.clock = clock;
        this.rebalanceGraceMs = rebalanceGraceMs;
        this.progress = progress;
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
        String stalledNow = stalled(now);
        if (stalledNow != null) {
            return new Status(false, state, stalledNow);
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

    /** Over the last window: masks made and no transaction committed; judged once a window. */
    private String stalled(long now) {
        if (mark == null) {
            mark = progress.get();
            markMs = now;
        } else if (now - markMs >= PROGRESS_WINDOW_MS) {
            Progress p = progress.get(); // read once a window: it walks every metric
            double masks = p.masks() - mark.masks();
            stalled =
                    // (a count that fell is a replaced thread's: judged on the next window)
                    masks > 0 && p.commits() == mark.commits()
                            ? "in the last "
                                    + (now - markMs) / 1000
                                    + " s "
                                    + (long) masks
                                    + " masks were made and no transaction committed, so none"
                                    + " is readable (a stream thread fenced again and again? see"
                                    + " the log)"
                            : null;
            mark = p;
            markMs = now;
        }
        return stalled;
    }
}
