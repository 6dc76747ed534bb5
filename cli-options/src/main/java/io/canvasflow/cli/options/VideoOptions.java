package io.canvasflow.cli.options;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --video FILE} and {@code --video-frames N}: a video a tool publishes as one camera. */
public final class VideoOptions {

    @Option(
            names = "--video",
            paramLabel = "FILE",
            description = "A video file to publish as one camera (no ground truth).")
    private Path video;

    @Option(
            names = "--video-frames",
            defaultValue = "0",
            description = "At most this many video frames; 0: all (default ${DEFAULT-VALUE}).")
    private long videoFrames;

    /**
     * The video file.
     *
     * @return its path, or null when none was given
     */
    public Path video() {
        return video;
    }

    /**
     * The most video frames to publish.
     *
     * @return the limit, 0 for all
     */
    public long videoFrames() {
        return videoFrames;
    }

    /**
     * What is wrong with the video given.
     *
     * @return the problem in a few words, or null when there is none or no video
     */
    public String problem() {
        if (videoFrames < 0) {
            return "expected --video-frames >= 0 (0 for all) but found " + videoFrames;
        }
        return video != null && !Files.isRegularFile(video) ? "no video file at " + video : null;
    }
}
