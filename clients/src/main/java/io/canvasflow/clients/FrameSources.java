package io.canvasflow.clients;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a {@link FrameSource} from the command line's {@code SOURCE} syntax:
 *
 * <ul>
 *   <li>{@code synthetic:SCENE[:FRAMES]}: a {@link SyntheticCameraSource} on test scene SCENE,
 *       {@value SyntheticCameraSource#DEFAULT_FRAMES} frames unless FRAMES is given;
 *   <li>a folder: an {@link ImageDirectorySource};
 *   <li>anything else, a video file or a stream URL: a {@link VideoFileSource}, which a {@link
 *       ReconnectingSource} opens again when it is lost if it is a live stream.
 * </ul>
 */
public final class FrameSources {

    /** The prefix of synthetic sources. */
    public static final String SYNTHETIC_PREFIX = "synthetic:";

    private FrameSources() {}

    /**
     * Opens a source; a live stream is opened again when it is lost ({@link ReconnectingSource}).
     *
     * @param spec the source, in the syntax above
     * @return the open source
     * @throws FrameSourceException when the source cannot be opened
     * @throws IllegalArgumentException when a synthetic spec is malformed
     */
    public static FrameSource open(String spec) {
        return open(spec, true);
    }

    /**
     * Opens a source.
     *
     * @param spec the source, in the syntax above
     * @param reconnect whether a live stream is opened again when it is lost, or ends there
     * @return the open source
     * @throws FrameSourceException when the source cannot be opened
     * @throws IllegalArgumentException when a synthetic spec is malformed
     */
    public static FrameSource open(String spec, boolean reconnect) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException(
                    "expected a source (file, folder, URL or synthetic:SCENE) but found none");
        }
        if (spec.startsWith(SYNTHETIC_PREFIX)) {
            return synthetic(spec);
        }
        if (!VideoFileSource.isUrl(spec) && Files.isDirectory(Path.of(spec))) {
            return new ImageDirectorySource(Path.of(spec));
        }
        VideoFileSource video = new VideoFileSource(spec);
        return reconnect && video.isLive()
                ? new ReconnectingSource(video, first -> new VideoFileSource(spec, first))
                : video;
    }

    private static SyntheticCameraSource synthetic(String spec) {
        String[] parts = spec.substring(SYNTHETIC_PREFIX.length()).split(":", -1);
        try {
            if (parts.length == 1) {
                return new SyntheticCameraSource(
                        Integer.parseInt(parts[0]), SyntheticCameraSource.DEFAULT_FRAMES);
            }
            if (parts.length == 2) {
                return new SyntheticCameraSource(
                        Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            }
        } catch (NumberFormatException e) {
            // Fall through to the message below.
        }
        throw new IllegalArgumentException(
                "expected synthetic:SCENE[:FRAMES] with whole numbers but found " + spec);
    }
}
