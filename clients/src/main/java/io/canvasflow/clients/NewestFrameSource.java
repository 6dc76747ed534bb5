package io.canvasflow.clients;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live source read on a thread of its own that keeps only its newest frame. A camera sends on its
 * own time whether or not it is read: read on the publishing thread, it would back up whenever
 * publishing is slower (a JPEG encoder slower than the camera, Kafka away and each send blocking
 * for up to {@code max.block.ms}), and what was published would be older and older, until the
 * stream broke. Here the camera is read as fast as it sends, and {@link #next()} gives the newest
 * frame not yet given, waiting for one. A frame replaced before it was given is skipped. Skips of
 * frames not taken within half a frame's time (publishing behind) are said in a WARN at most once a
 * minute; skips in a burst (what a stream buffered while it was opened) are not.
 *
 * <p>The reading thread owns the source: it opens nothing, and closes the source when it stops (a
 * video grabber must not be closed by one thread while another reads it). {@link #close()} asks it
 * to stop and waits for it; a read blocked in FFmpeg returns within the stream's 10 s timeout.
 */
final class NewestFrameSource implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(NewestFrameSource.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);

    private final FrameSource source;
    private final String cameraId;
    private final double fps;
    private final String description;
    private final Clock clock;
    private final Thread reader;
    private final Object lock = new Object();
    private SourceFrame newest;
    private boolean ended;
    private RuntimeException failure;
    private final long behindAfterNanos;
    private final long sayAfterFrames;
    private long newestAtNanos;
    private long skipped;
    private long behind;
    private long behindSaid;
    private final Throttle skipsSaid = new Throttle(Throttle.MINUTE);
    private volatile boolean closing;

    /**
     * Starts reading a live source.
     *
     * @param source the source, which this now owns
     * @param cameraId the camera, for the reading thread's name and the log
     * @param clock stamps a frame that has no capture time when it is read, not when it is sent
     */
    NewestFrameSource(FrameSource source, String cameraId, Clock clock) {
        this.clock = clock;
        this.source = source;
        this.cameraId = cameraId;
        this.fps = source.nativeFps();
        // Half a frame's time at the stated rate, kept to 1-120 fps (a stream may state 90000)
        double rate = Math.min(120, Math.max(1, fps));
        this.behindAfterNanos = Math.round(0.5e9 / rate);
        this.sayAfterFrames = Math.round(rate);
        this.description = source.description();
        this.reader = new Thread(this::read, "read-" + cameraId);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            while (!closing) {
                Optional<SourceFrame> frame = source.next();
                synchronized (lock) {
                    if (frame.isEmpty()) {
                        break;
                    }
                    long now = System.nanoTime();
                    if (newest != null) {
                        skipped++;
                        // A frame replaced within half a frame's time came in a burst (what the
                        // stream buffered while it was opened): no sign of falling behind.
                        if (now - newestAtNanos >= behindAfterNanos) {
                            behind++;
                        }
                    }
                    newestAtNanos = now;
                    SourceFrame f = frame.get();
                    newest =
                            f.captureTime() != null
                                    ? f
                                    : new SourceFrame(
                                            f.image(),
                                            f.index(),
                                            clock.instant(),
                                            f.groundTruthPng());
                    lock.notifyAll();
                }
            }
        } catch (RuntimeException e) {
            synchronized (lock) {
                failure = e;
            }
        } catch (Throwable e) {
            // an Error (out of memory, a native library's): the camera ends with it, and says it
            // in its own one ERROR line; the trace is for DEBUG
            LOG.debug("camera {}: reading {} failed", cameraId, description, e);
            synchronized (lock) {
                failure = new FrameSourceException("reading " + description + " failed: " + e, e);
            }
        } finally {
            try {
                source.close();
            } catch (RuntimeException e) {
                LOG.warn("camera {}: could not close {}: {}", cameraId, description, e.toString());
            } finally {
                synchronized (lock) {
                    ended = true;
                    lock.notifyAll();
                }
            }
        }
    }

    @Override
    public Optional<SourceFrame> next() {
        SourceFrame frame;
        long toSay = 0;
        synchronized (lock) {
            try {
                while (newest == null && !ended) {
                    lock.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            if (newest == null) {
                if (failure != null) {
                    throw failure;
                }
                return Optional.empty();
            }
            frame = newest;
            newest = null;
            // a second's worth of frames behind before it is said: one late frame is no news
            if (behind - behindSaid >= sayAfterFrames && skipsSaid.due()) {
                toSay = behind - behindSaid;
                behindSaid = behind;
            }
        }
        if (toSay > 0) {
            LOG.warn(
                    "camera {}: publishing fell behind the camera; {} frames not taken in time"
                            + " were skipped to send the newest ({} in all)",
                    cameraId,
                    toSay,
                    behindSaid);
        }
        return Optional.of(frame);
    }

    /** How many frames were replaced by a newer one before they were given. */
    long skipped() {
        synchronized (lock) {
            return skipped;
        }
    }

    /** How many of those had waited half a frame's time or more: publishing was behind. */
    long behind() {
        synchronized (lock) {
            return behind;
        }
    }

    @Override
    public boolean isLive() {
        return true;
    }

    @Override
    public double nativeFps() {
        return fps;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        closing = true;
        reader.interrupt();
        // A stopped job closes this from an interrupted thread: wait for the reader all the same,
        // so that it closes the source before the job returns, and keep the interrupt for after.
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (reader.isAlive() && System.nanoTime() < deadline) {
            try {
                reader.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (reader.isAlive()) {
            LOG.warn(
                    "camera {}: {} still reads after {} s; leaving it to stop by itself",
                    cameraId,
                    description,
                    STOP_WAIT.toSeconds());
        }
    }
}
