package io.canvasflow.clients;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link MaskFollower} saw.
 *
 * @param cameras each camera's statistics at the end, by camera id in order of first appearance
 * @param masks mask events consumed
 * @param frames frame records consumed for the join (overlays, join listeners)
 * @param badRecords records that could not be deserialized and were skipped
 * @param overlays overlays drawn
 * @param withoutFrame per camera, masks joined without their frame, so drawn without the picture;
 *     cameras without any are absent
 * @param videos the MP4s per camera, when overlays were written
 * @param seconds how long the follower ran
 */
public record FollowResult(
        Map<String, CameraSummary> cameras,
        long masks,
        long frames,
        long badRecords,
        long overlays,
        Map<String, WithoutFrame> withoutFrame,
        Map<String, CameraVideos> videos,
        double seconds) {

    /** Copies the maps, keeping their order. */
    public FollowResult {
        cameras = Collections.unmodifiableMap(new LinkedHashMap<>(cameras));
        withoutFrame = Collections.unmodifiableMap(new LinkedHashMap<>(withoutFrame));
        videos = Collections.unmodifiableMap(new LinkedHashMap<>(videos));
    }

    /**
     * One camera's masks joined without their frame.
     *
     * @param masks all of them
     * @param bufferFull those whose frame the join buffer had no room for: a larger {@code
     *     --join-frames} or {@code --join-memory} would have kept them; the others' frames did not
     *     come (a new run of the camera began, or the frame was sent before the follower started
     *     reading)
     */
    public record WithoutFrame(long masks, long bufferFull) {

        WithoutFrame add(JoinedMask joined) {
            return new WithoutFrame(masks + 1, bufferFull + (joined.bufferFull() ? 1 : 0));
        }
    }
}
