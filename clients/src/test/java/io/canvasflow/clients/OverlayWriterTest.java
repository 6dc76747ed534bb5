package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overlay videos' frame rate (the camera's own, else a fixed one), the files' names, and what a
 * long-running writer holds: encoders only for cameras that send, a bounded list of PNGs.
 */
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
            pngs = List.copyOf(overlays.pngSamples());
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
        Map<String, CameraVideos> videos;
        try (OverlayWriter overlays = new OverlayWriter(dir, 1, 4, new OverlayRenderer())) {
            for (String camera : cameras) {
                MaskEvent mask = SourceRateTest.mask(0, 0);
                mask.setCameraId(camera);
                Frame frame = SourceRateTest.frame(0, Map.of());
                frame.setCameraId(camera);
                overlays.write(mask, frame);
            }
            pngs = List.copyOf(overlays.pngSamples());
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
        videos.values().forEach(v -> files.add(v.first().getFileName().toString()));
        assertEquals(
                2 * cameras.size(),
                files.stream().map(f -> f.toLowerCase(Locale.ROOT)).distinct().count(),
                files.toString());
        for (String camera : cameras) {
            assertTrue(Files.isRegularFile(videos.get(camera).first()), camera);
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

    @Test
    void shouldFinishAnIdleCamerasVideoWhileAnotherKeepsWriting() throws Exception {
        // Given camera a's three overlays, then camera b's one a minute for six minutes
        AtomicLong nanos = new AtomicLong();
        try (OverlayWriter overlays = idleAfterFiveMinutes(nanos, 0, 10, false)) {
            for (long s = 0; s < 3; s++) {
                overlay(overlays, "a", s);
            }
            for (long minute = 1; minute <= 6; minute++) {
                nanos.set(Duration.ofMinutes(minute).toNanos());
                overlay(overlays, "b", minute);
            }

            // Then, with b still writing, a's MP4 plays with all three and its encoder is gone
            assertEquals(List.of(10.0, 3L), rateAndFrames(dir.resolve("a.mp4")));
            assertEquals(1, overlays.openVideos());
        }
        assertEquals(List.of(10.0, 6L), rateAndFrames(dir.resolve("b.mp4")));
    }

    @Test
    void shouldFinishAnIdleCameraWhoseRateWasNotKnownYet() throws Exception {
        // Given camera a's two overlays 40 ms apart without a recorded rate (eight tell it), then
        // a follower's sweep five minutes later
        AtomicLong nanos = new AtomicLong();
        try (OverlayWriter overlays = idleAfterFiveMinutes(nanos, 0, 1, true)) {
            overlay(overlays, "a", 0);
            overlay(overlays, "a", 1);
            nanos.set(Duration.ofMinutes(5).toNanos());
            overlays.finishIdle();

            // Then the overlays that waited are written at the best guess and let go
            assertEquals(0, overlays.openVideos());
            assertEquals(List.of(25.0, 2L), rateAndFrames(dir.resolve("a.mp4")));
        }
    }

    @Test
    void shouldStartANewFileWhenAnIdleCameraSendsAgain() throws Exception {
        // Given camera a's two overlays, then three more six minutes later, where an earlier run
        // left a file of the name the second one gets
        Path earlier = dir.resolve("a/a-0000001000400-00000010.mp4");
        Files.createDirectories(earlier.getParent());
        Files.writeString(earlier, "an earlier run's");
        AtomicLong nanos = new AtomicLong();
        Map<String, CameraVideos> videos;
        try (OverlayWriter overlays = idleAfterFiveMinutes(nanos, 0, 10, false)) {
            overlay(overlays, "a", 0);
            overlay(overlays, "a", 1);
            nanos.set(Duration.ofMinutes(6).toNanos());
            for (long s = 10; s < 13; s++) {
                overlay(overlays, "a", s);
            }
            videos = overlays.videos();
        }

        // Then the first MP4 keeps the first two, the second the other three, each playable, and
        // no file was written over
        Path second = dir.resolve("a/a-0000001000400-00000010-2.mp4");
        assertEquals(Map.of("a", new CameraVideos(dir.resolve("a.mp4"), 2)), videos);
        assertEquals(dir.resolve("a"), videos.get("a").laterFolder());
        assertEquals(List.of(10.0, 2L), rateAndFrames(dir.resolve("a.mp4")));
        assertEquals(List.of(10.0, 3L), rateAndFrames(second));
        assertEquals("an earlier run's", Files.readString(earlier));
        try (Stream<Path> files = Files.list(dir.resolve("a"))) {
            assertEquals(List.of(second, earlier), files.sorted().toList());
        }
    }

    @Test
    void shouldKeepOnlyTheFirstPngsAsSamples() throws Exception {
        // Given more PNGs than the samples kept
        int count = OverlayWriter.PNG_SAMPLES + 6;
        List<Path> samples;
        try (OverlayWriter overlays = new OverlayWriter(dir, 1, 0, new OverlayRenderer())) {
            for (long s = 0; s < count; s++) {
                overlay(overlays, "a", s);
            }
            samples = List.copyOf(overlays.pngSamples());
        }

        // Then the first are the samples, and every PNG is in the folder
        List<Path> written = new ArrayList<>();
        for (long s = 0; s < count; s++) {
            written.add(dir.resolve(String.format("a/a-%013d-%08d.png", 1_000_000 + 40 * s, s)));
        }
        assertEquals(written.subList(0, OverlayWriter.PNG_SAMPLES), samples);
        try (Stream<Path> files = Files.list(dir.resolve("a"))) {
            assertEquals(written, files.sorted().toList());
        }
    }

    /** A writer whose cameras' videos are finished after five minutes of this clock. */
    private OverlayWriter idleAfterFiveMinutes(
            AtomicLong nanos, int pngEvery, double videoFps, boolean sourceRate) {
        return new OverlayWriter(
                dir,
                pngEvery,
                videoFps,
                sourceRate,
                new OverlayRenderer(),
                Duration.ofMinutes(5),
                nanos::get);
    }

    /** Writes the overlay of a camera's frame, captured 40 ms after the previous sequence's. */
    private static void overlay(OverlayWriter overlays, String camera, long sequence) {
        MaskEvent mask = SourceRateTest.mask(sequence, 40 * sequence);
        mask.setCameraId(camera);
        Frame frame = SourceRateTest.frame(sequence, Map.of());
        frame.setCameraId(camera);
        overlays.write(mask, frame);
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
