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
            paramLabel = "N",
            description = "At most this many frames of --video; 0: all (default: all).")
    private Long videoFrames;

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
        return videoFrames == null ? 0 : videoFrames;
    }

    /**
     * What is wrong with the video given: a bad count, a count without a video (it would limit
     * nothing), or no file.
     *
     * @return the problem in a few words, or null when there is none or no video
     */
    public String problem() {
        if (videoFrames != null && videoFrames < 0) {
            return "expected --video-frames >= 0 (0 for all) but found " + videoFrames;
        }
        if (videoFrames != null && video == null) {
            return onlyWithVideo("--video-frames");
        }
        return video != null && !Files.isRegularFile(video) ? "no video file at " + video : null;
    }

    /**
     * The sentence for an option about the video given without {@code --video}.
     *
     * @param option the option, for example {@code --video-size}
     * @return one sentence
     */
    public static String onlyWithVideo(String option) {
        return option + " applies to the frames of --video; give a --video or leave it out";
    }
}
