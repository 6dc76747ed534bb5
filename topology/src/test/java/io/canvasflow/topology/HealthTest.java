package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private void after(long ms, State state) {
        clock.addAndGet(ms);
        health.onState(state);
    }

    @Test
    void shouldReadDownWhileRebalancesFollowOneAnotherThoughEachIsShort() {
        // Given a thread fenced again and again: 5 s rebalancing, 3 s running, for over a minute
        after(0, State.RUNNING);
        clock.addAndGet(60_000);
        for (int i = 0; i < 8; i++) {
            after(3_000, State.REBALANCING);
            assertTrue(health.status(State.REBALANCING).up(), "a rebalance is no fault at first");
            after(5_000, State.RUNNING);
        }

        // Then it reads DOWN even at a moment it reads RUNNING, and says why
        Health.Status running = health.status(State.RUNNING);
        assertFalse(running.up());
        assertEquals(
                "8 rebalances in 61 s, never RUNNING for 10 s between them (a thread fenced again"
                        + " and again? see the log)",
                running.reason());

        // And once RUNNING lasts, it is UP again
        clock.addAndGet(Health.SETTLED_MS);
        assertTrue(health.status(State.RUNNING).up());
    }

    @Test
    void shouldReadUpAfterOneLongRebalanceEnds() {
        after(0, State.REBALANCING);
        clock.addAndGet(61_000);
        assertEquals("rebalancing for 61 s", health.status(State.REBALANCING).reason());
        after(0, State.RUNNING);
        assertTrue(health.status(State.RUNNING).up());
    }

    @Test
    void shouldReadDownWhenFramesFailedAndNoneMadeAMaskInAMinute() {
        after(0, State.RUNNING);
        assertTrue(health.status(State.RUNNING).up());

        // a minute in which 600 frames failed and no mask was made: the model throws on each
        progress.set(new Health.Progress(0, 600));
        clock.addAndGet(Health.PROGRESS_WINDOW_MS);
        Health.Status failing = health.status(State.RUNNING);
        assertFalse(failing.up());
        assertEquals(
                "in the last 60 s 600 frames failed to segment and none made a mask (the"
                        + " dead-letter topic says why, reason PROCESSING_ERROR)",
                failing.reason());

        // a minute with some failures but masks too is a camera's bad frames, not a sick instance
        progress.set(new Health.Progress(500, 610));
        clock.addAndGet(Health.PROGRESS_WINDOW_MS);
        assertTrue(health.status(State.RUNNING).up());

        // and a quiet minute, no frames at all, is not a fault either
        clock.addAndGet(Health.PROGRESS_WINDOW_MS);
        assertTrue(health.status(State.RUNNING).up());
    }
}
