package io.canvasflow.topology;

import io.canvasflow.registry.ModelFollower;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What {@code /health} says. UP only while Kafka Streams is RUNNING, or REBALANCING for less than a
 * grace period and restoring no store, and none of these holds:
 *
 * <ul>
 *   <li>a stream thread failed in the last {@link #FAILURE_MEMORY_MS} (a thread that keeps failing,
 *       e.g. on a topic deleted under it, is replaced in a loop while the state still reads
 *       RUNNING);
 *   <li>over the last {@link #PROGRESS_WINDOW_MS}, masks were made and no transaction committed: a
 *       thread whose transactions outlast {@code transaction.timeout.ms} is fenced, rebalances,
 *       runs again and is fenced again, with no failure to count and RUNNING most of the time, and
 *       none of its masks is ever readable;
 *   <li>the instance stopped following its models;
 *   <li>the model follower has failed to read the registry for longer than {@link
 *       #FOLLOWER_GRACE_MS} without a poll that worked (an ACL revoked, a broker that does not
 *       answer): the instance serves on, with the models and assignments it has, but sees no new
 *       ones. UP again once it reads again.
 * </ul>
 *
 * <p>While Kafka Streams restores the stores from their changelogs ({@link #onRestore}) it stays
 * REBALANCING, however long the restore takes, and the instance is not ready. It is alive so long
 * as the restore makes progress: the grace is counted from its latest batch, not from the
 * rebalance's start, as a pod killed ({@code /health/live}) in the middle of a restore would start
 * it over. A restore that makes no progress for the grace is DOWN all the same.
 *
 * <p>{@link #liveness} is the same but for the last and for a restore: what a restart may mend.
 * Kubernetes' liveness and startup probes ask it ({@code /health/live}) and its readiness probe
 * asks {@link #status} ({@code /health}): a follower that cannot read, which a restart does not
 * mend (the ACL stays revoked), marks the pod not ready, for all to see, rather than restarting it
 * in a loop, each restart a pause in segmenting its cameras' frames.
 *
 * <p>Thread-safe.
 */
final class Health {

    /** How long after a stream thread failed the instance reads DOWN. */
    static final long FAILURE_MEMORY_MS = 60_000;

    /** How long the model follower may fail to read the registry before the instance reads DOWN. */
    static final long FOLLOWER_GRACE_MS = 60_000;

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
    private long restoringSince = -1;
    private long restoredLast = -1;
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
        if (now == KafkaStreams.State.RUNNING) {
            restoringSince = -1; // RUNNING only once every active task is restored
        }
    }

    /**
     * Records a restore's progress: a partition's restore started, a batch was restored, or one
     * ended.
     *
     * @param restoring whether any partition's restore is still under way
     */
    synchronized void onRestore(boolean restoring) {
        long now = clock.getAsLong();
        restoredLast = now;
        if (!restoring) {
            restoringSince = -1;
        } else if (restoringSince < 0) {
            restoringSince = now;
        }
    }

    /** Records that a stream thread failed. */
    synchronized void onThreadFailure(Throwable e) {
        lastFailureMs = clock.getAsLong();
        lastFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** The status in a given state. */
    synchronized Status status(KafkaStreams.State state) {
        return status(state, Optional.empty(), Optional.empty());
    }

    /**
     * The status in a given state, with what else keeps the instance from serving as it should.
     *
     * @param state the Kafka Streams state
     * @param stopped why the instance stopped following its models, if it did (DOWN for good)
     * @param failing the model follower's failures to read the registry going on now, if any
     * @return the status
     */
    synchronized Status status(
            KafkaStreams.State state,
            Optional<String> stopped,
            Optional<ModelFollower.Failing> failing) {
        Status live = liveness(state, stopped);
        if (live.up() && state == KafkaStreams.State.REBALANCING && restoringSince >= 0) {
            return new Status(
                    false,
                    state,
                    "restoring the state stores from their changelogs for "
                            + (clock.getAsLong() - restoringSince) / 1000
                            + " s");
        }
        long since = failing.map(f -> clock.getAsLong() - f.sinceMillis()).orElse(0L);
        if (!live.up() || since <= FOLLOWER_GRACE_MS) {
            return live;
        }
        return new Status(
                false,
                state,
                "the model follower has failed to read the registry for "
                        + since / 1000
                        + " s ("
                        + failing.get().lastFailure()
                        + "), so this instance sees no new model or assignment");
    }

    /**
     * The status but for the model follower's failures to read: what a restart may mend.
     *
     * @param state the Kafka Streams state
     * @param stopped why the instance stopped following its models, if it did (DOWN for good)
     * @return the status
     */
    synchronized Status liveness(KafkaStreams.State state, Optional<String> stopped) {
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
            long start = rebalancingSince < 0 ? now : rebalancingSince;
            // a restore's progress within the rebalance restarts the grace
            long quiet = now - Math.max(start, restoredLast);
            if (quiet < rebalanceGraceMs) {
                return new Status(true, state, "");
            }
            String rebalancing = "rebalancing for " + (now - start) / 1000 + " s";
            return new Status(
                    false,
                    state,
                    restoringSince < 0
                            ? rebalancing
                            : rebalancing
                                    + ", restoring the state stores with no progress for "
                                    + quiet / 1000
                                    + " s");
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
