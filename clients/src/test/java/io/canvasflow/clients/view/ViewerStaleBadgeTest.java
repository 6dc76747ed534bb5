package io.canvasflow.clients.view;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.clients.CameraSummary;
import io.canvasflow.clients.JoinedMask;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's badge when its stream is up but no mask comes (Kafka or the topology down), and its
 * tile going once the viewer forgets the camera, in headless Chromium without Kafka, on a board
 * whose clock the test moves. Skips, saying why, where Debian's {@code chromium} is not installed.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ViewerStaleBadgeTest {

    private static final String CONNECTION = "document.getElementById('connection').textContent";

    /** The cameras of the tiles on the page, comma-separated. */
    private static final String TILES =
            "[...document.querySelectorAll('#grid .tile')].map(t => t.dataset.camera).join(',')";

    private static final String EMPTY =
            "(document.getElementById('empty') || {textContent: ''}).textContent";

    @TempDir Path dir;

    @Test
    void shouldSayStaleThenRemoveAForgottenCamerasTileAndShowItAgainOnceAMaskComes()
            throws Exception {
        Path chromium = Chromium.findOrSkip();
        // Given a viewer showing a camera's mask, open in a browser
        AtomicLong nanos = new AtomicLong();
        TileBoard board = new TileBoard(nanos::get);
        board.onJoined(new JoinedMask(ViewServerTest.mask("a", 1), ViewServerTest.frame("a", 1)));
        try (ViewServer server =
                        ViewServer.start(
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                                board,
                                Map::<String, CameraSummary>of,
                                "masks + frames");
                Chromium browser = Chromium.start(chromium, dir.resolve("chromium"), 800, 600)) {
            browser.navigate(server.url());
            assertEquals("live", await(browser, CONNECTION, "live"));

            // When 12 s pass with no mask
            nanos.set(Duration.ofSeconds(12).toNanos());

            // Then the badge says the tiles are stale, the tile still shown
            assertEquals("stale: no mask for 12 s", await(browser, CONNECTION, "stale"));
            assertEquals("a", browser.evaluate(TILES).getAsString());

            // When five minutes pass with no mask, the viewer forgets the camera
            nanos.set(TileBoard.FORGET_AFTER.toNanos() + Duration.ofSeconds(1).toNanos());

            // Then its tile goes from the page, which says it waits for masks, still stale
            assertEquals("", await(browser, TILES, ""));
            assertEquals(
                    List.of("stale: no mask for 301 s", "Waiting for masks\u2026"),
                    List.of(
                            await(browser, CONNECTION, "301"),
                            browser.evaluate(EMPTY).getAsString()));

            // And live again, with the tile, once a mask comes
            board.onJoined(
                    new JoinedMask(ViewServerTest.mask("a", 2), ViewServerTest.frame("a", 2)));
            assertEquals("live", await(browser, CONNECTION, "live"));
            assertEquals("a", await(browser, TILES, "a"));
        }
    }

    /**
     * Waits up to 30 s until an expression's text on the page contains some text (or, for "", is
     * empty), and returns it.
     */
    private static String await(Chromium browser, String expression, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String said = browser.evaluate(expression).getAsString();
        while (!(text.isEmpty() ? said.isEmpty() : said.contains(text))
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
            said = browser.evaluate(expression).getAsString();
        }
        return said;
    }
}
