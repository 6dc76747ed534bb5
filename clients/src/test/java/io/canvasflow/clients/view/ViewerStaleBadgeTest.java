package io.canvasflow.clients.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.canvasflow.clients.CameraSummary;
import io.canvasflow.clients.JoinedMask;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's badge when its stream is up but no mask comes (Kafka or the topology down), in
 * headless Chromium without Kafka, on a board whose clock the test moves. Skips, saying why, where
 * Debian's {@code chromium} is not installed.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ViewerStaleBadgeTest {

    private static final String CONNECTION = "document.getElementById('connection').textContent";

    @TempDir Path dir;

    @Test
    void shouldSayTheTilesAreStaleWhileNoMaskComesAndLiveOnceOneDoes() throws Exception {
        Path chromium = Chromium.find().orElse(null);
        assumeTrue(chromium != null, Chromium.MISSING);
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
            assertEquals("live", await(browser, "live"));

            // When 12 s pass with no mask
            nanos.set(Duration.ofSeconds(12).toNanos());

            // Then the badge says the tiles are stale, and live again once a mask comes
            assertEquals("stale: no mask for 12 s", await(browser, "stale"));
            board.onJoined(
                    new JoinedMask(ViewServerTest.mask("a", 2), ViewServerTest.frame("a", 2)));
            assertEquals("live", await(browser, "live"));
        }
    }

    /** Waits up to 30 s until the page's connection state contains some text, and returns it. */
    private static String await(Chromium browser, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String said = browser.evaluate(CONNECTION).getAsString();
        while (!said.contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            said = browser.evaluate(CONNECTION).getAsString();
        }
        return said;
    }
}
