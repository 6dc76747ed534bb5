package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.registry.ModelFollower;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

/** What /health says as states and progress change, on a clock the test moves. */
class HealthTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final AtomicReference<Health.Progress> progress =
            new AtomicReference<>(new Health.Progress(0, 0));
    private final Health health = new Health(clock::get, 60_000, progress::get);

    /** A minute later, with this much done in all. */
    private Health.Status aMinuteLater(double masks, double commits) {
        progress.set(new Health.Progress(masks, commits));
        clock.addAndGet(Health.PROGRESS_WINDOW_MS);
        return health.status(State.RUNNING);
    }

    @Test
    void shouldReadDownWhenMasksAreMadeAndNoTransactionCommits() {
        health.onState(State.RUNNING);
        assertTrue(health.status(State.RUNNING).up());

        // a minute in which 600 masks were made and committed
        assertTrue(aMinuteLater(600, 500).up());

        // a minute in which masks were made and every transaction was fenced, RUNNING throughout
        Health.Status fenced = aMinuteLater(1200, 500);
        assertFalse(fenced.up());
        assertEquals(
                "in the last 60 s 600 masks were made and no transaction committed, so none is"
                        + " readable (a stream thread fenced again and again? see the log)",
                fenced.reason());

        // a quiet minute, no frames at all, is no fault; a minute whose thread was replaced (its
        // commit count went with it) is judged on the next one
        assertTrue(aMinuteLater(1200, 500).up());
        assertTrue(aMinuteLater(1300, 20).up());
        assertTrue(aMinuteLater(1400, 40).up());
    }

    @Test
    void shouldReadDownOnlyOnceTheFollowerHasFailedPastTheGraceAndUpOnceItReadsAgain() {
        health.onState(State.RUNNING);

        // Given a follower failing since now (an ACL revoked), the latest failure a timeout
        Optional<ModelFollower.Failing> failing =
                Optional.of(new ModelFollower.Failing(clock.get(), "TimeoutException: no answer"));

        // Then the instance reads UP through the grace, failures and all
        clock.addAndGet(Health.FOLLOWER_GRACE_MS);
        assertEquals(
                new Health.Status(true, State.RUNNING, ""),
                health.status(State.RUNNING, Optional.empty(), failing));

        // And DOWN past it, saying for how long and on what, while it stays alive: a restart
        // would not mend it
        clock.addAndGet(1_000);
        assertEquals(
                new Health.Status(
                        false,
                        State.RUNNING,
                        "the model follower has failed to read the registry for 61 s"
                                + " (TimeoutException: no answer), so this instance sees no new"
                                + " model or assignment"),
                health.status(State.RUNNING, Optional.empty(), failing));
        assertEquals(
                new Health.Status(true, State.RUNNING, ""),
                health.liveness(State.RUNNING, Optional.empty()));

        // And UP again once a poll works (the follower's failures are cleared)
        assertTrue(health.status(State.RUNNING, Optional.empty(), Optional.empty()).up());

        // And a follower that stopped for good is DOWN for liveness too, whatever else holds
        Optional<String> stopped = Optional.of("the model follower stopped on OutOfMemoryError");
        assertEquals(
                new Health.Status(false, State.RUNNING, stopped.get()),
                health.liveness(State.RUNNING, stopped));
        assertEquals(
                new Health.Status(false, State.RUNNING, stopped.get()),
                health.status(State.RUNNING, stopped, failing));
    }

    @Test
    void shouldTimeARebalanceFromItsOwnStart() {
        // a 55 s rebalance (restoring), a short RUNNING spell, another rebalance
        health.onState(State.REBALANCING);
        clock.addAndGet(55_000);
        health.onState(State.RUNNING);
        clock.addAndGet(5_000);
        health.onState(State.REBALANCING);
        assertTrue(health.status(State.REBALANCING).up());

        // only a rebalance that itself lasts past the grace reads DOWN
        clock.addAndGet(61_000);
        assertEquals("rebalancing for 61 s", health.status(State.REBALANCING).reason());
    }
}
