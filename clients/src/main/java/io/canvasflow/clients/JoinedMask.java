package io.canvasflow.clients;

import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import java.util.Objects;

/**
 * A mask event joined with its frame by (camera, sequence, capture time), as a {@link MaskFollower}
 * hands them to overlays and join listeners.
 *
 * @param mask the mask event, never a skipped one
 * @param frame its frame, or null when the frame never arrived (its join buffer gave up on it)
 * @param bufferFull whether the frame is missing because the join buffer ran out of room (its frame
 *     was dropped for room, or too many masks waited ahead of their frames, for the camera or over
 *     all cameras): a larger {@code --join-frames} or {@code --join-memory} would have kept it.
 *     False when the frame is here, and when it will not come (a new run of the camera began, a
 *     later frame was matched first, the follower stopped).
 */
public record JoinedMask(MaskEvent mask, Frame frame, boolean bufferFull) {

    /** Checks the mask, and that only a mask without its frame says the buffer was full. */
    public JoinedMask {
        Objects.requireNonNull(mask, "mask");
        if (frame != null && bufferFull) {
            throw new IllegalArgumentException("a mask joined with its frame did not miss it");
        }
    }

    /**
     * A mask with its frame, or without one that will not come.
     *
     * @param mask the mask event
     * @param frame its frame, or null when it will not come
     */
    public JoinedMask(MaskEvent mask, Frame frame) {
        this(mask, frame, false);
    }

    /** A mask whose frame the join buffer had no room to keep. */
    static JoinedMask outgrewBuffer(MaskEvent mask) {
        return new JoinedMask(mask, null, true);
    }
}
