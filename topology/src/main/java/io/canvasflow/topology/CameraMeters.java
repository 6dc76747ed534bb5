package io.canvasflow.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The series this instance exports per camera ({@code canvasflow_camera_lag_seconds{camera}},
 * {@code canvasflow_camera_last_sequence{camera}}, {@code canvasflow_camera_duplicates_total
 * {camera}}) and the frames partition each camera's frames arrive on, for {@code /cameras}.
 *
 * <p>A camera's series go when this instance no longer owns its partition ({@link
 * #retainPartitions}): the instance that took it over exports them, and two series per camera, one
 * frozen, would mislead a query over the instances. They also go after {@link #IDLE_MS} without a
 * frame ({@link #forgetIdle}): a stopped camera's last lag would otherwise stay for ever, and with
 * it an alert on it, and the series would grow with every camera id ever seen. A camera that sends
 * again gets new ones.
 *
 * <p>Thread-safe: each change to a camera is atomic ({@link ConcurrentHashMap#compute}), so a frame
 * segmented while its camera is forgotten either lands before and is removed with it, or after, on
 * new series.
 */
final class CameraMeters {

    /**
     * How long a camera keeps its series without a frame: five minutes. That is Prometheus' default
     * lookback ({@code query.lookback-delta}), as long as a query keeps finding the last sample of
     * a series that stopped, and five of its default 1-minute scrapes, so a camera that sends a
     * frame a minute keeps steady series. Not {@code canvas.max.gap.ms} or {@code lag.warn.ms} (2 s
     * each by default): a bound shorter than a scrape interval would make a slow camera's series
     * come and go between scrapes.
     */
    static final long IDLE_MS = 5 * 60_000L;

    /** One camera's; changed only inside the map's {@code compute} for its id. */
    private static final class Entry {
        final AtomicLong lastSequence = new AtomicLong(-1);
        final AtomicLong lagMillis = new AtomicLong(0);
        final List<Meter> meters = new ArrayList<>(3);
        volatile int partition = -1;
        volatile long seenMillis;
        volatile boolean masked;
        Counter duplicates;
    }

    private final MeterRegistry registry;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Entry> cameras = new ConcurrentHashMap<>();

    /**
     * @param registry where the series are registered, and removed from
     * @param clock the wall clock in milliseconds, for {@link #IDLE_MS}
     */
    CameraMeters(MeterRegistry registry, LongSupplier clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Notes an arriving frame of a camera and the partition it came on. */
    void partition(String camera, int partition) {
        cameras.compute(
                camera,
                (c, entry) -> {
                    Entry e = seen(entry);
                    e.partition = partition;
                    return e;
                });
    }

    /**
     * Records a camera's mask event.
     *
     * @param camera the camera
     * @param sequence its frame's sequence
     * @param lagMillis capture to mask, or null for a skipped frame's event (no mask was made)
     */
    void mask(String camera, long sequence, Long lagMillis) {
        cameras.compute(
                camera,
                (c, entry) -> {
                    Entry e = seen(entry);
                    if (!e.masked) {
                        e.meters.add(lagGauge(c, e.lagMillis));
                        e.meters.add(sequenceGauge(c, e.lastSequence));
                        e.masked = true;
                    }
                    e.lastSequence.set(sequence);
                    if (lagMillis != null) {
                        e.lagMillis.set(lagMillis);
                    }
                    return e;
                });
    }

    /** Counts a camera's dropped duplicate. */
    void duplicate(String camera) {
        cameras.compute(
                camera,
                (c, entry) -> {
                    Entry e = seen(entry);
                    if (e.duplicates == null) {
                        e.duplicates =
                                Counter.builder("canvasflow.camera.duplicates")
                                        .description("Duplicate frames dropped per camera")
                                        .tag("camera", c)
                                        .register(registry);
                        e.meters.add(e.duplicates);
                    }
                    e.duplicates.increment();
                    return e;
                });
    }

    /** The cameras with a mask event, by id. */
    List<CanvasFlowMetrics.Camera> cameras() {
        List<CanvasFlowMetrics.Camera> out = new ArrayList<>();
        new TreeMap<>(cameras)
                .forEach(
                        (camera, e) -> {
                            if (e.masked) {
                                out.add(
                                        new CanvasFlowMetrics.Camera(
                                                camera,
                                                e.partition,
                                                e.lastSequence.get(),
                                                e.lagMillis.get()));
                            }
                        });
        return out;
    }

    /**
     * Forgets the cameras whose frames came on a partition this instance no longer owns, with their
     * series. A camera whose partition is not known stays, until {@link #forgetIdle}.
     *
     * @param owned the frames partitions this instance owns now
     */
    void retainPartitions(Collection<Integer> owned) {
        Set<Integer> kept = Set.copyOf(owned);
        forget(e -> e.partition >= 0 && !kept.contains(e.partition));
    }

    /** Forgets the cameras with no frame for more than {@link #IDLE_MS}, with their series. */
    void forgetIdle() {
        long now = clock.getAsLong();
        forget(e -> now - e.seenMillis > IDLE_MS);
    }

    private void forget(Predicate<Entry> gone) {
        for (String camera : cameras.keySet()) {
            cameras.computeIfPresent(
                    camera,
                    (c, e) -> {
                        if (!gone.test(e)) {
                            return e;
                        }
                        e.meters.forEach(registry::remove);
                        return null;
                    });
        }
    }

    private Entry seen(Entry entry) {
        Entry e = entry != null ? entry : new Entry();
        e.seenMillis = clock.getAsLong();
        return e;
    }

    private Gauge lagGauge(String camera, AtomicLong millis) {
        return Gauge.builder("canvasflow.camera.lag", millis, v -> v.get() / 1000.0)
                .description("Time from capture to mask of the latest frame per camera")
                .baseUnit("seconds")
                .tag("camera", camera)
                .register(registry);
    }

    private Gauge sequenceGauge(String camera, AtomicLong sequence) {
        return Gauge.builder("canvasflow.camera.last.sequence", sequence, AtomicLong::get)
                .description("Sequence of the latest frame emitted per camera")
                .tag("camera", camera)
                .register(registry);
    }
}
