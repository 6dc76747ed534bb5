package io.canvasflow.registry;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A run of failures with no success between them, and what to log about it: the first failure at
 * once, then at most one line every {@link #SAY_AGAIN_MS} while it lasts (how long it has lasted,
 * the latest failure), and one line when a success ends it. A loop that retries every second then
 * logs a minute's failures once, not sixty times. Only a success {@link #SETTLE_RETRIES} retries
 * after the last failure ends a streak: a read that fails now and then (Kafka answers a revoked
 * Read permission on some polls, not all) is one streak, as long as it goes on, not a new one every
 * second that {@code /health} would never see last. Thread-safe: the follower records, {@code
 * /health} reads.
 */
final class FailureStreak {

    /** How often a failure that goes on is said again. */
    static final long SAY_AGAIN_MS = 60_000;

    /** How many retries' time without a failure ends a streak. */
    static final int SETTLE_RETRIES = 5;

    private final String what;
    private final String retrying;
    private final long settleMs;
    private final LongSupplier clock;
    private ModelFollower.Failing failing;
    private long saidMs;
    private long lastFailureMs;

    /**
     * A streak of nothing yet.
     *
     * @param what what fails, as a log line names it ("model follower")
     * @param retry how often what fails is tried again, as the log lines say
     * @param clock milliseconds since the epoch: {@link ModelFollower.Failing#sinceMillis()} is
     *     compared with another clock's
     */
    FailureStreak(String what, Duration retry, LongSupplier clock) {
        this.what = what;
        this.retrying =
                "; retrying every "
                        + BigDecimal.valueOf(retry.toMillis(), 3)
                                .stripTrailingZeros()
                                .toPlainString()
                        + " s";
        this.settleMs = SETTLE_RETRIES * retry.toMillis();
        this.clock = clock;
    }

    /**
     * Records a failure.
     *
     * @param cause the failure, in one line
     * @return the WARN line to log now, if one is due
     */
    synchronized Optional<String> failed(String cause) {
        long now = clock.getAsLong();
        lastFailureMs = now;
        if (failing == null) {
            failing = new ModelFollower.Failing(now, cause);
            saidMs = now;
            return Optional.of(what + ": " + cause + retrying);
        }
        failing = new ModelFollower.Failing(failing.sinceMillis(), cause);
        if (now - saidMs < SAY_AGAIN_MS) {
            return Optional.empty();
        }
        saidMs = now;
        return Optional.of(
                what
                        + " still failing after "
                        + (now - failing.sinceMillis()) / 1000
                        + " s: "
                        + cause
                        + retrying);
    }

    /**
     * Records a success: the end of the streak, if there was one and its last failure is {@link
     * #SETTLE_RETRIES} retries old.
     *
     * @return the INFO line to log now, when this ended a streak
     */
    synchronized Optional<String> succeeded() {
        if (failing == null || clock.getAsLong() - lastFailureMs < settleMs) {
            return Optional.empty();
        }
        String line =
                what
                        + " recovered after failing for "
                        + (clock.getAsLong() - failing.sinceMillis()) / 1000
                        + " s (last: "
                        + failing.lastFailure()
                        + ")";
        failing = null;
        return Optional.of(line);
    }

    /** The streak going on now, if one is. */
    synchronized Optional<ModelFollower.Failing> current() {
        return Optional.ofNullable(failing);
    }
}
