package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The overlay videos' frame rate: the camera's own, else a fixed one. */
class OverlayWriterTest {

    @TempDir Path dir;

    @Test
    void shouldPlayAtTheRateThePublisherRecorded() throws Exception {
        // Given a 25 frames/s camera's first three overlays
        try (OverlayWriter overlays = new OverlayWriter(dir, 0, new OverlayRenderer())) {
            for (long s = 0; s < 3; s++) {
                overlays.write(
                        SourceRateTest.mask(s, 40 * s),
                        SourceRateTest.frame(s, Map.of(PublishJob.META_FPS, "25")));
            }
        }

        // Then its MP4 plays at 25 frames/s and holds all three
        assertEquals(List.of(25.0, 3L), rateAndFrames(dir.resolve("a.mp4")));
    }

    @Test
    void shouldPlayAtTheCaptureTimesRateWhenNoneWasRecorded() throws Exception {
        // Given twelve overlays of frames captured 40 ms apart, without a recorded rate
        try (OverlayWriter overlays = new OverlayWriter(dir, 0, new OverlayRenderer())) {
            for (long s = 0; s < 12; s++) {
                overlays.write(SourceRateTest.mask(s, 40 * s), SourceRateTest.frame(s, Map.of()));
            }
        }

        assertEquals(List.of(25.0, 12L), rateAndFrames(dir.resolve("a.mp4")));
    }

    @Test
    void shouldKeepAFixedRateWhenGivenOne() throws Exception {
        try (OverlayWriter overlays = new OverlayWriter(dir, 0, 4, new OverlayRenderer())) {
            for (long s = 0; s < 2; s++) {
                overlays.write(
                        SourceRateTest.mask(s, 40 * s),
                        SourceRateTest.frame(s, Map.of(PublishJob.META_FPS, "25")));
            }
        }

        assertEquals(List.of(4.0, 2L), rateAndFrames(dir.resolve("a.mp4")));
    }

    private static List<Object> rateAndFrames(Path mp4) throws Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(mp4.toFile())) {
            grabber.start();
            double fps = Math.round(grabber.getFrameRate() * 100) / 100.0;
            long frames = 0;
            while (grabber.grabImage() != null) {
                frames++;
            }
            grabber.stop();
            return List.of(fps, frames);
        }
    }
}
