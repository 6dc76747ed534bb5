package io.canvasflow.clients.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.canvasflow.clients.CameraSummary;
import io.canvasflow.clients.ImageCodecs;
import io.canvasflow.clients.JoinedMask;
import io.canvasflow.clients.TestMasks;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.testsupport.Frames;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The viewer's web server without Kafka: what it serves, what it refuses, what it streams. */
class ViewServerTest {

    private static final String HOSTILE = "<script>alert(1)</script>\"&'";

    private final AtomicLong nanos = new AtomicLong();
    private final TileBoard board = new TileBoard(nanos::get);
    private final HttpClient http = HttpClient.newHttpClient();
    private ViewServer server;

    @BeforeEach
    void start() {
        server =
                ViewServer.start(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        board,
                        Map::<String, CameraSummary>of,
                        "masks + frames");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldServeThePageAndItsAssetsWithAPolicyThatAllowsOnlyThem() throws Exception {
        HttpResponse<String> page = get("/");

        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<script src=\"viewer.js\" defer></script>"));
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"), csp);
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals(200, get("/viewer.js").statusCode());
        assertEquals(200, get("/viewer.css").statusCode());
        assertTrue(get("/viewer.js").body().contains("textContent"));
    }

    @Test
    void shouldServeNothingElse() throws Exception {
        for (String path :
                List.of(
                        "/index.html/",
                        "/io/canvasflow/clients/view/viewer.js",
                        "/viewer.js/../index.html",
                        "/%2e%2e/%2e%2e/etc/passwd",
                        "/static/",
                        "/viewer.JS",
                        "//viewer.js")) {
            assertEquals(404, get(path).statusCode(), path);
        }
    }

    @Test
    void shouldRefuseEveryMethodThatCouldChangeSomething() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            for (String path : List.of("/", "/events", "/status")) {
                HttpResponse<String> response =
                        http.send(
                                HttpRequest.newBuilder(uri(path))
                                        .method(method, HttpRequest.BodyPublishers.ofString("x"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertEquals(405, response.statusCode(), method + " " + path);
                assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElseThrow());
            }
        }
    }

    @Test
    void shouldRefuseAHostThatIsNotLoopbackWhileListeningOnLoopback() throws Exception {
        // A DNS-rebinding page arrives with its own host name, which may start with "127." or
        // hold a loopback address and still resolve anywhere.
        for (String host :
                List.of(
                        "evil.example:8090",
                        "127.attacker.example",
                        "127.0.0.1.nip.io:8090",
                        "127.0.0.1.evil.example",
                        "127.0.0.256",
                        "127.0.0",
                        "localhost.evil.example",
                        "[::1].evil.example",
                        "evil.example:8090#127.0.0.1")) {
            assertEquals("HTTP/1.1 403 Forbidden", statusLine(host), host);
        }
    }

    @Test
    void shouldAnswerLoopbackHostNames() throws Exception {
        for (String host :
                List.of(
                        "127.0.0.1:" + server.port(),
                        "127.0.0.1",
                        "127.1.2.255:8090",
                        "localhost:8090",
                        "LocalHost",
                        "viewer.localhost:8090",
                        "[::1]:8090")) {
            assertEquals("HTTP/1.1 200 OK", statusLine(host), host);
        }
    }

    /** The status line of GET /status sent with this Host header. */
    private String statusLine(String host) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.getOutputStream()
                    .write(
                            ("GET /status HTTP/1.1\r\nHost: "
                                            + host
                                            + "\r\nConnection: close\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(
                            new InputStreamReader(
                                    socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    @Test
    void shouldStreamTheNewestTileOfEachCameraWithItsTextEscaped() throws Exception {
        // Given three masks of one camera, of which only the newest should be sent
        for (long sequence = 1; sequence <= 3; sequence++) {
            board.onJoined(new JoinedMask(mask(HOSTILE, sequence), frame(HOSTILE, sequence)));
        }

        // When a browser connects
        List<String> events = new ArrayList<>();
        HttpResponse<Stream<String>> response =
                http.send(
                        HttpRequest.newBuilder(uri("/events")).build(),
                        HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            lines.filter(line -> line.startsWith("data: ")).limit(2).forEach(events::add);
        }

        // Then it gets the newest tile, its JSON free of markup characters, and the statistics
        assertEquals(
                "text/event-stream; charset=utf-8",
                response.headers().firstValue("Content-Type").orElseThrow());
        String tile = events.get(0);
        assertTrue(tile.contains("\"sequence\":3"), tile);
        assertTrue(
                tile.contains(
                        "\"camera\":\"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\\"\\u0026\\u0027\""),
                tile);
        assertFalse(tile.contains("<") || tile.contains(">"), tile);
        assertTrue(tile.contains("\"frame\":\"data:image/jpeg;base64,"), tile);
        assertTrue(tile.contains("\"mask\":\"data:image/png;base64,"), tile);
        assertTrue(
                events.get(1)
                        .contains(
                                "\"legends\":{\"v1\":[{\"name\":\"road\",\"color\":\"#ff0000\"},{\"name\":\"sky\",\"color\":\"#0000ff\"}]}"),
                events.get(1));
    }

    @Test
    void shouldSendASlowBrowserTheNewestTileAndNoQueue() throws Exception {
        // Given a browser that reads its stream's first event and then stops reading
        board.onJoined(new JoinedMask(mask("a", 0), bigFrame("a", 0)));
        try (Socket browser = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            browser.getOutputStream()
                    .write(
                            "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = browser.getInputStream();
            byte[] buffer = new byte[1 << 16];
            long read = in.read(buffer);

            // When 2,000 frames of 100 kB (200 MB) arrive meanwhile
            int last = 2_000;
            for (int sequence = 1; sequence <= last; sequence++) {
                board.onJoined(new JoinedMask(mask("a", sequence), bigFrame("a", sequence)));
            }
            Thread.sleep(500);

            // Then, reading again, it catches up with the newest tile after a few megabytes (what
            // the sockets had buffered), and the stream says what it skipped
            String tail = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!tail.contains("\"sequence\":" + last + ",") && System.nanoTime() < deadline) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                read += n;
                tail = (tail + new String(buffer, 0, n, StandardCharsets.US_ASCII));
                tail = tail.substring(Math.max(0, tail.length() - 400_000));
            }
            assertTrue(
                    tail.contains("\"sequence\":" + last + ","),
                    "no tile " + last + " after " + read + " bytes");
            System.out.printf("a slow browser read %,d bytes for 200 MB of frames%n", read);
            assertTrue(read < 20_000_000, read + " bytes read for 200 MB of frames");
            String status = get("/status").body();
            assertTrue(status.matches(".*\"framesSkipped\":[1-9][0-9]+.*"), status);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldTellABrowserToRemoveAForgottenCameraAndNotSendItToANewOne() throws Exception {
        // Given a browser that was sent the tiles of cameras a and b
        board.onJoined(new JoinedMask(mask("a", 1), frame("a", 1)));
        board.onJoined(new JoinedMask(mask("b", 1), frame("b", 1)));
        try (Stream<String> open = events().body()) {
            Iterator<String> lines = open.iterator();
            assertEquals(List.of("tile a", "tile b"), nextEvents(lines, "stats"));

            // When a sends nothing for five minutes and a moment, while b goes on
            nanos.set(Duration.ofMinutes(4).toNanos());
            board.onJoined(new JoinedMask(mask("b", 2), frame("b", 2)));
            nanos.set(Duration.ofMinutes(5).toNanos() + 1);

            // Then the open stream says a is gone, and a new one sends b's tile alone
            List<String> later = new ArrayList<>();
            for (int stats = 0; stats < 10 && !later.contains("gone a"); stats++) {
                later.addAll(nextEvents(lines, "stats")); // within 5 s of stats events
            }
            assertEquals(List.of("tile b", "gone a"), later);
        }
        try (Stream<String> fresh = events().body()) {
            assertEquals(List.of("tile b"), nextEvents(fresh.iterator(), "stats"));
        }
    }

    private HttpResponse<Stream<String>> events() throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri("/events")).build(),
                HttpResponse.BodyHandlers.ofLines());
    }

    /** The events up to the next of a kind, each as "kind camera" ("stats" alone), with it. */
    private static List<String> nextEvents(Iterator<String> lines, String until) {
        List<String> events = new ArrayList<>();
        String kind = null;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("event: ")) {
                kind = line.substring("event: ".length());
            } else if (line.startsWith("data: ") && kind.equals(until)) {
                return events;
            } else if (line.startsWith("data: ")) {
                String camera =
                        TileBoard.GSON
                                .fromJson(line.substring("data: ".length()), JsonObject.class)
                                .get("camera")
                                .getAsString();
                events.add(kind + " " + camera);
            }
        }
        return events;
    }

    @Test
    void shouldAnswerStatusWhileStreamsAreOpen() throws Exception {
        board.onJoined(new JoinedMask(mask("a", 7), null));

        HttpResponse<String> status = get("/status");

        assertEquals(200, status.statusCode());
        assertTrue(status.body().contains("\"joined\":1,\"withoutFrame\":1"), status.body());
    }

    @Test
    void shouldSayThePortIsTakenInOneSentence() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ViewBindException e =
                    assertThrows(
                            ViewBindException.class,
                            () ->
                                    ViewServer.start(
                                            new InetSocketAddress(
                                                    InetAddress.getLoopbackAddress(),
                                                    taken.getLocalPort()),
                                            board,
                                            Map::of,
                                            "x"));
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "could not listen on 127.0.0.1:" + taken.getLocalPort() + ": "),
                    e.getMessage());
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    static MaskEvent mask(String camera, long sequence) {
        byte[] indices = new byte[8 * 4];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = (byte) (i % 8 < 4 ? 0 : 1);
        }
        byte[] png = ImageCodecs.indexedLabelPng(indices, 8, 4, new int[] {0xFF0000, 0x0000FF});
        return MaskEvent.newBuilder(TestMasks.mask(camera, sequence, 8, 4, png))
                .setModelVersion("v1")
                .build();
    }

    /** A frame of 100 kB; the viewer passes the bytes through without decoding them. */
    private static Frame bigFrame(String camera, long sequence) {
        return frame(camera, sequence, new byte[100_000]);
    }

    static Frame frame(String camera, long sequence) {
        BufferedImage image = new BufferedImage(8, 4, BufferedImage.TYPE_3BYTE_BGR);
        return frame(camera, sequence, ImageCodecs.jpeg(image, 0.9f));
    }

    private static Frame frame(String camera, long sequence, byte[] jpeg) {
        return Frames.frame(
                camera, sequence, Instant.ofEpochMilli(1_000), 8, 4, ImageEncoding.JPEG, jpeg);
    }
}
