package io.canvasflow.clients.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.clients.CameraSummary;
import io.canvasflow.testsupport.ChildJvm;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that start a request and never finish it, against a viewer in a JVM of its own (the JDK
 * server reads its request time limit once, when its classes load, so it must be this server's JVM
 * that loads them first).
 */
class HalfSentRequestsTest {

    /** Several times as many half-sent requests as the server has threads, streams' included. */
    private static final int HALF_SENT = 48;

    /** How long the test keeps them open: four times the server's time limit for a request. */
    private static final Duration HELD = Duration.ofSeconds(40);

    @TempDir Path dir;

    @Test
    void shouldAnswerStatusWhileClientsHoldHalfSentRequestsAndKeepStreaming() throws Exception {
        // Given a viewer, a browser streaming from it, and many connections that each sent half a
        // request and stopped
        Path log = dir.resolve("viewer.log");
        Process viewer = ChildJvm.start(List.of("-Xmx128m"), Viewer.class, List.of(), log);
        List<Socket> halfSent = new ArrayList<>();
        try {
            URI url = URI.create(awaitUrl(viewer, log));
            Socket stream = new Socket(url.getHost(), url.getPort());
            halfSent.add(stream);
            stream.getOutputStream()
                    .write(
                            ("GET /events HTTP/1.1\r\nHost: " + url.getAuthority() + "\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < HALF_SENT; i++) {
                Socket socket = new Socket(url.getHost(), url.getPort());
                OutputStream out = socket.getOutputStream();
                out.write("GET /status HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                halfSent.add(socket);
            }
            Thread.sleep(1_000);

            // When a browser asks for the status while they are still held open
            HttpResponse<String> status =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(url.resolve("/status"))
                                            .timeout(HELD)
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());

            // Then it is answered before the test gives the half-sent requests up
            assertEquals(200, status.statusCode(), status.body());
            // and the stream, older than the time limit for a request, still sends statistics
            String fresh = freshText(stream);
            assertTrue(fresh.contains("event: stats"), fresh);
        } finally {
            for (Socket socket : halfSent) {
                socket.close();
            }
            viewer.destroy();
            viewer.waitFor(30, TimeUnit.SECONDS);
            viewer.destroyForcibly();
        }
    }

    /** What the stream sends after what it had sent so far, or "" if it ended. */
    private static String freshText(Socket stream) throws Exception {
        InputStream in = stream.getInputStream();
        in.skip(in.available());
        stream.setSoTimeout(5_000);
        byte[] buffer = new byte[8192];
        int read = in.read(buffer);
        return read < 0 ? "" : new String(buffer, 0, read, StandardCharsets.UTF_8);
    }

    private static String awaitUrl(Process viewer, Path log) throws Exception {
        Pattern line = Pattern.compile("viewer at (http://\\S+/)");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            Matcher m = line.matcher(text);
            if (m.find()) {
                return m.group(1);
            }
            if (!viewer.isAlive()) {
                throw new AssertionError(
                        "the viewer exited with " + viewer.exitValue() + ":\n" + text);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the viewer printed no URL:\n" + Files.readString(log));
    }

    /** The viewer's web server alone, with no tiles, until the test's JVM goes. */
    public static final class Viewer {
        private Viewer() {}

        public static void main(String[] args) throws Exception {
            ChildJvm.haltWhenParentGoes();
            ViewServer server =
                    ViewServer.start(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                            new TileBoard(),
                            Map::<String, CameraSummary>of,
                            "half-sent test");
            System.out.println("viewer at " + server.url());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
