package io.canvasflow.clients;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts, per camera, the masks a {@link MaskFollower} joined without their frame, and says once
 * per camera why: a WARN for the first whose frame left the join buffer (a larger {@code
 * --join-frames}, or {@code --join-memory} when the buffer over all cameras was full, would have
 * kept it), an INFO for the first whose frame will not come. Logged as the follower's own lines.
 * Not thread-safe: the follower's thread only.
 */
final class MissingFrames {

    private static final Logger LOG = LoggerFactory.getLogger(MaskFollower.class);

    private final int joinCapacity;
    private final long joinBytes;
    private final Map<String, FollowResult.WithoutFrame> cameras = new LinkedHashMap<>();

    /**
     * @param joinCapacity the join buffer's frames per camera, for the WARN's advice
     * @param joinBytes the join buffer's bytes over all cameras, for the WARN's advice
     */
    MissingFrames(int joinCapacity, long joinBytes) {
        this.joinCapacity = joinCapacity;
        this.joinBytes = joinBytes;
    }

    /** Counts a mask the join released, if it came without its frame. */
    void note(JoinedMask joined) {
        if (joined.frame() != null) {
            return;
        }
        String camera = joined.mask().getCameraId();
        FollowResult.WithoutFrame before =
                cameras.getOrDefault(camera, new FollowResult.WithoutFrame(0, 0));
        cameras.put(camera, before.add(joined));
        if (joined.bufferFull() && before.bufferFull() == 0) {
            LOG.warn(
                    "camera {}: a mask whose frame left the join buffer ({} frames per camera,"
                            + " {} MiB over all cameras) is drawn without the picture; raise"
                            + " --join-frames, or --join-memory for many cameras, if this repeats",
                    camera,
                    joinCapacity,
                    joinBytes >> 20);
        } else if (!joined.bufferFull() && before.masks() == before.bufferFull()) {
            LOG.info(
                    "camera {}: a mask whose frame will not come (the camera's publisher"
                            + " restarted, or the frame was sent before this follower began)"
                            + " is drawn without the picture",
                    camera);
        }
    }

    /** Per camera, the masks without their frame; cameras without any are absent. */
    Map<String, FollowResult.WithoutFrame> counts() {
        return cameras;
    }
}
