package io.canvasflow.clients;

import java.time.Duration;

/**
 * Lets something that keeps happening be said at most once a period: the first time, then once the
 * period has passed since it was last said. Thread-safe.
 */
final class Throttle {

    /** Once a minute, the pace of the clients' repeated WARN lines. */
    static final Duration MINUTE = Duration.ofMinutes(1);

    private final long periodNanos;
    private boolean said;
    private long saidAtNanos;

    Throttle(Duration period) {
        this.periodNanos = period.toNanos();
    }

    /**
     * Whether it is time to say it again; if so, the period starts over now.
     *
     * @return true the first time, and once the period has passed
     */
    synchronized boolean due() {
        long now = System.nanoTime();
        if (said && now - saidAtNanos < periodNanos) {
            return false;
        }
        said = true;
        saidAtNanos = now;
        return true;
    }
}
