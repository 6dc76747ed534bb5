package io.canvasflow.tools.common;

import java.nio.file.Path;

/**
 * Footage a tool publishes to its frames topic before it measures: synthetic cameras, a video, or
 * both.
 *
 * @param cameras synthetic cameras
 * @param frames frames per synthetic camera
 * @param video a video to publish as one more camera, or null
 * @param videoFrames at most this many video frames, 0 for all
 */
public record Footage(int cameras, int frames, Path video, long videoFrames) {}
