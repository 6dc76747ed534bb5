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
 *   <li>rebalances have followed one another for more than the grace period, {@link
 *       #FLAPPING_REBALANCES} or more with RUNNING never lasting {@link #SETTLED_MS} between them
 *       (a thread fenced for a transaction that ran too long rebalances, runs for a moment, and is
 *       fenced again, with no failure to count), even read while RUNNING;
 *   <li>over the last {@link #PROGRESS_WINDOW_MS}, frames failed to segment and none made a mask (a
 *       model that throws on every frame, its device lost: every frame a dead letter);
 *   <li>the instance stopped following its models.
 * </ul>
 *
 * Thread-safe.
 */
final class Health {

    /** How long after a stream thread failed the instance reads DOWN. */
    static final long FAILURE_MEMORY_MS = 60_000;

    /** How long RUNNING must last for a rebalance to be over. */
    static final long SETTLED_MS = 10_000;

    /** How many rebalances with no settled spell between them make a loop. */
    static final int FLAPPING_REBALANCES = 3;

    /** The window over which masks and failed frames are compared. */
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
     * @param masks masks made
     * @param failed frames that failed to segment (dead letters with reason PROCESSING_ERROR)
     */
    record Progress(double masks, double failed) {}

    private final LongSupplier clock;
    private final long rebalanceGraceMs;
    private final Supplier<Progress> progress;
    private long unsettledSince = -1;
    private long runningSince = -1;
    private int rebalances;
    private long lastFailureMs = -1;
    private String lastFailure = "";
    private Progress mark;
    private long markMs;
    private String failing;

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
        long t = clock.getAsLong();
        if (now == KafkaStreams.State.REBALANCING) {
            settle(t);
            if (unsettledSince < 0) {
                unsettledSince = t;
                rebalances = 0;
            }
            rebalances++;
            runningSince = -1;
        } else if (now == KafkaStreams.State.RUNNING) {
            runningSince = t;
        } else {
            runningSince = -1;
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
        settle(now);
        long unsettled = unsettledSince < 0 ? 0 : now - unsettledSince;
        if (unsettled >= rebalanceGraceMs && rebalances >= FLAPPING_REBALANCES) {
            return new Status(
                    false,
                    state,
                    rebalances
                            + " rebalances in "
                            + unsettled / 1000
                            + " s, never RUNNING for "
                            + SETTLED_MS / 1000
                            + " s between them (a thread fenced again and again? see the log)");
        }
        if (state == KafkaStreams.State.REBALANCING && unsettled >= rebalanceGraceMs) {
            return new Status(false, state, "rebalancing for " + unsettled / 1000 + " s");
        }
        String failingNow = failing(now);
        if (failingNow != null) {
            return new Status(false, state, failingNow);
        }
        if (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING) {
            return new Status(true, state, "");
        }
        return new Status(false, state, "Kafka Streams is " + state);
    }

    /** Ends an unsettled spell once RUNNING has lasted. */
    private void settle(long now) {
        if (runningSince >= 0 && now - runningSince >= SETTLED_MS) {
            unsettledSince = -1;
        }
    }

    /** Over the last window: frames failed and no mask was made; judged once a window. */
    private String failing(long now) {
        Progress p = progress.get();
        if (mark == null) {
            mark = p;
            markMs = now;
        } else if (now - markMs >= PROGRESS_WINDOW_MS) {
            double failed = p.failed() - mark.failed();
            failing =
                    failed > 0 && p.masks() == mark.masks()
                            ? "in the last "
                                    + (now - markMs) / 1000
                                    + " s "
                                    + (long) failed
                                    + " frames failed to segment and none made a mask (the"
                                    + " dead-letter topic says why, reason PROCESSING_ERROR)"
                            : null;
            mark = p;
            markMs = now;
        }
        return failing;
    }
}
