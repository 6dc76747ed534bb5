package io.canvasflow.clients;

import java.util.concurrent.TimeUnit;

/**
 * Spaces events at a fixed rate by sleeping, never by spinning: {@link #await()} returns at {@code
 * start + n * period}. A caller that falls more than one period behind (a slow source, a full
 * producer buffer) continues from now instead of bursting to catch up, as a camera would. One pacer
 * serves one thread.
 */
public final class Pacer {

    private final long periodNanos;
    private long next;
    private boolean started;

    private Pacer(long periodNanos) {
        this.periodNanos = periodNanos;
    }

    /**
     * A pacer at a given rate.
     *
     * @param fps events per second; infinity means no pacing
     * @return the pacer
     */
    public static Pacer atFps(double fps) {
        if (!(fps > 0)) {
            throw new IllegalArgumentException("expected a positive rate but found " + fps);
        }
        return Double.isInfinite(fps) ? unlimited() : new Pacer(Math.max(1, Math.round(1e9 / fps)));
    }

    /**
     * A pacer that never waits.
     *
     * @return the pacer
     */
    public static Pacer unlimited() {
        return new Pacer(0);
    }

    /**
     * Returns the time between events.
     *
     * @return the period in nanoseconds, 0 when unpaced
     */
    long periodNanos() {
        return periodNanos;
    }

    /**
     * Waits for the next slot; the first call returns at once.
     *
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public void await() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (periodNanos == 0) {
            return;
        }
        long now = System.nanoTime();
        if (!started) {
            started = true;
            next = now;
        } else if (now - next > periodNanos) {
            next = now;
        }
        long wait;
        while ((wait = next - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        next += periodNanos;
    }

    /**
     * For a live source, which paces itself: whether a frame read now takes the next slot. Never
     * waits. A frame that comes before its slot is to be dropped, so that a camera published at a
     * lower rate than it sends gives its newest frames. Waiting, as {@link #await()} does, would
     * send consecutive frames ever further behind the camera (at 2 of a camera's 10 frames a
     * second, 0.8 s more every second) while the rest queue in FFmpeg's and the network's buffers.
     * The first frame is admitted.
     *
     * @return true when the frame is to be published
     */
    public boolean admit() {
        return admit(System.nanoTime());
    }

    /** {@link #admit()} at a given {@link System#nanoTime()}. */
    boolean admit(long now) {
        if (periodNanos == 0) {
            return true;
        }
        if (!started) {
            started = true;
            next = now + periodNanos;
            return true;
        }
        if (now - next < 0) {
            return false;
        }
        // a slot long past (the stream stalled) starts the schedule again from now
        next = now - next > periodNanos ? now + periodNanos : next + periodNanos;
        return true;
    }
}
