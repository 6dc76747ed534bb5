package io.canvasflow.clients.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.canvasflow.clients.BackgroundJobs;
import io.canvasflow.clients.FramePublisher;
import io.canvasflow.clients.FrameRate;
import io.canvasflow.clients.PublishJob;
import io.canvasflow.clients.SyntheticCameraSource;
import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.Topic;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.testsupport.CanvasFlowTopics;
import io.canvasflow.topology.CanvasFlowApp;
import io.canvasflow.topology.CanvasFlowConfig;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live viewer in a real browser: headless Chromium opens the page while a test broker and the
 * topology (the trained default model) stream two synthetic cameras, and the test reads the
 * screenshots' pixels. Skips, saying why, where Debian's {@code chromium} is not installed.
 * Screenshots are kept in {@code target/viewer-screenshots}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ViewerBrowserTest {

    private static final int WIDTH = 1100;
    private static final int HEIGHT = 760;
    private static final Path SCREENSHOTS = Path.of("target", "viewer-screenshots");
    private static final String TILES =
            "JSON.stringify([...document.querySelectorAll('#grid .tile')].map(t => {"
                    + " const p = t.querySelector('.picture').getBoundingClientRect();"
                    + " const s = t.querySelector('.stats').getBoundingClientRect();"
                    + " return {camera: t.dataset.camera, seq: Number(t.dataset.seq),"
                    + " frame: !t.classList.contains('no-frame'),"
                    + " title: t.querySelector('.camera').textContent,"
                    + " text: t.querySelector('.stats').textContent,"
                    + " picture: [p.left, p.top, p.width, p.height],"
                    + " stats: [s.left, s.top, s.width, s.height]}; }))";

    private static Path chromium;
    private static EmbeddedKafkaBroker kafka;

    @TempDir Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        chromium = Chromium.find().orElse(null);
        if (chromium == null) {
            return; // each test skips, saying why
        }
        kafka = EmbeddedKafkaBroker.builder().build().start();
        kafka.createTopics(CanvasFlowTopics.withPartitions(2));
        kafka.createTopics(Map.of("frames-hostile", 1, "masks-hostile", 1));
        Files.createDirectories(SCREENSHOTS);
    }

    @BeforeEach
    void needsChromium() {
        assumeTrue(chromium != null, Chromium.MISSING);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldShowEachCameraWithItsMaskInTheModelsColoursAndLiveNumbers() throws Exception {
        // Given the topology segmenting two synthetic cameras, and the live view
        Path model = Path.of(System.getProperty("canvasflow.test.model"));
        CanvasFlowConfig config =
                CanvasFlowConfig.defaults()
                        .with(CanvasFlowConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
                        .with(CanvasFlowConfig.APPLICATION_ID, "viewer-browser")
                        .with(CanvasFlowConfig.MODEL_DIR, model.toString())
                        .with(CanvasFlowConfig.STATE_DIR, dir.resolve("state").toString())
                        .with(CanvasFlowConfig.HTTP_PORT, "0");
        try (CanvasFlowApp app = CanvasFlowApp.start(config);
                LiveView view = liveView(Topics.MASKS, Topics.FRAMES);
                FramePublisher publisher =
                        FramePublisher.builder()
                                .setBootstrapServers(kafka.bootstrapServers())
                                .build();
                Chromium browser =
                        Chromium.start(chromium, dir.resolve("chromium"), WIDTH, HEIGHT)) {
            CompletableFuture<?> following = CompletableFuture.runAsync(view::run);
            PublishJob cameras =
                    PublishJob.builder()
                            .setPublisher(publisher)
                            .addCamera("street-0", new SyntheticCameraSource(0, 600))
                            .addCamera("street-1", new SyntheticCameraSource(1, 600))
                            // 4 frames/s per camera: a rate the topology keeps up with on a
                            // shared 2-core machine while Chromium and the broker run too
                            .optRate(FrameRate.fixed(4))
                            .build();
            CompletableFuture<?> publishing = BackgroundJobs.start(cameras);
            try {
                // When the browser opens the page and both tiles show a frame with its mask
                browser.navigate(view.url());
                List<JsonObject> tiles = awaitTiles(browser, 2, Duration.ofMinutes(3));
                Thread.sleep(1_000);
                tiles = tiles(browser);
                BufferedImage first = browser.screenshot();
                Thread.sleep(2_500);
                List<JsonObject> later = tiles(browser);
                BufferedImage second = browser.screenshot();
                ImageIO.write(second, "png", SCREENSHOTS.resolve("viewer.png").toFile());

                // Then the numbers move: each tile's text and the pixels of its stats area
                for (int i = 0; i < 2; i++) {
                    assertNotEquals(
                            tiles.get(i).get("text").getAsString(),
                            later.get(i).get("text").getAsString());
                    Rectangle stats = rect(later.get(i).getAsJsonArray("stats"), 0);
                    assertTrue(
                            differingPixels(first, second, stats) > 20,
                            "the stats area of " + tiles.get(i).get("camera") + " did not change");
                    assertTrue(
                            later.get(i).get("text").getAsString().contains("frames/s"),
                            later.get(i).get("text").getAsString());
                }

                // and, frozen, each picture is the frame with the mask blended at 50 % in the
                // model's class colours
                browser.evaluate("document.getElementById('pause').click()");
                Thread.sleep(500);
                BufferedImage both = browser.screenshot();
                browser.evaluate("document.querySelector('input[value=mask]').click()");
                Thread.sleep(300);
                BufferedImage maskOnly = browser.screenshot();
                browser.evaluate("document.querySelector('input[value=frame]').click()");
                Thread.sleep(300);
                BufferedImage frameOnly = browser.screenshot();
                ImageIO.write(both, "png", SCREENSHOTS.resolve("viewer-both.png").toFile());
                ImageIO.write(maskOnly, "png", SCREENSHOTS.resolve("viewer-mask.png").toFile());
                ImageIO.write(frameOnly, "png", SCREENSHOTS.resolve("viewer-frame.png").toFile());
                Set<Integer> palette = modelColours(model);
                for (JsonObject tile : tiles(browser)) {
                    Rectangle picture = rect(tile.getAsJsonArray("picture"), 3);
                    assertPictureIsFrameBlendedWithMask(
                            tile.get("camera").getAsString(),
                            both,
                            maskOnly,
                            frameOnly,
                            picture,
                            palette);
                }
                // the opacity slider at 0 leaves the frame alone
                browser.evaluate(
                        "document.querySelector('input[value=both]').click();"
                                + " const o = document.getElementById('opacity'); o.value = 0;"
                                + " o.dispatchEvent(new Event('input'))");
                Thread.sleep(300);
                BufferedImage clear = browser.screenshot();
                for (JsonObject tile : tiles(browser)) {
                    Rectangle picture = rect(tile.getAsJsonArray("picture"), 3);
                    assertEquals(0, differingPixels(clear, frameOnly, picture), "opacity 0");
                }

                // the legend names the model's classes in its colours
                Set<Integer> swatches = new HashSet<>();
                for (JsonElement colour :
                        JsonParser.parseString(
                                        browser.evaluate(
                                                        "JSON.stringify([...document.querySelectorAll('#legend .swatch')]"
                                                                + ".map(s => getComputedStyle(s).backgroundColor))")
                                                .getAsString())
                                .getAsJsonArray()) {
                    String[] rgb = colour.getAsString().replaceAll("[^0-9,]", "").split(",");
                    swatches.add(
                            Integer.parseInt(rgb[0]) << 16
                                    | Integer.parseInt(rgb[1]) << 8
                                    | Integer.parseInt(rgb[2]));
                }
                assertEquals(palette, swatches);
                String legend =
                        browser.evaluate("document.getElementById('legend').textContent")
                                .getAsString();
                assertTrue(legend.contains("road") && legend.contains("person"), legend);

                // and a click enlarges a tile
                double before =
                        tiles(browser).get(0).getAsJsonArray("picture").get(2).getAsDouble();
                browser.evaluate("document.querySelector('#grid .tile').click()");
                double after = tiles(browser).get(0).getAsJsonArray("picture").get(2).getAsDouble();
                assertTrue(after > 1.5 * before, before + " -> " + after);
            } finally {
                cameras.stop();
                view.stop();
                publishing.get(60, TimeUnit.SECONDS);
                following.get(60, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void shouldRenderHostileCameraIdsAsText() throws Exception {
        // Given cameras whose ids are markup
        List<String> ids =
                List.of(
                        "<script>window.pwned = 1</script>",
                        "<img src=x onerror=\"window.pwned = 2\">");
        Topic<String, Frame> frames = Topics.FRAMES.withName("frames-hostile");
        Topic<String, MaskEvent> masks = Topics.MASKS.withName("masks-hostile");
        try (LiveView view = liveView(masks, frames);
                FabricatedCameras cameras =
                        new FabricatedCameras(kafka.bootstrapServers(), ids, frames, masks);
                Chromium browser =
                        Chromium.start(chromium, dir.resolve("chromium"), WIDTH, HEIGHT)) {
            CompletableFuture<?> following = CompletableFuture.runAsync(view::run);
            try {
                browser.navigate(view.url());
                // When their masks arrive
                long sequence = 0;
                long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                List<JsonObject> tiles = List.of();
                while (System.nanoTime() < deadline
                        && (tiles.size() < 2
                                || tiles.stream().anyMatch(t -> t.get("seq").getAsLong() < 0))) {
                    cameras.send(sequence++);
                    Thread.sleep(200);
                    tiles = tiles(browser);
                }

                // Then each id is the text of its tile's title, and nothing of it ran
                assertEquals(
                        Set.copyOf(ids),
                        Set.copyOf(tiles.stream().map(t -> t.get("title").getAsString()).toList()));
                assertEquals("undefined", browser.evaluate("String(window.pwned)").getAsString());
                assertEquals(
                        0,
                        browser.evaluate(
                                        "document.querySelectorAll('#grid script, #grid img:not(.frame):not(.mask)').length")
                                .getAsInt());
                ImageIO.write(
                        browser.screenshot(),
                        "png",
                        SCREENSHOTS.resolve("viewer-hostile.png").toFile());
            } finally {
                view.stop();
                following.get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static LiveView liveView(Topic<String, MaskEvent> masks, Topic<String, Frame> frames) {
        return LiveView.start(
                kafka.bootstrapServers(),
                masks,
                frames,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Map.of(),
                io.canvasflow.clients.MaskFollower.DEFAULT_JOIN_FRAMES,
                64L << 20,
                null);
    }

    /** Waits for this many tiles that show a frame with its mask. */
    static List<JsonObject> awaitTiles(Chromium browser, int count, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<JsonObject> tiles = tiles(browser);
            if (tiles.size() >= count
                    && tiles.stream()
                            .allMatch(
                                    t ->
                                            t.get("seq").getAsLong() >= 0
                                                    && t.get("frame").getAsBoolean())) {
                return tiles;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "expected " + count + " tiles with frames but found " + tiles);
            }
            Thread.sleep(250);
        }
    }

    static List<JsonObject> tiles(Chromium browser) throws Exception {
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement e :
                JsonParser.parseString(browser.evaluate(TILES).getAsString()).getAsJsonArray()) {
            out.add(e.getAsJsonObject());
        }
        return out;
    }

    private static Rectangle rect(JsonArray box, int inset) {
        int x = (int) Math.ceil(box.get(0).getAsDouble()) + inset;
        int y = (int) Math.ceil(box.get(1).getAsDouble()) + inset;
        int w = (int) Math.floor(box.get(2).getAsDouble()) - 2 * inset;
        int h = (int) Math.floor(box.get(3).getAsDouble()) - 2 * inset;
        return new Rectangle(x, y, w, h);
    }

    private static int differingPixels(BufferedImage a, BufferedImage b, Rectangle area) {
        int differing = 0;
        for (int y = area.y; y < area.y + area.height; y++) {
            for (int x = area.x; x < area.x + area.width; x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    differing++;
                }
            }
        }
        return differing;
    }

    /**
     * Mask only: (nearly) every pixel is one of the model's colours, at least two classes show.
     * Both: every pixel is half the frame plus half the mask, as the opacity slider's 50 % says.
     */
    private static void assertPictureIsFrameBlendedWithMask(
            String camera,
            BufferedImage both,
            BufferedImage maskOnly,
            BufferedImage frameOnly,
            Rectangle area,
            Set<Integer> palette) {
        int pixels = area.width * area.height;
        int inPalette = 0;
        int blended = 0;
        int frameDiffers = 0;
        Map<Integer, Integer> classes = new HashMap<>();
        for (int y = area.y; y < area.y + area.height; y++) {
            for (int x = area.x; x < area.x + area.width; x++) {
                int mask = maskOnly.getRGB(x, y) & 0xFFFFFF;
                int frame = frameOnly.getRGB(x, y) & 0xFFFFFF;
                int shown = both.getRGB(x, y) & 0xFFFFFF;
                if (palette.contains(mask)) {
                    inPalette++;
                    classes.merge(mask, 1, Integer::sum);
                }
                if (distance(shown, half(frame, mask)) <= 3) {
                    blended++;
                }
                if (distance(frame, mask) > 24) {
                    frameDiffers++;
                }
            }
        }
        long shownClasses = classes.values().stream().filter(n -> n > pixels / 100).count();
        String figures =
                camera
                        + ": "
                        + pixels
                        + " pixels, "
                        + inPalette
                        + " in the model's colours, "
                        + blended
                        + " blended, "
                        + frameDiffers
                        + " where frame and mask differ, classes "
                        + classes;
        System.out.println(figures);
        assertTrue(inPalette >= 0.99 * pixels, figures);
        assertTrue(shownClasses >= 2, figures);
        assertTrue(frameDiffers >= 0.5 * pixels, "the frame is not the mask: " + figures);
        assertTrue(blended >= 0.97 * pixels, figures);
    }

    private static int half(int frame, int mask) {
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int c = (((frame >> shift) & 0xFF) + ((mask >> shift) & 0xFF) + 1) / 2;
            out |= c << shift;
        }
        return out;
    }

    private static int distance(int a, int b) {
        int max = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            max = Math.max(max, Math.abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF)));
        }
        return max;
    }

    /** The class colours the model's {@code model.json} names. */
    private static Set<Integer> modelColours(Path model) throws Exception {
        JsonObject spec =
                JsonParser.parseString(Files.readString(model.resolve("model.json")))
                        .getAsJsonObject();
        Set<Integer> colours = new HashSet<>();
        for (JsonElement c : spec.getAsJsonArray("classes")) {
            colours.add(
                    Integer.parseInt(
                            c.getAsJsonObject().get("color").getAsString().substring(1), 16));
        }
        assertFalse(colours.isEmpty());
        return colours;
    }
}
