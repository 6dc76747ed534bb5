package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameSourcesTest {

    @TempDir Path dir;

    @Test
    void shouldOpenSyntheticScenesWithAndWithoutAFrameCount() {
        try (FrameSource counted = FrameSources.open("synthetic:3:7");
                FrameSource defaulted = FrameSources.open("synthetic:4")) {
            assertEquals("synthetic:3:7", counted.description());
            assertEquals(
                    "synthetic:4:" + SyntheticCameraSource.DEFAULT_FRAMES, defaulted.description());
        }
    }

    @Test
    void shouldRefuseMalformedSyntheticSpecs() {
        for (String spec :
                new String[] {"synthetic:", "synthetic:x", "synthetic:1:2:3", "synthetic:-1"}) {
            assertThrows(IllegalArgumentException.class, () -> FrameSources.open(spec), spec);
        }
    }

    @Test
    void shouldOpenAFolderAsImages() throws IOException {
        Files.write(dir.resolve("a.png"), ImageCodecs.png(OverlayRendererTest.solid(4, 4, 0)));

        try (FrameSource source = FrameSources.open(dir.toString())) {
            assertInstanceOf(ImageDirectorySource.class, source);
        }
    }

    @Test
    void shouldOpenAnythingElseAsVideo() {
        assertThrows(
                FrameSourceException.class,
                () -> FrameSources.open(dir.resolve("missing.mp4").toString()));
    }

    @Test
    void shouldTellUrlsFromPaths() {
        assertEquals(true, VideoFileSource.isUrl("rtsp://10.0.0.7:554/stream"));
        assertEquals(true, VideoFileSource.isUrl("https://example.org/a.mp4"));
        assertEquals(false, VideoFileSource.isUrl("/videos/a.mp4"));
        assertEquals(false, VideoFileSource.isUrl("C://odd"));
    }
}
