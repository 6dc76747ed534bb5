package io.canvasflow.clients.view;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.clients.CameraSummary;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A browser beyond the viewer's stream limit, in headless Chromium without Kafka: the server
 * answers its stream with 503, which closes an EventSource for good, so the page must say why and
 * come back by itself. Skips, saying why, where Debian's {@code chromium} is not installed.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ViewerStreamLimitTest {

    private static final String CONNECTION = "document.getElementById('connection').textContent";

    @TempDir Path dir;

    @Test
    void shouldSayTooManyViewersAndConnectOnceAStreamIsFree() throws Exception {
        Path chromium = Chromium.findOrSkip();
        // Given a viewer whose every stream is taken
        List<Socket> streams = new ArrayList<>();
        try (ViewServer server =
                        ViewServer.start(
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                                new TileBoard(),
                                Map::<String, CameraSummary>of,
                                "masks + frames");
                Chromium browser = Chromium.start(chromium, dir.resolve("chromium"), 800, 600)) {
            try {
                for (int i = 0; i < ViewServer.MAX_STREAMS; i++) {
                    streams.add(openStream(server.port()));
                }

                // When one more browser opens the page
                browser.navigate(server.url());

                // Then it says why it has no stream
                String said = await(browser, "too many viewers", Duration.ofSeconds(20));
                assertTrue(said.startsWith("too many viewers open"), said);

                // and, once a stream is free, it streams without being reloaded
                streams.remove(0).close();
                await(browser, "live", Duration.ofSeconds(45));
            } finally {
                for (Socket stream : streams) {
                    stream.close();
                }
            }
        }
    }

    /** A stream held open: its request sent and its first bytes read. */
    private static Socket openStream(int port) throws Exception {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.getOutputStream()
                .write(
                        "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
        if (!head.equals("HTTP/1.1 200")) {
            socket.close();
            throw new IllegalStateException("expected a stream but the viewer said " + head);
        }
        return socket;
    }

    /** Waits until the page's connection state contains some text, and returns it. */
    private static String await(Chromium browser, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String said = browser.evaluate(CONNECTION).getAsString();
        while (!said.contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            said = browser.evaluate(CONNECTION).getAsString();
        }
        assertTrue(said.contains(text), "the page says '" + said + "', not '" + text + "'");
        return said;
    }
}
