package io.canvasflow.clients;

import io.canvasflow.schemas.avro.Frame;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera of a {@link PublishJob}: its source, its counters and its loop, run on a thread of its
 * own, and what it makes of Kafka's answers.
 */
final class PublishCamera {

    /** Under the job's logger, as before cameras had a class of their own. */
    private static final Logger LOG = LoggerFactory.getLogger(PublishJob.class);

    /**
     * Serve's default {@code frame.max.pixels}, 4096x4096: it dead-letters a larger frame unless
     * that setting is raised.
     */
    static final long SERVE_MAX_PIXELS = 4096L * 4096L;

    final String id;
    private final FrameSource source;
    private final AtomicLong handed = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong tooLarge = new AtomicLong();
    private final AtomicLong firstTooLarge = new AtomicLong();
    private final Throttle tooLargeSaid = new Throttle(Throttle.MINUTE);
    private final AtomicLong unavailable = new AtomicLong();
    private final Throttle unavailableSaid = new Throttle(Throttle.MINUTE);
    private volatile boolean unavailableWarned;
    private volatile String error;
    private volatile long startNanos;
    private volatile long endNanos;
    private volatile long skipped;
    private boolean saidTooManyPixels;

    PublishCamera(String id, FrameSource source) {
        this.id = id;
        this.source = source;
    }

    void run(PublishJob job) {
        Pacer pacer = job.rate().pacerFor(source);
        String fps =
                BigDecimal.valueOf(job.rate().publishedFps(source))
                        .stripTrailingZeros()
                        .toPlainString();
        long sequence = job.firstSequence();
        long sent = 0;
        boolean live = source.isLive();
        if (live && job.rate().mode() == FrameRate.Mode.FIXED) {
            LOG.info(
                    "camera {}: {} is a live stream; publishing at most {} of its frames a"
                            + " second as they come and dropping the others",
                    id,
                    source.description(),
                    BigDecimal.valueOf(job.rate().fps()).stripTrailingZeros().toPlainString());
        }
        // a live camera is read on a thread of its own, which keeps its newest frame
        NewestFrameSource newest = live ? new NewestFrameSource(source, id, job.clock()) : null;
        try (FrameSource reading = newest != null ? newest : source) {
            while (!job.stopping() && error == null && (job.limit() <= 0 || sent < job.limit())) {
                Optional<SourceFrame> next = reading.next();
                if (next.isEmpty()) {
                    break;
                }
                SourceFrame frame = next.get();
                if (!live) {
                    pacer.await();
                } else if (!pacer.admit()) {
                    continue;
                }
                if (sent == 0) {
                    // Opening a source (rendering a synthetic clip) is not publishing time.
                    startNanos = System.nanoTime();
                }
                Instant capture =
                        frame.captureTime() != null ? frame.captureTime() : job.clock().instant();
                Frame record =
                        job.publisher()
                                .encode(
                                        id,
                                        sequence++,
                                        capture,
                                        frame.image(),
                                        frame.groundTruthPng(),
                                        Map.of(
                                                PublishJob.META_SOURCE, source.description(),
                                                PublishJob.META_INDEX, Long.toString(frame.index()),
                                                PublishJob.META_FPS, fps));
                warnIfServeRefuses(record);
                long nth = sent;
                handed.incrementAndGet();
                try {
                    job.publisher()
                            .send(
                                    record,
                                    (metadata, exception) -> {
                                        acknowledge(job, exception, nth);
                                        job.answered();
                                    });
                } catch (RuntimeException e) {
                    handed.decrementAndGet();
                    throw e;
                }
                sent++;
            }
            if (error == null && reading.skippedUnreadable() != null) {
                // stopped before the folder's end (--limit, a stop), where it would have said so
                error = reading.skippedUnreadable() + "; the others before the stop were sent";
                LOG.error("camera {} stopped: {}", id, error);
            }
        } catch (InterruptedException | InterruptException e) {
            if (!job.stopping()) {
                error = "interrupted";
            }
        } catch (FrameSourceException e) {
            // the footage, not the code: its sentence names the file; the trace is for DEBUG
            error = e.getMessage();
            LOG.error("camera {} stopped: {}", id, error);
            LOG.debug("camera {} stopped", id, e);
        } catch (RuntimeException e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.error("camera {} stopped: {}", id, error, e);
        } catch (OutOfMemoryError e) {
            // what was read is unreachable once this unwinds: the other cameras go on
            error =
                    "ran out of memory ("
                            + e.getMessage()
                            + ") after "
                            + sent
                            + " frames of "
                            + source.description()
                            + "; give the JVM more heap (CANVASFLOW_HEAP), or fewer or"
                            + " smaller frames";
            LOG.error("camera {} stopped: {}", id, error);
            LOG.debug("camera {} stopped", id, e);
        } catch (Error e) {
            // the camera ends with it said and counted, not with its thread's default handler
            error = e.toString();
            LOG.error("camera {} stopped: {}", id, error, e);
        } finally {
            endNanos = System.nanoTime();
            skipped = newest == null ? 0 : newest.skipped();
            if (sent == 0) {
                startNanos = endNanos;
            }
        }
    }

    /** Says once, at the first frame larger than serve takes by default, what will become of it. */
    private void warnIfServeRefuses(Frame record) {
        if (!saidTooManyPixels
                && (long) record.getWidth() * record.getHeight() > SERVE_MAX_PIXELS) {
            saidTooManyPixels = true;
            LOG.warn(
                    "camera {}: its frames are {}x{}, more than the {} pixels serve takes by"
                            + " default (frame.max.pixels), so serve sends them to the dead-letter"
                            + " topic; give --resize, for example 1920x1080, or raise serve's"
                            + " frame.max.pixels",
                    id,
                    record.getWidth(),
                    record.getHeight(),
                    SERVE_MAX_PIXELS);
        }
    }

    /**
     * Runs once a frame: on the producer's I/O thread, or on the camera's when the publisher
     * refused the frame itself.
     */
    private void acknowledge(PublishJob job, Exception exception, long nth) {
        if (exception == null) {
            acked.incrementAndGet();
            long dropped = unavailable.getAndSet(0);
            if (dropped > 0 && unavailableWarned) {
                unavailableWarned = false;
                LOG.info("camera {}: Kafka takes frames again, after {} dropped", id, dropped);
            }
            return;
        }
        failed.incrementAndGet();
        LOG.debug("camera {}: a frame could not be sent", id, exception);
        if (job.finished()) {
            // the producer closed with it pending, after the result counted it unacknowledged
            return;
        }
        if (exception instanceof RecordTooLargeException) {
            tooLarge(exception.getMessage(), nth);
        } else if (exception instanceof RetriableException && source.isLive()) {
            unavailable(exception.getMessage());
        } else if (error == null) {
            // Kafka's reason in one line; the trace, which says no more, at DEBUG
            error = "a frame could not be sent: " + exception.getMessage();
            LOG.error("camera {}: {}", id, error);
        }
    }

    /**
     * A live camera's frame Kafka did not take in time (the cluster down or unreachable, past the
     * producer's retries): the camera sends on its own time, so its frames are dropped while Kafka
     * is away, said at most once a minute, and the camera goes on, however long that lasts (the
     * WARN's count grows); an INFO line says when Kafka takes them again after a WARN. A file or
     * folder stops instead, as it can be sent again.
     */
    private void unavailable(String reason) {
        long dropped = unavailable.incrementAndGet();
        if (unavailableSaid.due()) {
            unavailableWarned = true;
            LOG.warn(
                    "camera {}: Kafka did not take a frame ({}); {} dropped so far, the live"
                            + " camera goes on",
                    id,
                    reason,
                    dropped);
        }
    }

    /**
     * A frame the producer or broker refused as too large: a camera's JPEGs vary with what it sees
     * (a noisy night scene is larger), so it is skipped and the camera goes on, said at most once a
     * minute. A file or folder none of whose first frames fit stops, since that is its size, not
     * its content; a live camera goes on (started at night, its first frames say little of its
     * day).
     */
    private void tooLarge(String reason, long nth) {
        long refused = tooLarge.incrementAndGet();
        long firstRefused =
                nth < PublishJob.TOO_LARGE_TO_STOP
                        ? firstTooLarge.incrementAndGet()
                        : firstTooLarge.get();
        String remedy =
                "make frames smaller with --resize or --jpeg-quality, or raise the topic's"
                        + " max.message.bytes";
        if (firstRefused == PublishJob.TOO_LARGE_TO_STOP && !source.isLive() && error == null) {
            error =
                    "its first "
                            + PublishJob.TOO_LARGE_TO_STOP
                            + " frames were too large to send ("
                            + reason
                            + "): "
                            + remedy;
            LOG.error("camera {}: {}", id, error);
            return;
        }
        if (tooLargeSaid.due()) {
            LOG.warn(
                    "camera {}: a frame too large to send was skipped ({}); {} so far, the"
                            + " camera goes on; {}",
                    id,
                    reason,
                    refused,
                    remedy);
        }
    }

    /** Frames Kafka has acknowledged. */
    long acknowledged() {
        return acked.get();
    }

    /** Frames handed to the producer that Kafka has not acknowledged or refused yet. */
    long unacknowledged() {
        return handed.get() - acked.get() - failed.get();
    }

    PublishResult.CameraResult result() {
        // a camera that did not stop when asked: its time so far
        long end = endNanos != 0 ? endNanos : System.nanoTime();
        long begin = startNanos != 0 ? startNanos : end;
        return new PublishResult.CameraResult(
                id,
                acked.get(),
                failed.get(),
                unacknowledged(),
                skipped,
                (end - begin) / 1e9,
                error);
    }
}
