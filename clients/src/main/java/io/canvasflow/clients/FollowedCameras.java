package io.canvasflow.clients;

import io.canvasflow.schemas.avro.MaskEvent;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A {@link MaskFollower}'s per-camera statistics, in order of first appearance. Optionally a camera
 * with no mask for a while is forgotten (checked whenever one is recorded or they are read): the
 * live viewer forgets a stopped camera as its {@code TileBoard} does, where {@code masks} keeps
 * every camera it saw for its final table. A forgotten camera that sends again starts new figures.
 * Thread-safe: the follower records, display threads read.
 */
final class FollowedCameras {

    /** The window of the per-camera rates and latency percentiles. */
    static final Duration STATS_WINDOW = Duration.ofSeconds(5);

    private final Long forgetAfterNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Camera> cameras = new LinkedHashMap<>();
    private long lastSweepNanos;
    private boolean sweptOnce;

    /** One camera's statistics and when its newest mask came, on the clock. */
    private record Camera(CameraStats stats, long lastMaskNanos) {}

    /**
     * @param forgetAfter how long a camera is kept without a mask, or null for ever
     * @param nanoClock a monotonic clock in nanoseconds
     */
    FollowedCameras(Duration forgetAfter, LongSupplier nanoClock) {
        this.forgetAfterNanos = forgetAfter == null ? null : forgetAfter.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Adds a mask event to its camera's statistics. */
    void record(MaskEvent mask) {
        CameraStats stats;
        synchronized (cameras) {
            long now = nanoClock.getAsLong();
            forgetIdle(now);
            Camera camera = cameras.get(mask.getCameraId());
            stats =
                    camera == null
                            ? new CameraStats(mask.getCameraId(), STATS_WINDOW)
                            : camera.stats();
            cameras.put(mask.getCameraId(), new Camera(stats, now));
        }
        stats.record(mask);
    }

    /** Every camera's statistics now, in order of first appearance; idle ones forgotten first. */
    Map<String, CameraSummary> snapshot() {
        Map<String, CameraSummary> out = new LinkedHashMap<>();
        synchronized (cameras) {
            forgetIdle(nanoClock.getAsLong());
            cameras.forEach((id, camera) -> out.put(id, camera.stats().summary()));
        }
        return out;
    }

    private void forgetIdle(long now) {
        // walked at most once a second, as TileBoard's: a walk per mask cost O(cameras) per mask
        if (forgetAfterNanos == null || (sweptOnce && now - lastSweepNanos < 1_000_000_000L)) {
            return;
        }
        sweptOnce = true;
        lastSweepNanos = now;
        for (Iterator<Camera> it = cameras.values().iterator(); it.hasNext(); ) {
            if (now - it.next().lastMaskNanos() > forgetAfterNanos) {
                it.remove();
            }
        }
    }
}
