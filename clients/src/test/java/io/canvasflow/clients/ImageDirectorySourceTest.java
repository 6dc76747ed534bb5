package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDirectorySourceTest {

    @TempDir Path dir;

    @Test
    void shouldReadJpegAndPngImagesInFileNameOrder() throws IOException {
        // Given images whose widths tell them apart, written out of order, and files to ignore
        write("frame-0003.PNG", 30, true);
        write("frame-0001.jpg", 10, false);
        write("frame-0002.jpeg", 20, false);
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        Files.createDirectory(dir.resolve("sub.png"));

        // When
        List<Integer> widths = new ArrayList<>();
        List<Long> indices = new ArrayList<>();
        try (ImageDirectorySource source = new ImageDirectorySource(dir, 5)) {
            assertEquals(5.0, source.nativeFps());
            for (Optional<SourceFrame> f = source.next(); f.isPresent(); f = source.next()) {
                widths.add(f.get().image().getWidth());
                indices.add(f.get().index());
            }
        }

        // Then
        assertEquals(List.of(10, 20, 30), widths);
        assertEquals(List.of(0L, 1L, 2L), indices);
    }

    @Test
    void shouldRefuseAFolderWithoutImages() throws IOException {
        Files.writeString(dir.resolve("readme.md"), "#");

        FrameSourceException e =
                assertThrows(FrameSourceException.class, () -> new ImageDirectorySource(dir));

        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void shouldNameTheImageThatDoesNotDecode() throws IOException {
        Files.write(dir.resolve("broken.jpg"), new byte[] {1, 2, 3});

        try (ImageDirectorySource source = new ImageDirectorySource(dir)) {
            FrameSourceException e = assertThrows(FrameSourceException.class, source::next);
            assertTrue(e.getMessage().contains("broken.jpg"), e.getMessage());
        }
    }

    private void write(String name, int width, boolean png) throws IOException {
        var image = OverlayRendererTest.solid(width, 8, 0x336699);
        Files.write(
                dir.resolve(name), png ? ImageCodecs.png(image) : ImageCodecs.jpeg(image, 0.9f));
    }
}
