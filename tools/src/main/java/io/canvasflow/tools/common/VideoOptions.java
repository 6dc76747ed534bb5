package io.canvasflow.tools.common;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --video FILE} and {@code --video-frames N}: a video file that a tool publishes as one more
 * camera (with no ground truth) before it measures.
 */
public final class VideoOptions {

    @Option(
            names = "--video",
            paramLabel = "FILE",
            description = "A video file to publish first as one more camera (no ground truth).")
    private Path video;

    @Option(
            names = "--video-frames",
            defaultValue = "0",
            description = "At most this many video frames; 0: all (default ${DEFAULT-VALUE}).")
    private long videoFrames;

    /** The video file, or null when none was given. */
    public Path video() {
        return video;
    }

    /** At most this many video frames, 0 for all. */
    public long videoFrames() {
        return videoFrames;
    }

    /**
     * The sentence that says the video is missing, or null when it is there or none was given.
     *
     * @return for example "no video file at x.mp4"
     */
    public String problem() {
        return video != null && !Files.isRegularFile(video) ? "no video file at " + video : null;
    }

    /** The synthetic cameras and frames given, and this video. */
    public Footage footage(int cameras, int frames) {
        return new Footage(cameras, frames, video, videoFrames);
    }
}
