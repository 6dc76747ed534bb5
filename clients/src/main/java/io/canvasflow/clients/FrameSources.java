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
 *   <li>{@code live:URL}: a stream taken as live, whatever FFmpeg knows of its length;
 *   <li>anything else, a video file or a stream URL: a {@link VideoFileSource}, which a {@link
 *       ReconnectingSource} opens again when it is lost if it is a live stream.
 * </ul>
 */
public final class FrameSources {

    /** The prefix of synthetic sources. */
    public static final String SYNTHETIC_PREFIX = "synthetic:";

    /**
     * The prefix that takes a stream as live whatever FFmpeg knows of its length: an HLS event
     * playlist, an NVR's recording played back over RTSP.
     */
    public static final String LIVE_PREFIX = "live:";

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
        boolean forced = spec.startsWith(LIVE_PREFIX);
        String location = forced ? spec.substring(LIVE_PREFIX.length()) : spec;
        if (forced && !VideoFileSource.isUrl(location)) {
            throw new FrameSourceException(
                    "expected live:URL, a stream such as live:rtsp://host/stream, but found "
                            + UrlCredentials.hide(spec));
        }
        VideoFileSource video = new VideoFileSource(location, 0, forced);
        return reconnect && video.isLive()
                ? new ReconnectingSource(
                        video, first -> new VideoFileSource(location, first, forced))
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
