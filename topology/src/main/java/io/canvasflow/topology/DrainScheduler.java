package io.canvasflow.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * How the latest-only tasks of one stream thread share its time. Each task segments its pending
 * frames in its own punctuation, one task after another, and the thread commits its transaction
 * only after the round: unbounded, a thread with a few hundred cameras would spend more than {@code
 * transaction.timeout.ms} (10 s) in one round after a restart, when every camera's first frame runs
 * every iteration, be fenced, and start again on the same frames, for ever. (The every-frame mode
 * bounds a pass with {@code max.poll.records} instead.)
 *
 * <p>Two rules:
 *
 * <ul>
 *   <li>a round segments for at most {@link #ROUND_LIMIT_NANOS}; past that, frames stay pending (a
 *       newer one still replaces them) and the thread gets to commit;
 *   <li>after a round that ran out of time, a task defers to another of the thread's tasks that has
 *       frames waiting, was served longer ago and is still to be drained in this round, so that the
 *       tasks take turns where the first in the thread's order would otherwise take all of it. A
 *       task not drained for a second (suspended in a rebalance) is not deferred to.
 * </ul>
 *
 * <p>A round is seen from the tasks alone: Kafka Streams punctuates each task at most once a round,
 * so a task drained again means a new round. One per stream thread ({@link #forThisThread()}); not
 * thread-safe, and need not be.
 */
final class DrainScheduler {

    /** The most a round segments, as the every-frame mode's 20 records a poll do, about. */
    static final long ROUND_LIMIT_NANOS = 1_000_000_000L;

    /** How long a task not drained is still deferred to. */
    static final long STALE_NANOS = 1_000_000_000L;

    private static final ThreadLocal<DrainScheduler> PER_THREAD =
            ThreadLocal.withInitial(() -> new DrainScheduler(System::nanoTime));

    private final LongSupplier clock;
    private final List<Slot> slots = new ArrayList<>();
    private long round;
    private long roundSpent;
    private boolean lastRoundOutOfTime;

    /** A task's place at its thread's scheduler. */
    final class Slot {
        private long lastServed = Long.MIN_VALUE;
        private long lastVisit;
        private long visitedRound = -1;
        private boolean waiting;

        /** Starts the task's drain. */
        void begin() {
            if (visitedRound == round) {
                lastRoundOutOfTime = roundSpent >= ROUND_LIMIT_NANOS;
                round++;
                roundSpent = 0;
            }
            visitedRound = round;
            lastVisit = clock.getAsLong();
        }

        /** Whether the task may segment one more frame in this drain. */
        boolean mayServe() {
            if (roundSpent >= ROUND_LIMIT_NANOS) {
                return false;
            }
            if (lastRoundOutOfTime) {
                long now = clock.getAsLong();
                for (Slot other : slots) {
                    if (other != this
                            && other.waiting
                            && other.visitedRound != round
                            && other.lastServed < lastServed
                            && now - other.lastVisit < STALE_NANOS) {
                        return false;
                    }
                }
            }
            return true;
        }

        /**
         * Records a frame segmented.
         *
         * @param start when it started, on {@link #now()}'s clock
         */
        void served(long start) {
            long now = clock.getAsLong();
            lastServed = now;
            roundSpent += now - start;
        }

        /** Says whether the task has frames waiting: at the end of its drain, and on arrival. */
        void waiting(boolean waiting) {
            this.waiting = waiting;
        }

        /** The scheduler's clock. */
        long now() {
            return clock.getAsLong();
        }

        /** Leaves the scheduler (the task's processor closed). */
        void leave() {
            slots.remove(this);
        }
    }

    DrainScheduler(LongSupplier clock) {
        this.clock = clock;
    }

    /** The calling stream thread's scheduler. */
    static DrainScheduler forThisThread() {
        return PER_THREAD.get();
    }

    /** A place for a task that drains on this thread. */
    Slot join() {
        if (slots.isEmpty()) {
            // the thread's tasks all went: what their last round spent is no one's
            round++;
            roundSpent = 0;
            lastRoundOutOfTime = false;
        }
        Slot slot = new Slot();
        slot.lastVisit = clock.getAsLong();
        slots.add(slot);
        return slot;
    }

    /** Whether the last round ran out of time (the thread has more to segment than time). */
    boolean lastRoundOutOfTime() {
        return lastRoundOutOfTime;
    }
}
