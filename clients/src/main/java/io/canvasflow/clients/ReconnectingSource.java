package io.canvasflow.clients;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live stream (a camera's RTSP, RTMP or HTTP stream: one with no known length) that is opened
 * again whenever it is lost, until the reader stops: a camera that reboots or a network that drops
 * for a minute is a gap in the frames, not the end of the camera. A stream's end counts as a loss
 * too, since a live stream does not end by itself.
 *
 * <p>Reconnecting waits 1 s, then twice as long after each failed try, up to 30 s. The loss is one
 * WARN, a stream still down says so at most once a minute, and the reconnection is one INFO line.
 * The stream opened again numbers its frames on from where the lost one stopped. An interrupt while
 * waiting (a publish job being stopped) ends the source, with the thread's interrupt status set
 * again.
 */
public final class ReconnectingSource implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(ReconnectingSource.class);

    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    static final Duration LONGEST_WAIT = Duration.ofSeconds(30);
    private static final long SAY_STILL_DOWN_NANOS = Duration.ofMinutes(1).toNanos();

    private final String location;
    private final LongFunction<FrameSource> opener;
    private final double fps;
    private final Duration firstWait;
    private FrameSource current;
    private long nextIndex;
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
    }

    @Override
    public Optional<SourceFrame> next() {
        if (closed) {
            throw new IllegalStateException("the stream " + location + " is closed");
        }
        if (current == null) {
            // an interrupt ended it while it waited to reconnect
            return Optional.empty();
        }
        while (true) {
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
            LOG.warn("{}: lost after frame {} ({}); reconnecting", location, nextIndex - 1, lost);
            current = reopen();
            if (current == null) {
                return Optional.empty();
            }
        }
    }

    /** Opens the stream again, waiting longer after each failure; null when interrupted. */
    private FrameSource reopen() {
        long lostAt = System.nanoTime();
        long saidAt = lostAt;
        Duration wait = firstWait;
        while (true) {
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            try {
                FrameSource source = opener.apply(nextIndex);
                LOG.info(
                        "{}: reconnected after {} s",
                        location,
                        Math.round((System.nanoTime() - lostAt) / 1e9));
                return source;
            } catch (FrameSourceException e) {
                long now = System.nanoTime();
                if (now - saidAt >= SAY_STILL_DOWN_NANOS) {
                    saidAt = now;
                    LOG.warn(
                            "{}: still no stream after {} s ({}); still trying",
                            location,
                            Math.round((now - lostAt) / 1e9),
                            e.getMessage());
                }
                Duration twice = wait.multipliedBy(2);
                wait = twice.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : twice;
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
        closed = true;
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
