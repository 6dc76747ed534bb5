package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoWriterTest {

    @TempDir Path dir;

    @Test
    void shouldPreferH264AndFallBackToMpeg4() {
        assertTrue(
                List.of("libx264", "libopenh264", "mpeg4").contains(VideoWriter.preferredCodec()));
    }

    @Test
    void shouldWriteAnMp4ThatFfmpegReadsBackFrameByFrame() throws Exception {
        // Given
        Path file = dir.resolve("nested/out.mp4");

        // When
        try (VideoWriter writer = VideoWriter.open(file, 64, 48, 10)) {
            for (int i = 0; i < 15; i++) {
                writer.write(OverlayRendererTest.solid(64, 48, (i * 16) << 16));
            }
            assertEquals(15, writer.frames());
        }

        // Then
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.start();
            assertEquals(64, grabber.getImageWidth());
            assertEquals(48, grabber.getImageHeight());
            assertEquals(10.0, grabber.getVideoFrameRate(), 0.01);
            int frames = 0;
            while (grabber.grabImage() != null) {
                frames++;
            }
            assertEquals(15, frames);
        }
    }

    @Test
    void shouldPadOddSizesToEvenOnesForChromaSubsampling() throws Exception {
        Path file = dir.resolve("odd.mp4");

        try (VideoWriter writer = VideoWriter.open(file, 65, 49, 5)) {
            writer.write(OverlayRendererTest.solid(65, 49, 0x00FF00));
            writer.write(OverlayRendererTest.solid(130, 98, 0x00FF00));
        }

        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.start();
            assertEquals(66, grabber.getImageWidth());
            assertEquals(50, grabber.getImageHeight());
        }
    }
}
