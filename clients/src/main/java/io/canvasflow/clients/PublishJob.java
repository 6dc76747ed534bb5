package io.canvasflow.clients;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * the frame rate it publishes and the frame's index to the metadata. A camera stops at the end of
 * its source, at the frame limit, at its first failed send or source error, an {@link Error} such
 * as running out of memory included (reported in the result; the other cameras go on), or when
 * {@link #stop()} is called. A frame too large to send is skipped and counted as failed, and the
 * camera goes on, unless none of the first {@value #TOO_LARGE_TO_STOP} frames of a source that is
 * not live fit. A live camera's frames that Kafka does not take in time are dropped, and the camera
 * goes on; a live camera is read on a thread of its own that keeps its newest frame ({@link
 * NewestFrameSource}), so that it never backs up behind publishing. The job closes the sources; the
 * publisher stays open for the caller.
 */
public final class PublishJob {

    /** Metadata key of the source description. */
    public static final String META_SOURCE = "source";

    /** Metadata key of the frame's index in its source. */
    public static final String META_INDEX = "index";

    /**
     * Metadata key of the rate the camera's frames represent in frames per second, for example
     * {@code 25} or {@code 29.97}: what overlay videos play at. The source's own rate, or for a
     * live source published at a fixed rate the lower of the two ({@link FrameRate#publishedFps}).
     */
    public static final String META_FPS = "fps";

    private static final Logger LOG = LoggerFactory.getLogger(PublishJob.class);

    /** How often the progress line is redrawn. */
    private static final Duration PROGRESS_EVERY = Duration.ofMillis(500);

    /** Frames too large to send, none sent before them, that stop a camera. */
    static final int TOO_LARGE_TO_STOP = 10;

    /**
     * How long {@link #run()} waits for the cameras after {@link #stop()}: a live camera's reader
     * takes up to 15 s to stop ({@link NewestFrameSource}), a read blocked in FFmpeg up to its 10 s
     * stream timeout. A camera still running then is left to stop by itself, its counts as they
     * were.
     */
    static final Duration CAMERAS_STOP_WITHIN = Duration.ofSeconds(15);

    /**
     * How long after {@link #stop()} (or after the cameras stopped, if later) {@link #run()} waits
     * for Kafka to acknowledge what was sent; what it has not acknowledged then is counted as such
     * ({@link PublishResult.CameraResult#unacknowledged()}), not waited for up to the producer's
     * delivery timeout.
     */
    static final Duration ACKNOWLEDGED_WITHIN = Duration.ofSeconds(5);

    private final FramePublisher publisher;
    private final List<PublishCamera> cameras;
    private final FrameRate rate;
    private final long limit;
    private final long firstSequence;
    private final PrintWriter progress;
    private final List<Thread> threads = new ArrayList<>();
    private final Object acknowledgements = new Object();
    private volatile boolean stopping;
    private volatile long stopNanos;
    private volatile boolean finished;
    private boolean ran;

    private PublishJob(Builder builder) {
        this.publisher = builder.publisher;
        this.cameras = List.copyOf(builder.cameras);
        this.rate = builder.rate;
        this.limit = builder.limit;
        this.firstSequence = builder.firstSequence;
        this.progress = builder.progress;
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
     * Where a command's progress line goes ({@link Builder#optProgress}): {@code out} when this JVM
     * runs on a terminal, none when its output is redirected, so that a log file or a pipe does not
     * fill with a line rewritten in place by carriage returns.
     *
     * @param out the writer for the line, for example picocli's error writer; or null
     * @return {@code out} on a terminal, else null
     */
    public static PrintWriter progressOnTerminal(PrintWriter out) {
        return System.console() != null ? out : null;
    }

    /**
     * Runs every camera to its end and waits until the broker has acknowledged or refused each
     * frame. Runs once. After {@link #stop()} the waits are bounded: 15 s for the cameras, and 5 s
     * from the stop (or the cameras' end, if later) for Kafka's acknowledgements; frames sent and
     * not acknowledged by then are counted in the result.
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
                    line::update, 0, PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
        InterruptedException interrupted = null;
        try {
            synchronized (threads) {
                for (PublishCamera camera : cameras) {
                    Thread thread = new Thread(() -> camera.run(this), "publish-" + camera.id);
                    threads.add(thread);
                    thread.start();
                }
            }
            try {
                awaitCameras();
            } catch (InterruptedException e) {
                stop();
                interrupted = e;
                awaitCameras();
            }
            awaitAcknowledgements(System.nanoTime());
        } finally {
            finished = true;
            if (ticker != null) {
                ticker.shutdownNow();
                line.finish();
            }
        }
        if (interrupted != null) {
            throw interrupted;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, PublishResult.CameraResult> results = new LinkedHashMap<>();
        for (PublishCamera camera : cameras) {
            results.put(camera.id, camera.result());
        }
        return new PublishResult(results, seconds);
    }

    /** Waits for the camera threads: to their end, or after a stop for a bounded time. */
    private void awaitCameras() throws InterruptedException {
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                if (stopping && System.nanoTime() - stopNanos > CAMERAS_STOP_WITHIN.toNanos()) {
                    LOG.warn(
                            "{} did not stop within {} s of being asked; publish goes on without"
                                    + " it, its counts as they are",
                            thread.getName(),
                            CAMERAS_STOP_WITHIN.toSeconds());
                    break;
                }
                thread.join(100);
            }
        }
    }

    /**
     * Waits until Kafka has acknowledged or refused every frame sent: for as long as it takes (the
     * producer's delivery timeout bounds it), or after a stop until {@link #ACKNOWLEDGED_WITHIN}
     * after it or the cameras' end.
     */
    private void awaitAcknowledgements(long camerasEndedNanos) throws InterruptedException {
        // The flush sends what lingers at once; it is waited for here, not there, where a stop
        // could not cut the wait short. It returns when every frame is answered or the publisher
        // is closed.
        daemon(
                        () -> {
                            try {
                                publisher.flush();
                            } catch (RuntimeException e) {
                                LOG.debug("the final flush ended early", e);
                            }
                        },
                        "publish-flush")
                .start();
        synchronized (acknowledgements) {
            while (unacknowledged() > 0) {
                long wait = TimeUnit.MILLISECONDS.toNanos(200);
                if (stopping) {
                    long deadline =
                            Math.max(stopNanos, camerasEndedNanos) + ACKNOWLEDGED_WITHIN.toNanos();
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    wait = Math.min(wait, left);
                }
                TimeUnit.NANOSECONDS.timedWait(acknowledgements, wait);
            }
        }
    }

    private long unacknowledged() {
        return cameras.stream().mapToLong(PublishCamera::unacknowledged).sum();
    }

    /** Wakes {@link #awaitAcknowledgements} when Kafka has answered for a frame. */
    void answered() {
        synchronized (acknowledgements) {
            acknowledgements.notifyAll();
        }
    }

    /** Stops every camera after its current frame; {@link #run()} then returns. Thread-safe. */
    public void stop() {
        if (!stopping) {
            stopNanos = System.nanoTime();
            stopping = true;
        }
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
        for (PublishCamera camera : cameras) {
            counts.put(camera.id, camera.acknowledged());
        }
        return counts;
    }

    FramePublisher publisher() {
        return publisher;
    }

    FrameRate rate() {
        return rate;
    }

    long limit() {
        return limit;
    }

    long firstSequence() {
        return firstSequence;
    }

    /** The clock that stamps a frame without a capture time of its own. */
    Clock clock() {
        return Clock.systemUTC();
    }

    boolean stopping() {
        return stopping;
    }

    /** Whether the result is taken: a camera's answers from now on are counted, not said. */
    boolean finished() {
        return finished;
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Configures a {@link PublishJob}: {@code setX} is required, {@code optX} is optional. */
    public static final class Builder {

        private FramePublisher publisher;
        private final List<PublishCamera> cameras = new ArrayList<>();
        private FrameRate rate = FrameRate.realtime();
        private long limit;
        private long firstSequence;
        private PrintWriter progress;

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
            for (PublishCamera camera : cameras) {
                if (camera.id.equals(cameraId)) {
                    throw new IllegalArgumentException(
                            "the camera id " + cameraId + " is given twice");
                }
            }
            cameras.add(new PublishCamera(cameraId, source));
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
            return new PublishJob(this);
        }
    }
}
