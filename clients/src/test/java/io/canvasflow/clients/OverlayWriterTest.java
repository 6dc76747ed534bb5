package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The overlay videos' frame rate: the camera's own, else a fixed one. */
class OverlayWriterTest {

    @TempDir Path dir;

    @Test
    void shouldPlayAtTheRateThePublisherRecorded() throws Exception {
        // Given a 25 frames/s camera's first three overlays
        write(
                new OverlayWriter(dir, 0, new OverlayRenderer()),
                3,
                Map.of(PublishJob.META_FPS, "25"));

        // Then its MP4 plays at 25 frames/s and holds all three
        assertEquals(List.of(25.0, 3L), rateAndFrames(dir.resolve("a.mp4")));
    }

    @Test
    void shouldPlayAtTheCaptureTimesRateWhenNoneWasRecorded() throws Exception {
        // Given twelve overlays of frames captured 40 ms apart, without a recorded rate
        write(new OverlayWriter(dir, 0, new OverlayRenderer()), 12, Map.of());

        assertEquals(List.of(25.0, 12L), rateAndFrames(dir.resolve("a.mp4")));
    }

    @Test
    void shouldKeepAFixedRateWhenGivenOne() throws Exception {
        write(
                new OverlayWriter(dir, 0, 4, new OverlayRenderer()),
                2,
                Map.of(PublishJob.META_FPS, "25"));

        assertEquals(List.of(4.0, 2L), rateAndFrames(dir.resolve("a.mp4")));
    }

    @Test
    void shouldKeepThePngsOfAPublishersEarlierRun() throws Exception {
        // Given a camera's overlay 0, then its publisher restarting: sequence 0 again, later
        List<Path> pngs;
        try (OverlayWriter overlays = new OverlayWriter(dir, 1, 0, new OverlayRenderer())) {
            overlays.write(SourceRateTest.mask(0, 0), SourceRateTest.frame(0, Map.of()));
            overlays.write(SourceRateTest.mask(0, 60_000), SourceRateTest.frame(0, Map.of()));
            pngs = List.copyOf(overlays.pngs());
        }

        // Then each run's PNG is a file of its own, named by capture time and sequence
        assertEquals(
                List.of(
                        dir.resolve("a/a-0000001000000-00000000.png"),
                        dir.resolve("a/a-0000001060000-00000000.png")),
                pngs);
        try (Stream<Path> files = Files.list(dir.resolve("a"))) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void shouldGiveCamerasWhoseIdsLookAlikeFilesOfTheirOwn() throws Exception {
        // Given cameras whose ids are the same once made safe, or differ only in case (the same
        // file on a case-insensitive file system), or name another's video
        List<String> cameras =
                List.of("gate_1", "gate 1", "Gate_1", "a", "A", "a.mp4", "x".repeat(256));
        List<Path> pngs;
        Map<String, Path> videos;
        try (OverlayWriter overlays = new OverlayWriter(dir, 1, 4, new OverlayRenderer())) {
            for (String camera : cameras) {
                MaskEvent mask = SourceRateTest.mask(0, 0);
                mask.setCameraId(camera);
                Frame frame = SourceRateTest.frame(0, Map.of());
                frame.setCameraId(camera);
                overlays.write(mask, frame);
            }
            pngs = List.copyOf(overlays.pngs());
            videos = overlays.videos();
        }

        // Then each has its own folder and video, told apart case-insensitively, a safe id that
        // comes first keeps its name, and each file is there
        List<String> folders =
                pngs.stream().map(p -> p.getParent().getFileName().toString()).toList();
        assertEquals("gate_1", folders.get(0));
        assertTrue(folders.get(1).matches("gate_1-[0-9a-f]{8}"), folders.get(1));
        assertTrue(folders.get(2).matches("Gate_1-[0-9a-f]{8}"), folders.get(2));
        assertEquals("a", folders.get(3));
        assertTrue(folders.get(4).matches("A-[0-9a-f]{8}"), folders.get(4));
        assertTrue(folders.get(5).matches("a\\.mp4-[0-9a-f]{8}"), folders.get(5));
        assertTrue(folders.get(6).length() < 120, folders.get(6));
        List<String> files = new ArrayList<>();
        pngs.forEach(p -> files.add(p.getParent().getFileName().toString()));
        videos.values().forEach(v -> files.add(v.getFileName().toString()));
        assertEquals(
                2 * cameras.size(),
                files.stream().map(f -> f.toLowerCase(Locale.ROOT)).distinct().count(),
                files.toString());
        for (String camera : cameras) {
            assertTrue(Files.isRegularFile(videos.get(camera)), camera);
        }
        for (Path png : pngs) {
            assertTrue(Files.isRegularFile(png), png.toString());
        }

        // And a second run into the same folder, the cameras coming the other way round, names
        // them as the first did (a name that went to whichever came first would now swap)
        try (OverlayWriter again = new OverlayWriter(dir, 1, 4, new OverlayRenderer())) {
            for (String camera : List.of("A", "a")) {
                MaskEvent mask = SourceRateTest.mask(1, 1);
                mask.setCameraId(camera);
                Frame frame = SourceRateTest.frame(1, Map.of());
                frame.setCameraId(camera);
                again.write(mask, frame);
            }
            assertEquals(videos.get("A"), again.videos().get("A"));
            assertEquals(videos.get("a"), again.videos().get("a"));
        }
    }

    /**
     * Writes the overlays of a camera's first {@code count} frames, captured 40 ms apart with this
     * metadata, then closes the writer.
     */
    private static void write(OverlayWriter overlays, int count, Map<String, String> metadata)
            throws Exception {
        try (overlays) {
            for (long s = 0; s < count; s++) {
                overlays.write(SourceRateTest.mask(s, 40 * s), SourceRateTest.frame(s, metadata));
            }
        }
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
