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
 */
public record JoinedMask(MaskEvent mask, Frame frame) {

    /** Checks the mask. */
    public JoinedMask {
        Objects.requireNonNull(mask, "mask");
    }
}
