package io.canvasflow.clients;

import io.canvasflow.schemas.avro.Frame;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes several cameras at once, one thread per camera, each reading its {@link FrameSource} at
 * a {@link FrameRate} and sending through one shared {@link FramePublisher}:
 *
 * <pre>{@code
 * PublishResult result =
 *         PublishJob.builder()
 *                 .setPublisher(publisher)
 *                 .addCamera("cam-1", new SyntheticCameraSource(0, 100))
 *                 .addCamera("cam-2", FrameSources.open("street.mp4"))
 *                 .optRate(FrameRate.realtime())
 *                 .build()
 *                 .run();
 * }</pre>
 *
 * <p>Each camera numbers its frames from the first sequence up, stamps the source's capture time or
 * else the time it sends the frame (a live camera's, the time it was read), and adds the source,
 * its frame rate and the frame's index to the metadata. A camera stops at the end of its source, at
 * the frame limit, at its first failed send or source error, an {@link Error} such as running out
 * of memory included (reported in the result; the other cameras go on), or when {@link #stop()} is
 * called. A frame too large to send is skipped and counted as failed, and the camera goes on,
 * unless none of the first {@value #TOO_LARGE_TO_STOP} frames of a source that is not live fit. A
 * live camera's frames that Kafka does not take in time are dropped, and the camera goes on; a live
 * camera is read on a thread of its own that keeps its newest frame ({@link NewestFrameSource}), so
 * that it never backs up behind publishing. The job closes the sources; the publisher stays open
 * for the caller.
 */
public final class PublishJob {

    /** Metadata key of the source description. */
    public static final String META_SOURCE = "source";

    /** Metadata key of the frame's index in its source. */
    public static final String META_INDEX = "index";

    /**
     * Metadata key of the source's frame rate in frames per second, for example {@code 25} or
     * {@code 29.97}: what overlay videos play at.
     */
    public static final String META_FPS = "fps";

    private static final Logger LOG = LoggerFactory.getLogger(PublishJob.class);

    /** Frames too large to send, none sent before them, that stop a camera. */
    static final int TOO_LARGE_TO_STOP = 10;

    private final FramePublisher publisher;
    private final List<Camera> cameras;
    private final FrameRate rate;
    private final long limit;
    private final long firstSequence;
    private final PrintWriter progress;
    private final Duration progressInterval;
    private final Clock clock;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;
    private boolean ran;

    private PublishJob(Builder builder) {
        this.publisher = builder.publisher;
        this.cameras = List.copyOf(builder.cameras);
        this.rate = builder.rate;
        this.limit = builder.limit;
        this.firstSequence = builder.firstSequence;
        this.progress = builder.progress;
        this.progressInterval = builder.progressInterval;
        this.clock = builder.clock;
    }

    /**
     * Returns a builder; a publisher and at least one camera are required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs every camera to its end and waits until the broker has acknowledged or refused each
     * frame. Runs once.
     *
     * @return frames per camera and the time taken
     * @throws InterruptedException when the calling thread is interrupted; the cameras are stopped
     *     first
     */
    public PublishResult run() throws InterruptedException {
        synchronized (this) {
            if (ran) {
                throw new IllegalStateException("a publish job runs once; build another");
            }
            ran = true;
        }
        long start = System.nanoTime();
        ScheduledExecutorService ticker = null;
        ProgressLine line = null;
        if (progress != null) {
            line = new ProgressLine(progress, this::acknowledged);
            ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "publish-progress"));
            ticker.scheduleAtFixedRate(
                    line::update, 0, progressInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
        try {
            synchronized (threads) {
                for (Camera camera : cameras) {
                    Thread thread = new Thread(() -> camera.run(this), "publish-" + camera.id);
                    threads.add(thread);
                    thread.start();
                }
            }
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            stop();
            for (Thread thread : threads) {
                thread.join(1000);
            }
            throw e;
        } finally {
            publisher.flush();
            if (ticker != null) {
                ticker.shutdownNow();
                line.finish();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, PublishResult.CameraResult> results = new LinkedHashMap<>();
        for (Camera camera : cameras) {
            results.put(camera.id, camera.result());
        }
        return new PublishResult(results, seconds);
    }

    /** Stops every camera after its current frame; {@link #run()} then returns. Thread-safe. */
    public void stop() {
        stopping = true;
        synchronized (threads) {
            // Wakes cameras sleeping in their pacer; a slow rate would otherwise delay the stop.
            threads.forEach(Thread::interrupt);
        }
    }

    /**
     * Returns the frames acknowledged so far per camera, for live displays.
     *
     * @return camera id to acknowledged frames, in the order the cameras were added
     */
    public Map<String, Long> acknowledged() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Camera camera : cameras) {
            counts.put(camera.id, camera.acked.get());
        }
        return counts;
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** One camera: its source, its counters and its loop. */
    private static final class Camera {
        private final String id;
        private final FrameSource source;
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

        Camera(String id, FrameSource source) {
            this.id = id;
            this.source = source;
        }

        void run(PublishJob job) {
            Pacer pacer = job.rate.pacerFor(source);
            String fps =
                    BigDecimal.valueOf(source.nativeFps()).stripTrailingZeros().toPlainString();
            long sequence = job.firstSequence;
            long sent = 0;
            boolean live = source.isLive();
            if (live && job.rate.mode() == FrameRate.Mode.FIXED) {
                LOG.info(
                        "camera {}: {} is a live stream; publishing at most {} of its frames a"
                                + " second as they come and dropping the others",
                        id,
                        source.description(),
                        BigDecimal.valueOf(job.rate.fps()).stripTrailingZeros().toPlainString());
            }
            // a live camera is read on a thread of its own, which keeps its newest frame
            NewestFrameSource newest = live ? new NewestFrameSource(source, id, job.clock) : null;
            try (FrameSource reading = newest != null ? newest : source) {
                while (!job.stopping && error == null && (job.limit <= 0 || sent < job.limit)) {
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
                            frame.captureTime() != null ? frame.captureTime() : job.clock.instant();
                    Frame record =
                            job.publisher.encode(
                                    id,
                                    sequence++,
                                    capture,
                                    frame.image(),
                                    frame.groundTruthPng(),
                                    Map.of(
                                            META_SOURCE, source.description(),
                                            META_INDEX, Long.toString(frame.index()),
                                            META_FPS, fps));
                    long nth = sent;
                    job.publisher.send(
                            record, (metadata, exception) -> acknowledge(exception, nth));
                    sent++;
                }
            } catch (InterruptedException | InterruptException e) {
                if (!job.stopping) {
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

        /**
         * Runs once a frame: on the producer's I/O thread, or on the camera's when the publisher
         * refused the frame itself.
         */
        private void acknowledge(Exception exception, long nth) {
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
         * A live camera's frame Kafka did not take in time (the cluster down or unreachable, past
         * the producer's retries): the camera sends on its own time, so its frames are dropped
         * while Kafka is away, said at most once a minute, and the camera goes on, however long
         * that lasts (the WARN's count grows); an INFO line says when Kafka takes them again after
         * a WARN. A file or folder stops instead, as it can be sent again.
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
         * A frame the producer or broker refused as too large: a camera's JPEGs vary with what it
         * sees (a noisy night scene is larger), so it is skipped and the camera goes on, said at
         * most once a minute. A file or folder none of whose first frames fit stops, since that is
         * its size, not its content; a live camera goes on (started at night, its first frames say
         * little of its day).
         */
        private void tooLarge(String reason, long nth) {
            long refused = tooLarge.incrementAndGet();
            long firstRefused =
                    nth < TOO_LARGE_TO_STOP ? firstTooLarge.incrementAndGet() : firstTooLarge.get();
            String remedy =
                    "make frames smaller with --resize or --jpeg-quality, or raise the topic's"
                            + " max.message.bytes";
            if (firstRefused == TOO_LARGE_TO_STOP && !source.isLive() && error == null) {
                error =
                        "its first "
                                + TOO_LARGE_TO_STOP
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

        PublishResult.CameraResult result() {
            return new PublishResult.CameraResult(
                    id, acked.get(), failed.get(), skipped, (endNanos - startNanos) / 1e9, error);
        }
    }

    /** Configures a {@link PublishJob}: {@code setX} is required, {@code optX} is optional. */
    public static final class Builder {

        private FramePublisher publisher;
        private final List<Camera> cameras = new ArrayList<>();
        private FrameRate rate = FrameRate.realtime();
        private long limit;
        private long firstSequence;
        private PrintWriter progress;
        private Duration progressInterval = Duration.ofMillis(500);
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /**
         * Sets the publisher every camera sends through; the caller closes it.
         *
         * @param publisher the publisher
         * @return this builder
         */
        public Builder setPublisher(FramePublisher publisher) {
            this.publisher = publisher;
            return this;
        }

        /**
         * Adds a camera; the job closes its source when the camera stops.
         *
         * @param cameraId the camera id, the record key of its frames
         * @param source where its frames come from
         * @return this builder
         */
        public Builder addCamera(String cameraId, FrameSource source) {
            Objects.requireNonNull(cameraId, "cameraId");
            Objects.requireNonNull(source, "source");
            if (cameraId.isBlank()) {
                throw new IllegalArgumentException("a camera id must not be blank");
            }
            for (Camera camera : cameras) {
                if (camera.id.equals(cameraId)) {
                    throw new IllegalArgumentException(
                            "the camera id " + cameraId + " is given twice");
                }
            }
            cameras.add(new Camera(cameraId, source));
            return this;
        }

        /**
         * Sets the pace; {@link FrameRate#realtime()} by default.
         *
         * @param rate the rate
         * @return this builder
         */
        public Builder optRate(FrameRate rate) {
            this.rate = Objects.requireNonNull(rate, "rate");
            return this;
        }

        /**
         * Stops each camera after a number of frames; no limit by default.
         *
         * @param framesPerCamera the limit, or 0 for none
         * @return this builder
         */
        public Builder optLimit(long framesPerCamera) {
            this.limit = framesPerCamera;
            return this;
        }

        /**
         * Numbers each camera's frames from another value than 0, for example to continue a camera
         * published before.
         *
         * @param firstSequence the first frame's sequence number
         * @return this builder
         */
        public Builder optFirstSequence(long firstSequence) {
            this.firstSequence = firstSequence;
            return this;
        }

        /**
         * Shows a progress line, rewritten in place.
         *
         * @param out where to print it, for example picocli's error writer
         * @return this builder
         */
        public Builder optProgress(PrintWriter out) {
            this.progress = Objects.requireNonNull(out, "out");
            return this;
        }

        /**
         * Validates the settings.
         *
         * @return the job, not yet running
         * @throws IllegalArgumentException when the publisher or cameras are missing, or a setting
         *     is out of range
         */
        public PublishJob build() {
            if (publisher == null) {
                throw new IllegalArgumentException("expected a frame publisher but none was set");
            }
            if (cameras.isEmpty()) {
                throw new IllegalArgumentException(
                        "expected at least one camera but none was added");
            }
            if (limit < 0) {
                throw new IllegalArgumentException(
                        "expected a frame limit >= 0 but found " + limit);
            }
            if (progressInterval.toMillis() < 1) {
                throw new IllegalArgumentException(
                        "expected a progress interval of at least 1 ms but found "
                                + progressInterval);
            }
            return new PublishJob(this);
        }
    }
}
