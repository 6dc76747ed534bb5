package io.canvasflow.topology;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says when a camera falls behind: a mask whose frame was captured more than {@code lag.warn.ms}
 * before its mask was made means this instance segments that camera slower than it sends. Once per
 * camera per minute, one WARN line that names the remedies; the lag itself is the gauge {@code
 * canvasflow_camera_lag_seconds}. One per processor (not thread-safe).
 */
final class LagWatch {

    private static final Logger LOG = LoggerFactory.getLogger(LagWatch.class);
    static final long REPEAT_MS = 60_000;

    private final long thresholdMs;
    private final String remedy;
    private final Map<String, Long> lastWarned = new HashMap<>();

    LagWatch(CanvasFlowConfig config) {
        this.thresholdMs = config.lagWarnMs();
        this.remedy =
                config.processingMode() == ProcessingMode.LATEST_ONLY
                        ? "add instances (up to the frames topic's partitions) or threads, or"
                                + " publish fewer frames per second"
                        : "set processing.mode=latest-only (skip frames a newer one superseded),"
                                + " latency.budget.ms (fewer seeded iterations when late), or add"
                                + " instances (up to the frames topic's partitions)";
    }

    /**
     * Checks one mask.
     *
     * @param camera its camera
     * @param lagMs processed time minus capture time
     * @param nowMs the wall clock
     * @return whether it warned
     */
    boolean check(String camera, long lagMs, long nowMs) {
        if (thresholdMs <= 0 || lagMs <= thresholdMs) {
            return false;
        }
        Long last = lastWarned.get(camera);
        if (last != null && nowMs - last < REPEAT_MS) {
            return false;
        }
        lastWarned.put(camera, nowMs);
        LOG.warn(
                "camera {} is {} s behind (its latest mask was made {} ms after the frame was"
                        + " captured; lag.warn.ms={}): this instance segments it slower than it"
                        + " sends frames; {}",
                camera,
                String.format(java.util.Locale.ROOT, "%.1f", lagMs / 1000.0),
                lagMs,
                thresholdMs,
                remedy);
        return true;
    }
}
