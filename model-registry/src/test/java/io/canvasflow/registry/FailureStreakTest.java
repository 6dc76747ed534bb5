package io.canvasflow.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What a run of failures logs and reports, on a clock the test moves. */
class FailureStreakTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final FailureStreak streak =
            new FailureStreak("model follower", Duration.ofSeconds(1), clock::get);

    @Test
    void shouldSayAFailureAtOnceThenOnceAMinuteAndItsEndOnce() {
        // Given nothing failed: nothing to say
        assertEquals(Optional.empty(), streak.succeeded());
        assertEquals(Optional.empty(), streak.current());

        // When a read fails, it is said at once
        assertEquals(
                Optional.of("model follower: denied; retrying every 1 s"), streak.failed("denied"));

        // And the retries of the next minute say nothing, the streak still dated from the first
        clock.addAndGet(1_000);
        assertEquals(Optional.empty(), streak.failed("denied"));
        clock.addAndGet(58_000);
        assertEquals(Optional.empty(), streak.failed("timed out"));
        assertEquals(
                Optional.of(new ModelFollower.Failing(1_000_000, "timed out")), streak.current());

        // And a minute after it was said, it is said again with how long it has lasted
        clock.addAndGet(1_000);
        assertEquals(
                Optional.of("model follower still failing after 60 s: denied; retrying every 1 s"),
                streak.failed("denied"));
        clock.addAndGet(30_000);
        assertEquals(Optional.empty(), streak.failed("denied"));

        // When a read works two retries after a failure, the streak goes on (a permission that
        // Kafka refuses on some polls only is one failure, not one a second)
        clock.addAndGet(2_000);
        assertEquals(Optional.empty(), streak.succeeded());
        assertEquals(Optional.of(new ModelFollower.Failing(1_000_000, "denied")), streak.current());

        // When reads still work five retries after the last failure, its end is said once and
        // nothing is failing
        clock.addAndGet(3_000);
        assertEquals(
                Optional.of("model follower recovered after failing for 95 s (last: denied)"),
                streak.succeeded());
        assertEquals(Optional.empty(), streak.current());
        assertEquals(Optional.empty(), streak.succeeded());

        // And the next failure starts a streak of its own, said at once
        clock.addAndGet(1_000);
        assertEquals(
                Optional.of("model follower: denied; retrying every 1 s"), streak.failed("denied"));
        assertEquals(Optional.of(new ModelFollower.Failing(1_096_000, "denied")), streak.current());
    }
}
