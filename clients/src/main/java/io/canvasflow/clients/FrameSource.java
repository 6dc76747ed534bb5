package io.canvasflow.clients;

import java.util.Optional;

/**
 * Where a camera's frames come from: a video file or stream, a folder of images, a synthetic scene,
 * or a user's own implementation. A source is read by one thread.
 */
public interface FrameSource extends AutoCloseable {

    /**
     * Reads the next frame.
     *
     * @return the frame, or empty at the end of the source
     * @throws FrameSourceException when the source cannot be read
     */
    Optional<SourceFrame> next();

    /**
     * The rate the source was recorded at, which real-time publishing reproduces.
     *
     * @return frames per second, positive
     */
    double nativeFps();

    /**
     * Whether the source is live, a camera that sends frames at its own pace whether or not they
     * are read: publishing never delays its frames to keep a rate, it drops the ones it does not
     * publish. Files, folders and synthetic scenes are not live.
     *
     * @return true for a live source
     */
    default boolean isLive() {
        return false;
    }

    /**
     * What the source skipped so far as unreadable, in a sentence, for a reader that stops before
     * its end (where a {@link SkippedFramesException} would say it).
     *
     * @return the sentence, or null when nothing was skipped
     */
    default String skippedUnreadable() {
        return null;
    }

    /**
     * Names the source for logs and frame metadata, for example the file path.
     *
     * @return a short description
     */
    String description();

    /** Releases the source; reading after closing is an error. */
    @Override
    void close();
}
