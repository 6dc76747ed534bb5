package io.canvasflow.clients;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live stream (a camera's RTSP, RTMP or HTTP stream: see {@link VideoFileSource#isLive()}) that
 * is opened again whenever it is lost, until the reader stops: a camera that reboots or a network
 * that drops for a minute is a gap in the frames, not the end of the camera. A stream's end counts
 * as a loss too, since a live stream does not end by itself.
 *
 * <p>Reconnecting waits 1 s, then twice as long after each failed try, up to 30 s. A stream that is
 * lost again within 30 s of opening does not start the waits over, so a camera that accepts the
 * connection and drops it at once (at its client limit, say) is tried every 30 s, not every second.
 * A loss is a WARN and a reconnection an INFO line, at most once a minute, with the losses in
 * between counted; a stream still down says so once a minute. The stream opened again numbers its
 * frames on from where the lost one stopped. An interrupt (a publish job being stopped) ends the
 * source, with the thread's interrupt status set again.
 */
public final class ReconnectingSource implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(ReconnectingSource.class);

    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    static final Duration LONGEST_WAIT = Duration.ofSeconds(30);
    private static final long STILL_DOWN_EVERY_NANOS = Throttle.MINUTE.toNanos();

    private final String location;
    private final LongFunction<FrameSource> opener;
    private final double fps;
    private final Duration firstWait;
    private FrameSource current;
    private long openedAtNanos = System.nanoTime();
    private Duration wait;
    private long nextIndex;
    private final Throttle lossesSaid = new Throttle(Throttle.MINUTE);
    private long unsaidLosses;
    private boolean closed;

    /**
     * Wraps a stream that is already open.
     *
     * @param first the open stream
     * @param opener opens the stream again, numbering its frames on from the index it is given;
     *     throws {@link FrameSourceException} when it cannot
     */
    public ReconnectingSource(FrameSource first, LongFunction<FrameSource> opener) {
        this(first, opener, FIRST_WAIT);
    }

    /** As above, with the first wait given, for tests that should not take seconds. */
    ReconnectingSource(FrameSource first, LongFunction<FrameSource> opener, Duration firstWait) {
        this.current = first;
        this.location = first.description();
        this.fps = first.nativeFps();
        this.opener = opener;
        this.firstWait = firstWait;
        this.wait = firstWait;
    }

    @Override
    public Optional<SourceFrame> next() {
        if (closed) {
            throw new IllegalStateException("the stream " + location + " is closed");
        }
        while (current != null) {
            String lost;
            try {
                Optional<SourceFrame> frame = current.next();
                if (frame.isPresent()) {
                    nextIndex = frame.get().index() + 1;
                    return frame;
                }
                lost = "the stream ended";
            } catch (FrameSourceException e) {
                lost = e.getMessage();
            }
            current.close();
            current = null;
            if (Thread.currentThread().isInterrupted()) {
                break; // stopped, not lost
            }
            long now = System.nanoTime();
            // a stream that stayed up goes back to the first wait; one lost at once keeps its own
            wait = now - openedAtNanos >= LONGEST_WAIT.toNanos() ? firstWait : wait;
            boolean say = lossesSaid.due();
            if (say) {
                LOG.warn(
                        "{}: lost {} ({}){}; reconnecting",
                        location,
                        nextIndex == 0
                                ? "before its first frame"
                                : "after frame " + (nextIndex - 1),
                        lost,
                        unsaidLosses == 0
                                ? ""
                                : ", " + (unsaidLosses + 1) + " losses since the last one said");
                unsaidLosses = 0;
            } else {
                unsaidLosses++;
                LOG.debug(
                        "{}: lost after frame {} ({}); reconnecting",
                        location,
                        nextIndex - 1,
                        lost);
            }
            current = reopen(say);
        }
        // an interrupt ended it
        return Optional.empty();
    }

    /**
     * Opens the stream again, waiting longer after each failure; null when interrupted.
     *
     * @param sayReconnected whether the reconnection is said (its loss was)
     */
    private FrameSource reopen(boolean sayReconnected) {
        long lostAt = System.nanoTime();
        long saidAt = lostAt;
        while (true) {
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            Duration twice = wait.multipliedBy(2);
            wait = twice.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : twice;
            try {
                FrameSource source = opener.apply(nextIndex);
                openedAtNanos = System.nanoTime();
                if (sayReconnected) {
                    LOG.info(
                            "{}: reconnected after {} s",
                            location,
                            Math.round((openedAtNanos - lostAt) / 1e9));
                }
                return source;
            } catch (FrameSourceException e) {
                long now = System.nanoTime();
                if (now - saidAt >= STILL_DOWN_EVERY_NANOS) {
                    saidAt = now;
                    LOG.warn(
                            "{}: still no stream after {} s ({}); still trying",
                            location,
                            Math.round((now - lostAt) / 1e9),
                            e.getMessage());
                }
            }
        }
    }

    @Override
    public boolean isLive() {
        return true;
    }

    @Override
    public String description() {
        return location;
    }

    @Override
    public double nativeFps() {
        return fps;
    }

    @Override
    public void close() {
        if (unsaidLosses > 0 && !closed) {
            LOG.warn("{}: lost {} more times since the last loss said", location, unsaidLosses);
            unsaidLosses = 0;
        }
        closed = true;
        if (current != null) {
            current.close();
            current = null;
        }
    }

    /** The wait before the next try to reconnect, for tests. */
    Duration nextWait() {
        return wait;
    }
}
