package io.canvasflow.clients;

import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.Objects;

/**
 * One frame read from a {@link FrameSource}.
 *
 * @param image the image; the source hands it over and does not reuse it
 * @param index the frame's position in the source, from 0
 * @param captureTime when the frame was captured, or null when the source does not know (a file
 *     replayed now); the publisher then stamps the time it sends the frame
 * @param groundTruthPng a PNG of per-pixel class indices, or null
 */
public record SourceFrame(
        BufferedImage image, long index, Instant captureTime, byte[] groundTruthPng) {

    /** Checks the image and index. */
    public SourceFrame {
        Objects.requireNonNull(image, "image");
        if (index < 0) {
            throw new IllegalArgumentException("expected a frame index >= 0 but found " + index);
        }
    }

    /**
     * A frame without capture time or ground truth.
     *
     * @param image the image
     * @param index the frame's position in the source
     * @return the frame
     */
    public static SourceFrame of(BufferedImage image, long index) {
        return new SourceFrame(image, index, null, null);
    }
}
