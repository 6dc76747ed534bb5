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

    @Test
    void shouldStayAliveButNotReadyThroughARestoreThatMakesProgress() {
        // Given a restart restoring its stores, which keeps Kafka Streams REBALANCING
        health.onState(State.REBALANCING);
        health.onRestore(true);

        // When it restores a batch every 30 s for 5 minutes
        for (int i = 0; i < 10; i++) {
            clock.addAndGet(30_000);
            health.onRestore(true);
        }
        clock.addAndGet(30_000);

        // Then it is alive all along, so the liveness probe does not restart it mid-restore
        assertEquals(
                new Health.Status(true, State.REBALANCING, ""),
                health.liveness(State.REBALANCING, Optional.empty()));
        // And not ready, saying why
        assertEquals(
                new Health.Status(
                        false,
                        State.REBALANCING,
                        "restoring the state stores from their changelogs for 330 s"),
                health.status(State.REBALANCING));

        // And a restore with no progress for the grace is DOWN for liveness as well
        clock.addAndGet(30_000);
        Health.Status stuck =
                new Health.Status(
                        false,
                        State.REBALANCING,
                        "rebalancing for 360 s, restoring the state stores with no progress for"
                                + " 60 s");
        assertEquals(stuck, health.liveness(State.REBALANCING, Optional.empty()));
        assertEquals(stuck, health.status(State.REBALANCING));
    }

    @Test
    void shouldCountTheGraceFromTheRestoresEndWhileStillRebalancing() {
        // Given a 5 minute restore that has ended, Kafka Streams still REBALANCING
        health.onState(State.REBALANCING);
        health.onRestore(true);
        clock.addAndGet(300_000);
        health.onRestore(false);

        // Then it is alive and ready through the grace from the restore's end
        clock.addAndGet(59_000);
        assertEquals(
                new Health.Status(true, State.REBALANCING, ""), health.status(State.REBALANCING));
        assertTrue(health.liveness(State.REBALANCING, Optional.empty()).up());

        // And DOWN past it
        clock.addAndGet(1_000);
        assertEquals(
                new Health.Status(false, State.REBALANCING, "rebalancing for 360 s"),
                health.liveness(State.REBALANCING, Optional.empty()));

        // And a restore whose end was never said is forgotten once RUNNING
        health.onRestore(true);
        health.onState(State.RUNNING);
        health.onState(State.REBALANCING);
        assertEquals(
                new Health.Status(true, State.REBALANCING, ""), health.status(State.REBALANCING));
    }
}
