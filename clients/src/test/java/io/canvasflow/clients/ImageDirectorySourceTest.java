package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
    void shouldRefuseAtOpenAFolderWhoseFirstImageDoesNotDecode() throws IOException {
        // Given a folder whose first image is no image (publish sent the other cameras' frames,
        // then stopped this one with status 1)
        Files.write(dir.resolve("a-broken.jpg"), new byte[] {1, 2, 3});
        write("b-good.jpg", 10, false);

        // When it is opened, then it is refused, naming the image, before any frame is read
        FrameSourceException e =
                assertThrows(FrameSourceException.class, () -> new ImageDirectorySource(dir));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "the first image in " + dir + ", a-broken.jpg, cannot be read ("),
                e.getMessage());
        assertTrue(
                e.getMessage().endsWith("); give a folder whose images are JPEG or PNG files"),
                e.getMessage());
    }

    @Test
    void shouldSkipImagesThatCannotBeReadSendTheRestAndFailAtTheEnd() throws IOException {
        // Given a folder with a file that is no image and a JPEG whose header claims 20000x20000
        // between two good images
        write("a.jpg", 10, false);
        Files.write(dir.resolve("b.jpg"), new byte[] {1, 2, 3});
        Files.write(
                dir.resolve("c.jpg"),
                ImageCodecsTest.withJpegSize(
                        ImageCodecs.jpeg(OverlayRendererTest.solid(30, 8, 0x336699), 0.9f),
                        20_000,
                        20_000));
        write("d.png", 40, true);

        // When it is read
        List<Integer> widths = new ArrayList<>();
        List<Long> indices = new ArrayList<>();
        FrameSourceException e;
        try (ImageDirectorySource source = new ImageDirectorySource(dir)) {
            e =
                    SourceFailures.readUntilItFails(
                            source,
                            frame -> {
                                widths.add(frame.image().getWidth());
                                indices.add(frame.index());
                            });
        }

        // Then the good images came, numbered by their place, and the end says what was skipped
        assertEquals(List.of(10, 40), widths);
        assertEquals(List.of(0L, 3L), indices);
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "2 of the 4 images in "
                                        + dir
                                        + " could not be read and were skipped, the first b.jpg ("),
                e.getMessage());
    }

    @Test
    void shouldSayWhenAnImageIsTruncated() throws IOException {
        // Given a JPEG cut in half
        byte[] whole = ImageCodecs.jpeg(ImageCodecsTest.noise(48, 32, 1), 0.9f);
        Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(whole, whole.length / 2));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream testErr = System.err;

        // When it is read
        Optional<SourceFrame> frame;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try (ImageDirectorySource source = new ImageDirectorySource(dir)) {
            frame = source.next();
        } finally {
            System.setErr(testErr);
        }

        // Then it is given as decoded, and said to be damaged, as it goes and at the end
        assertEquals(48, frame.orElseThrow().image().getWidth());
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(
                said.contains(
                        "the image "
                                + dir.resolve("cut.jpg")
                                + " is damaged (Truncated File - Missing EOI marker); sent as"
                                + " decoded"),
                said);
        assertTrue(
                said.contains(
                        "1 of the images read from "
                                + dir
                                + " were damaged and sent as decoded, the first cut.jpg"),
                said);
    }

    private void write(String name, int width, boolean png) throws IOException {
        var image = OverlayRendererTest.solid(width, 8, 0x336699);
        Files.write(
                dir.resolve(name), png ? ImageCodecs.png(image) : ImageCodecs.jpeg(image, 0.9f));
    }
}
