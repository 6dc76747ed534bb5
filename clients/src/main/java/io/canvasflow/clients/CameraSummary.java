package io.canvasflow.clients;

import io.canvasflow.schemas.avro.ResetReason;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One camera's mask statistics at one moment.
 *
 * @param cameraId the camera
 * @param frames mask events received, skipped ones included
 * @param skipped events of frames skipped in latest-only mode
 * @param fps the camera's frames per second, from the capture times of its most recent 5 s of masks
 *     (not from when they were read)
 * @param latencyP50Millis median end-to-end latency over the recent events, -1 when none
 * @param latencyP99Millis 99th percentile of the same, -1 when none
 * @param segmentation how the segmented frames were segmented
 * @param lastSequence the sequence of the latest event, -1 when none
 */
public record CameraSummary(
        String cameraId,
        long frames,
        long skipped,
        double fps,
        long latencyP50Millis,
        long latencyP99Millis,
        Segmentation segmentation,
        long lastSequence) {

    /**
     * How a camera's segmented frames were segmented.
     *
     * @param meanIterations mean refinement iterations per segmented frame
     * @param seeded frames whose canvas was seeded from the previous frame
     * @param resets frames whose canvas was reset, by reason
     * @param meanModelMillis mean time in the model per segmented frame
     * @param models the model versions that segmented them, in the order they first did (a camera
     *     switched by {@code canvasflow models assign} has two or more)
     * @param lastReset why the canvas was last reset, or null when it never was
     */
    public record Segmentation(
            double meanIterations,
            long seeded,
            Map<ResetReason, Long> resets,
            double meanModelMillis,
            List<String> models,
            ResetReason lastReset) {

        /** Copies the reset counts and the versions. */
        public Segmentation {
            EnumMap<ResetReason, Long> copy = new EnumMap<>(ResetReason.class);
            copy.putAll(resets);
            resets = Collections.unmodifiableMap(copy);
            models = List.copyOf(models);
        }

        /**
         * Returns the frames whose canvas was reset, whatever the reason.
         *
         * @return the total of {@link #resets()}
         */
        public long resetTotal() {
            return resets.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
