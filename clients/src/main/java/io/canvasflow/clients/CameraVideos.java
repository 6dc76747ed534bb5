package io.canvasflow.clients;

import java.nio.file.Path;

/**
 * The MP4s an {@link OverlayWriter} wrote for one camera.
 *
 * @param first the camera's first MP4, {@code DIR/CAMERA.mp4}
 * @param files how many MP4s the camera has: the first, then one more each time it sent again after
 *     {@link OverlayWriter#FINISH_IDLE_AFTER} without an overlay, in {@link #laterFolder()}
 */
public record CameraVideos(Path first, int files) {

    /**
     * The folder of the camera's later MP4s (and of its PNGs): {@code DIR/CAMERA}.
     *
     * @return the folder, next to the first MP4
     */
    public Path laterFolder() {
        String name = first.getFileName().toString();
        return first.resolveSibling(name.substring(0, name.length() - ".mp4".length()));
    }

    CameraVideos another() {
        return new CameraVideos(first, files + 1);
    }
}
