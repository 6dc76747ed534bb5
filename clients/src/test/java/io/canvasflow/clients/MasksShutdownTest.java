package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.testsupport.CanvasFlowTopics;
import io.canvasflow.testsupport.ChildJvm;
import io.canvasflow.testsupport.ChildLog;
import io.canvasflow.topology.CanvasFlowApp;
import io.canvasflow.topology.CanvasFlowConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code masks --out} stopped mid-stream as a user stops it (SIGTERM from a supervisor, SIGINT from
 * Ctrl-C) while six synthetic cameras stream through a real broker and the topology with the
 * trained default model: every camera's MP4 is finished (its index written) and holds every overlay
 * that was drawn, one PNG each.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MasksShutdownTest {

    private static final int CAMERAS = 6;

    @TempDir static Path state;

    private static EmbeddedKafkaBroker kafka;
    private static CanvasFlowApp app;
    private static FramePublisher publisher;
    private static PublishJob cameras;
    private static CompletableFuture<Void> publishing;

    @TempDir Path dir;

    @BeforeAll
    static void streamSixCamerasThroughTheTopology() {
        kafka = EmbeddedKafkaBroker.builder().build().start();
        kafka.createTopics(CanvasFlowTopics.withPartitions(2));
        app =
                CanvasFlowApp.start(
                        CanvasFlowConfig.defaults()
                                .with(CanvasFlowConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
                                .with(CanvasFlowConfig.APPLICATION_ID, "masks-shutdown")
                                .with(
                                        CanvasFlowConfig.MODEL_DIR,
                                        System.getProperty("canvasflow.test.model"))
                                .with(CanvasFlowConfig.STATE_DIR, state.toString())
                                .with(CanvasFlowConfig.HTTP_PORT, "0"));
        publisher = FramePublisher.builder().setBootstrapServers(kafka.bootstrapServers()).build();
        PublishJob.Builder job = PublishJob.builder().setPublisher(publisher);
        for (int i = 0; i < CAMERAS; i++) {
            // Small frames at 3 frames/s each: a load the topology nearly keeps up with on a
            // shared two-core machine while the child JVM draws and encodes.
            job.addCamera("cam-" + i, new SyntheticCameraSource(i, 400, 128, 96));
        }
        cameras = job.optRate(FrameRate.fixed(3)).build();
        publishing = BackgroundJobs.start(cameras);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cameras != null) {
            cameras.stop();
            publishing.get(30, TimeUnit.SECONDS);
        }
        if (publisher != null) {
            publisher.close();
        }
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void shouldFinishEveryCamerasVideoWhenStoppedMidStream(String signal) throws Exception {
        // Given masks writing overlays of the six live cameras, a PNG of each
        Path out = dir.resolve("overlays");
        Process masks =
                ChildJvm.startInterruptible(
                        List.of("-Xmx384m", "-XX:+UseSerialGC"),
                        ChildMasks.class,
                        List.of(
                                "--bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--out",
                                out.toString(),
                                "--png-every",
                                "1"),
                        dir.resolve("masks.log"));
        try {
            awaitOverlaysOfEveryCamera(masks, out, 3);

            // When it gets the signal mid-stream
            new ProcessBuilder("kill", "-" + signal, Long.toString(masks.pid())).start().waitFor();

            // Then it exits as a JVM that ran its shutdown hooks exits on that signal
            assertTrue(masks.waitFor(30, TimeUnit.SECONDS), "masks ignored SIG" + signal + log());
            assertEquals(128 + (signal.equals("TERM") ? 15 : 2), masks.exitValue(), log());
            // and every camera's MP4 opens, decodes and holds every overlay drawn
            Map<String, Long> pngs = pngsPerCamera(out);
            assertEquals(CAMERAS, pngs.size(), "cameras with overlays: " + pngs + log());
            Map<String, Long> videoFrames = new TreeMap<>();
            for (String camera : pngs.keySet()) {
                videoFrames.put(camera, decodedFrames(out.resolve(camera + ".mp4")));
            }
            assertEquals(pngs, videoFrames, log());
        } finally {
            masks.destroyForcibly();
        }
    }

    /** Waits until every camera has at least {@code n} overlays, so that the stream is going. */
    private void awaitOverlaysOfEveryCamera(Process masks, Path out, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertTrue(masks.isAlive(), "masks died" + log());
            Map<String, Long> pngs = pngsPerCamera(out);
            if (pngs.size() == CAMERAS && pngs.values().stream().allMatch(c -> c >= n)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not every camera had " + n + " overlays" + log());
    }

    private static Map<String, Long> pngsPerCamera(Path out) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        if (!Files.isDirectory(out)) {
            return counts;
        }
        try (Stream<Path> files = Files.walk(out)) {
            files.filter(p -> p.toString().endsWith(".png"))
                    .forEach(
                            p ->
                                    counts.merge(
                                            p.getParent().getFileName().toString(), 1L, Long::sum));
        }
        return counts;
    }

    private static long decodedFrames(Path mp4) throws Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(mp4.toFile())) {
            grabber.start();
            long frames = 0;
            while (grabber.grabImage() != null) {
                frames++;
            }
            grabber.stop();
            return frames;
        }
    }

    private String log() {
        return ChildLog.text("masks' output", dir.resolve("masks.log"));
    }
}
