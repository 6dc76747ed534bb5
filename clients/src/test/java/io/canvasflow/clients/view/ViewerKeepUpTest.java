package io.canvasflow.clients.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.Topic;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The viewer keeps up: 8 cameras at 10 frames/s each (frames and masks written straight to the
 * topics, so the model's speed is not what is measured) for 60 s, {@code canvasflow view} in a JVM
 * of its own (-Xmx256m) and headless Chromium on the page. Once a second the test reads which
 * sequence every tile shows (the page's own {@code data-seq}, set once the images are decoded) and
 * compares it with the newest mask sent: each tile must be within 1 s of it. The viewer process's
 * RSS is sampled from {@code /proc} at the start and end of the minute. The one long test the
 * viewer adds (about 80 s); it prints its figures. Skips where chromium is not installed.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ViewerKeepUpTest {

    private static final int CAMERAS = 8;
    private static final long PERIOD_MILLIS = 100;
    private static final Duration MEASURED = Duration.ofSeconds(60);
    private static final long RSS_GROWTH_LIMIT_KB = 64 * 1024;

    @TempDir Path dir;

    @Test
    void shouldShowEightCamerasAtTenFramesPerSecondWithinOneSecondOfTheNewestMask()
            throws Exception {
        Path chromium = Chromium.findOrSkip();
        Topic<String, Frame> frames = Topics.FRAMES.withName("frames-keepup");
        Topic<String, MaskEvent> masks = Topics.MASKS.withName("masks-keepup");
        List<String> ids = IntStream.range(0, CAMERAS).mapToObj(i -> "camera-" + i).toList();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            kafka.createTopics(Map.of(frames.name(), 4, masks.name(), 4));
            Process viewer = startViewer(kafka.bootstrapServers(), masks.name(), frames.name());
            try (FabricatedCameras cameras =
                            new FabricatedCameras(kafka.bootstrapServers(), ids, frames, masks);
                    Chromium browser =
                            Chromium.start(chromium, dir.resolve("chromium"), 1400, 1000)) {
                String url = awaitUrl(viewer);
                // Given 8 cameras sending a frame and its mask every 100 ms
                AtomicLong sequence = new AtomicLong();
                clock.scheduleAtFixedRate(
                        () -> cameras.send(sequence.getAndIncrement()),
                        0,
                        PERIOD_MILLIS,
                        TimeUnit.MILLISECONDS);
                browser.navigate(url);
                ViewerBrowserTest.awaitTiles(browser, CAMERAS, Duration.ofMinutes(1));
                Thread.sleep(5_000);

                // When the page runs for a minute
                long rssBefore = rssKb(viewer);
                long sentBefore = sequence.get();
                long maxLagSequences = 0;
                double maxLagMillis = 0;
                List<Double> lags = new ArrayList<>();
                long rssMax = rssBefore;
                List<String> rssEvery10s = new ArrayList<>();
                int second = 0;
                long end = System.nanoTime() + MEASURED.toNanos();
                while (System.nanoTime() < end) {
                    Thread.sleep(1_000);
                    List<JsonObject> tiles = ViewerBrowserTest.tiles(browser);
                    Map<String, Long> newest = cameras.newest();
                    assertEquals(CAMERAS, tiles.size());
                    for (JsonObject tile : tiles) {
                        String camera = tile.get("camera").getAsString();
                        long shown = tile.get("seq").getAsLong();
                        long last = newest.get(camera);
                        Long shownAt = cameras.sentNanos(camera, shown);
                        double lagMillis =
                                shownAt == null || shown >= last
                                        ? 0
                                        : (cameras.sentNanos(camera, last) - shownAt) / 1e6;
                        maxLagSequences = Math.max(maxLagSequences, last - shown);
                        maxLagMillis = Math.max(maxLagMillis, lagMillis);
                        lags.add(lagMillis);
                    }
                    long rss = rssKb(viewer);
                    rssMax = Math.max(rssMax, rss);
                    if (++second % 10 == 0) {
                        rssEvery10s.add(String.format("%.1f", rss / 1024.0));
                    }
                }
                long rssAfter = rssKb(viewer);
                long sent = sequence.get() - sentBefore;
                String status = status(url);

                // Then every tile stayed within a second of its camera's newest mask, and the
                // viewer's memory did not grow
                lags.sort(null);
                String figures =
                        String.format(
                                "viewer keep-up, %d cameras x %.1f frames/s for %d s: %d samples,"
                                        + " max lag %d sequences / %.0f ms, median %.0f ms;"
                                        + " viewer RSS %.1f MB before, %.1f MB after, max %.1f MB"
                                        + " (every 10 s: %s)%n"
                                        + "status: %s",
                                CAMERAS,
                                sent / (double) MEASURED.toSeconds(),
                                MEASURED.toSeconds(),
                                lags.size(),
                                maxLagSequences,
                                maxLagMillis,
                                lags.get(lags.size() / 2),
                                rssBefore / 1024.0,
                                rssAfter / 1024.0,
                                rssMax / 1024.0,
                                String.join(", ", rssEvery10s),
                                status);
                System.out.println(figures);
                Files.writeString(
                        Path.of("target", "viewer-keep-up.txt"), figures + System.lineSeparator());
                assertTrue(sent >= 0.95 * MEASURED.toMillis() / PERIOD_MILLIS, figures);
                assertTrue(maxLagMillis <= 1_000, figures);
                assertTrue(rssMax - rssBefore <= RSS_GROWTH_LIMIT_KB, figures);
            } finally {
                clock.shutdownNow();
                viewer.destroy();
                viewer.waitFor(30, TimeUnit.SECONDS);
                viewer.destroyForcibly();
            }
        }
    }

    private Process startViewer(String bootstrap, String masks, String frames) throws IOException {
        List<String> command =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ViewCommand.class.getName(),
                        "--bootstrap-servers",
                        bootstrap,
                        "--port",
                        "0",
                        "--masks-topic",
                        masks,
                        "--frames-topic",
                        frames);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("view.log").toFile())
                .start();
    }

    /** Waits for {@code view} to print where the page is. */
    private String awaitUrl(Process viewer) throws Exception {
        Pattern line = Pattern.compile("Live view at (http://\\S+/)");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String log = Files.readString(dir.resolve("view.log"));
            Matcher m = line.matcher(log);
            if (m.find()) {
                return m.group(1);
            }
            if (!viewer.isAlive()) {
                throw new AssertionError("view exited with " + viewer.exitValue() + ":\n" + log);
            }
            Thread.sleep(200);
        }
        throw new AssertionError(
                "view printed no URL:\n" + Files.readString(dir.resolve("view.log")));
    }

    private static long rssKb(Process process) throws IOException {
        for (String line :
                Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for process " + process.pid());
    }

    private static String status(String url) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url + "status")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
