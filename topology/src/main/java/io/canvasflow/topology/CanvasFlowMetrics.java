package io.canvasflow.topology;

import io.canvasflow.schemas.avro.DeadLetterReason;
import io.canvasflow.schemas.avro.MaskEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The application's own meters (Kafka Streams' are bound separately). Names, as Prometheus shows
 * them: {@code canvasflow_frames_processed_total}, {@code canvasflow_frames_seeded_total}, {@code
 * canvasflow_frames_reset_total{reason}}, {@code canvasflow_frames_skipped_total}, {@code
 * canvasflow_frames_duplicate_total}, {@code canvasflow_frames_budget_reduced_total}, {@code
 * canvasflow_iterations} (summary with buckets), {@code canvasflow_model_seconds} and {@code
 * canvasflow_end_to_end_latency_seconds} (timers with percentiles), {@code
 * canvasflow_dead_letters_total{reason}}, and per camera ({@link CameraMeters}: gone when the
 * instance no longer owns the camera's partition or the camera sends nothing for a while) {@code
 * canvasflow_camera_lag_seconds{camera}}, {@code canvasflow_camera_last_sequence{camera}} and
 * {@code canvasflow_camera_duplicates_total{camera}}. Thread-safe.
 */
public final class CanvasFlowMetrics {

    private static final CanvasFlowMetrics GLOBAL = new CanvasFlowMetrics(Metrics.globalRegistry);

    private final MeterRegistry registry;
    private final Counter processed;
    private final Counter seeded;
    private final Counter skipped;
    private final Counter duplicates;
    private final Counter budgetReduced;
    private final DistributionSummary iterations;
    private final Timer modelTime;
    private final Timer latency;
    private final Counter clockSkewed;
    private final Timer stageDecode;
    private final Timer stageBackbone;
    private final Timer stageIterations;
    private final Timer stageResize;
    private final Timer stageEncode;
    private final Timer stageDeserialise;
    private final Timer stageStore;
    private final Timer stageProduce;

    /**
     * The stages of {@code canvasflow_frame_stage_seconds}, in the order a frame passes them: the
     * Avro record, the image, the canvas store's read and write, the network's backbone and
     * iterations, the segmenter's resizes and argmax, the mask event's PNG with the new canvas's
     * float16 encoding, the hand-over to the producer. A GC pause counts in the stage it stops.
     */
    public static final List<String> STAGES =
            List.of(
                    "deserialise",
                    "decode",
                    "store",
                    "backbone",
                    "iterations",
                    "resize",
                    "encode",
                    "produce");

    /**
     * The largest end-to-end latency the latency metric takes: a day. Replayed footage keeps its
     * old capture times, and a camera's clock may be wrong; neither is a latency.
     */
    public static final long PLAUSIBLE_LATENCY_MS = 24L * 3600 * 1000;

    private final CameraMeters cameras;

    /**
     * Registers the meters.
     *
     * @param registry where to register them
     */
    public CanvasFlowMetrics(MeterRegistry registry) {
        this(registry, System::currentTimeMillis);
    }

    /**
     * Registers the meters.
     *
     * @param registry where to register them
     * @param clock the wall clock in milliseconds, for when a camera's series age out
     */
    CanvasFlowMetrics(MeterRegistry registry, LongSupplier clock) {
        this.registry = registry;
        this.cameras = new CameraMeters(registry, clock);
        processed = counter("canvasflow.frames.processed", "Frames segmented");
        seeded = counter("canvasflow.frames.seeded", "Frames seeded with the previous canvas");
        skipped = counter("canvasflow.frames.skipped", "Frames skipped in latest-only mode");
        duplicates = counter("canvasflow.frames.duplicate", "Duplicate frames dropped");
        budgetReduced =
                counter(
                        "canvasflow.frames.budget.reduced",
                        "Frames run with fewer iterations to catch up");
        iterations =
                DistributionSummary.builder("canvasflow.iterations")
                        .description("Recurrent iterations per segmented frame")
                        .serviceLevelObjectives(1, 2, 3, 4, 6, 8, 12, 16)
                        .register(registry);
        modelTime = timer("canvasflow.model", "Time in the model per frame");
        latency = timer("canvasflow.end.to.end.latency", "Capture to mask time");
        stageDecode = stage("decode");
        stageBackbone = stage("backbone");
        stageIterations = stage("iterations");
        stageResize = stage("resize");
        stageEncode = stage("encode");
        stageDeserialise = stage("deserialise");
        stageStore = stage("store");
        stageProduce = stage("produce");
        clockSkewed =
                counter(
                        "canvasflow.frames.clock.skewed",
                        "Masks whose capture time was in the future or more than a day old (kept"
                                + " out of the latency metric)");
    }

    /** Metrics on Micrometer's global registry. */
    public static CanvasFlowMetrics global() {
        return GLOBAL;
    }

    /** The registry the meters live in. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Counts an emitted mask event. */
    public void mask(MaskEvent event) {
        cameras.mask(
                event.getCameraId(),
                event.getSequence(),
                event.getSkipped() ? null : event.getEndToEndLatencyMillis());
        if (event.getSkipped()) {
            skipped.increment();
            return;
        }
        processed.increment();
        if (event.getSeeded()) {
            seeded.increment();
        } else if (event.getResetReason() != null) { // none: a feed-forward model, no canvas
            Counter.builder("canvasflow.frames.reset")
                    .description("Frames segmented from a zero canvas, by reason")
                    .tag("reason", String.valueOf(event.getResetReason()))
                    .register(registry)
                    .increment();
        }
        if (event.getBudgetReduced()) {
            budgetReduced.increment();
        }
        iterations.record(event.getIterations());
        modelTime.record(Duration.ofNanos((long) (event.getModelMillis() * 1e6)));
        long ms = event.getEndToEndLatencyMillis();
        if (ms >= 0 && ms <= PLAUSIBLE_LATENCY_MS) {
            latency.record(ms, TimeUnit.MILLISECONDS);
        } else {
            // A capture time from the future or from long ago is a camera's clock, not a
            // latency: counted, kept out of the latency histogram so that its max stays true.
            clockSkewed.increment();
        }
    }

    /**
     * Counts a dropped duplicate, in all and for its camera ({@code
     * canvasflow_camera_duplicates_total{camera}}): a camera or publisher that sends frames twice
     * shows up by name, not only in a total.
     *
     * @param camera the camera whose frame came again
     */
    public void duplicate(String camera) {
        duplicates.increment();
        cameras.duplicate(camera);
    }

    /** Counts a dead-lettered record. */
    public void deadLetter(DeadLetterReason reason) {
        Counter.builder("canvasflow.dead.letters")
                .description("Records sent to the dead-letter topic, by reason")
                .tag("reason", reason.name())
                .register(registry)
                .increment();
    }

    /** Dead letters counted so far with a reason. */
    public double deadLetters(DeadLetterReason reason) {
        Counter c = registry.find("canvasflow.dead.letters").tag("reason", reason.name()).counter();
        return c == null ? 0 : c.count();
    }

    /** Masks made so far (skipped frames' events not counted). */
    public double masks() {
        return processed.count();
    }

    /** Duplicates dropped so far. */
    public double duplicates() {
        return duplicates.count();
    }

    /**
     * Records where a segmented frame's milliseconds went: {@code
     * canvasflow_frame_stage_seconds{stage=decode|backbone|iterations|resize|encode}}; the other
     * stages ({@code deserialise}, {@code store}, {@code produce}) have their own methods.
     *
     * @param decodeNanos the frame's decode
     * @param stages the rest, from the frame core
     */
    public void stages(long decodeNanos, CanvasSegmenter.Stages stages) {
        stageDecode.record(decodeNanos, TimeUnit.NANOSECONDS);
        stageBackbone.record(nanos(stages.backboneMillis()), TimeUnit.NANOSECONDS);
        stageIterations.record(nanos(stages.iterationsMillis()), TimeUnit.NANOSECONDS);
        stageResize.record(nanos(stages.resizeMillis()), TimeUnit.NANOSECONDS);
        stageEncode.record(nanos(stages.encodeMillis()), TimeUnit.NANOSECONDS);
    }

    /**
     * Records a frame record's Avro deserialisation ({@code stage=deserialise}).
     *
     * @param nanos how long it took
     */
    public void deserialised(long nanos) {
        stageDeserialise.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Records a frame's canvas-store read and write ({@code stage=store}) and the hand-over of its
     * mask to the producer ({@code stage=produce}: serialisation and {@code send}, which returns
     * before the broker acknowledges; the transaction's commit is Kafka Streams' commit).
     *
     * @param storeNanos the store's get and put
     * @param produceNanos the forward to the masks sink
     */
    public void storedAndProduced(long storeNanos, long produceNanos) {
        stageStore.record(storeNanos, TimeUnit.NANOSECONDS);
        stageProduce.record(produceNanos, TimeUnit.NANOSECONDS);
    }

    private static long nanos(double millis) {
        return (long) (millis * 1e6);
    }

    private Timer stage(String stage) {
        return Timer.builder("canvasflow.frame.stage")
                .description("Time per segmented frame in each stage of the frame core")
                .tag("stage", stage)
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    /**
     * Records the frames partition a camera's frames arrive on.
     *
     * @param camera the camera
     * @param partition the partition
     */
    public void cameraPartition(String camera, int partition) {
        cameras.partition(camera, partition);
    }

    /**
     * What this instance knows of each camera it has segmented.
     *
     * @param camera the camera id
     * @param partition the frames partition its frames arrive on, -1 when not known
     * @param lastSequence the sequence of its latest mask
     * @param lagMillis how long after its capture that mask was made
     */
    public record Camera(String camera, int partition, long lastSequence, long lagMillis) {}

    /** The cameras this instance has segmented and not forgotten since, by id. */
    public List<Camera> cameras() {
        return cameras.cameras();
    }

    /**
     * Forgets the cameras whose frames come on partitions this instance no longer owns, with their
     * per-camera series: the instance that owns them now exports them.
     *
     * @param owned the frames partitions this instance owns now
     */
    public void retainPartitions(Collection<Integer> owned) {
        cameras.retainPartitions(owned);
    }

    /**
     * Forgets the cameras with no frame for {@value CameraMeters#IDLE_MS} ms, with their per-camera
     * series; done before each scrape.
     */
    public void forgetIdleCameras() {
        cameras.forgetIdle();
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    private Timer timer(String name, String description) {
        return Timer.builder(name)
                .description(description)
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()
                .register(registry);
    }
}
