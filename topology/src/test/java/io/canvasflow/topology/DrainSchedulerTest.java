package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The time a stream thread's latest-only tasks get, on a clock the test moves. */
class DrainSchedulerTest {

    private static final long MS = 1_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final DrainScheduler scheduler = new DrainScheduler(clock::get);

    /** Serves frames of 300 ms while the slot may; returns how many. */
    private int drain(DrainScheduler.Slot slot, int pending) {
        slot.begin();
        int served = 0;
        while (served < pending && slot.mayServe()) {
            long start = slot.now();
            clock.addAndGet(300 * MS);
            slot.served(start);
            served++;
        }
        slot.waiting(served < pending);
        return served;
    }

    @Test
    void shouldStopARoundAfterASecondOfSegmentingAndStartAgainInTheNext() {
        DrainScheduler.Slot only = scheduler.join();

        // 4 frames of 300 ms: the fourth starts at 900 ms, within the second
        assertEquals(4, drain(only, 100));
        assertFalse(only.mayServe());

        // the same task drained again is a new round, with a second of its own
        assertEquals(4, drain(only, 100));
        assertTrue(scheduler.lastRoundOutOfTime());

        // and a round with time to spare says the thread keeps up again
        assertEquals(2, drain(only, 2));
        assertEquals(0, drain(only, 0));
        assertFalse(scheduler.lastRoundOutOfTime());
    }

    @Test
    void shouldLetTasksTakeTurnsWhenTheThreadIsShortOfTime() {
        DrainScheduler.Slot first = scheduler.join();
        DrainScheduler.Slot second = scheduler.join();

        // Round 1: the first task in the thread's order takes the whole second
        assertEquals(4, drain(first, 100));
        assertEquals(0, drain(second, 100));

        // Round 2, short of time: the first defers to the second, served longer ago (never)
        assertEquals(0, drain(first, 100));
        assertEquals(4, drain(second, 100));

        // Round 3: now the first has waited longer
        assertEquals(4, drain(first, 100));
        assertEquals(0, drain(second, 100));
    }

    @Test
    void shouldNotDeferToATaskThatIsNoLongerDrained() {
        DrainScheduler.Slot first = scheduler.join();
        DrainScheduler.Slot suspended = scheduler.join();
        suspended.waiting(true);
        assertEquals(4, drain(first, 100));

        // the other task is not drained for a second (suspended in a rebalance): not waited for
        clock.addAndGet(1_000 * MS);
        assertEquals(4, drain(first, 100));

        // and a task that left is not either
        DrainScheduler.Slot left = scheduler.join();
        left.waiting(true);
        left.leave();
        assertEquals(4, drain(first, 100));
    }
}
