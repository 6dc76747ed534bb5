package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.registry.ModelFollower;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class OpsHttpServerTest {

    private final HttpClient client = HttpClient.newHttpClient();

    private List<Object> get(int port, String path) throws Exception {
        HttpResponse<String> response =
                client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return List.of(response.statusCode(), response.body());
    }

    @Test
    void shouldReportHealthyOnlyWhileRunningOrBrieflyRebalancingAndSayWhyNot() throws Exception {
        AtomicReference<KafkaStreams.State> state =
                new AtomicReference<>(KafkaStreams.State.CREATED);
        AtomicLong clock = new AtomicLong(1_000_000);
        Health health = new Health(clock::get, 60_000);
        AtomicReference<Optional<String>> modelsStopped = new AtomicReference<>(Optional.empty());
        AtomicReference<Optional<ModelFollower.Failing>> failing =
                new AtomicReference<>(Optional.empty());
        try (OpsHttpServer server =
                new OpsHttpServer(
                        OpsHttpServer.EVERY_INTERFACE,
                        0,
                        () -> "canvasflow_up 1\n",
                        () -> health.status(state.get(), modelsStopped.get(), failing.get()),
                        () -> health.liveness(state.get(), modelsStopped.get()),
                        () -> "{\"cameras\":[]}")) {
            int port = server.port();

            List<Object> created = get(port, "/health");
            state.set(KafkaStreams.State.REBALANCING);
            health.onState(KafkaStreams.State.REBALANCING);
            List<Object> rebalancing = get(port, "/health");
            clock.addAndGet(61_000);
            List<Object> stuck = get(port, "/health");
            state.set(KafkaStreams.State.RUNNING);
            health.onState(KafkaStreams.State.RUNNING);
            List<Object> running = get(port, "/health");
            health.onThreadFailure(new IllegalStateException("topic \"frames\" deleted"));
            List<Object> threadFailed = get(port, "/health");
            clock.addAndGet(Health.FAILURE_MEMORY_MS);
            List<Object> recovered = get(port, "/health");
            modelsStopped.set(Optional.of("the model follower stopped on OutOfMemoryError"));
            List<Object> notFollowing = get(port, "/health");
            List<Object> notFollowingLive = get(port, "/health/live");
            modelsStopped.set(Optional.empty());
            failing.set(Optional.of(new ModelFollower.Failing(clock.get() - 61_000, "revoked")));
            List<Object> notReading = get(port, "/health");
            List<Object> notReadingLive = get(port, "/health/live");
            failing.set(Optional.empty());
            state.set(KafkaStreams.State.ERROR);
            List<Object> failed = get(port, "/health");

            assertEquals(
                    List.of(
                            503,
                            "{\"status\":\"DOWN\",\"state\":\"CREATED\",\"reason\":\"Kafka"
                                    + " Streams is CREATED\"}"),
                    created);
            assertEquals(
                    List.of(200, "{\"status\":\"UP\",\"state\":\"REBALANCING\"}"), rebalancing);
            assertEquals(
                    List.of(
                            503,
                            "{\"status\":\"DOWN\",\"state\":\"REBALANCING\",\"reason\":\"rebalancing"
                                    + " for 61 s\"}"),
                    stuck);
            assertEquals(List.of(200, "{\"status\":\"UP\",\"state\":\"RUNNING\"}"), running);
            assertEquals(
                    List.of(
                            503,
                            "{\"status\":\"DOWN\",\"state\":\"RUNNING\",\"reason\":\"a stream"
                                    + " thread failed 0 s ago: IllegalStateException: topic"
                                    + " \\\"frames\\\" deleted\"}"),
                    threadFailed);
            assertEquals(List.of(200, "{\"status\":\"UP\",\"state\":\"RUNNING\"}"), recovered);
            assertEquals(
                    List.of(
                            503,
                            "{\"status\":\"DOWN\",\"state\":\"RUNNING\",\"reason\":\"the model"
                                    + " follower stopped on OutOfMemoryError\"}"),
                    notFollowing);
            assertEquals(notFollowing, notFollowingLive);
            // a follower that cannot read: not ready, but alive (a restart would not mend it)
            assertEquals(
                    List.of(
                            503,
                            "{\"status\":\"DOWN\",\"state\":\"RUNNING\",\"reason\":\"the model"
                                    + " follower has failed to read the registry for 61 s"
                                    + " (revoked), so this instance sees no new model or"
                                    + " assignment\"}"),
                    notReading);
            assertEquals(List.of(200, "{\"status\":\"UP\",\"state\":\"RUNNING\"}"), notReadingLive);
            assertEquals(503, failed.get(0));
            assertEquals(List.of(200, "canvasflow_up 1\n"), get(port, "/metrics"));
            assertEquals(List.of(200, "{\"cameras\":[]}"), get(port, "/cameras"));
        }
    }

    @Test
    void shouldAnswerProbesWhileAClientHoldsAHalfSentRequestAndCloseItAfterTheLimit()
            throws Exception {
        // Given the server, and a client that sent half a request and keeps its connection open
        // (the request time limit is the JDK server's, read once per JVM: this module's tests run
        // with 2 s, see the pom, so as not to wait the 10 s serve has)
        long limitMs = 1_000 * Long.getLong("sun.net.httpserver.maxReqTime");
        try (OpsHttpServer server =
                        new OpsHttpServer(
                                "127.0.0.1",
                                0,
                                () -> "canvasflow_up 1\n",
                                () -> new Health.Status(true, KafkaStreams.State.RUNNING, ""),
                                () -> new Health.Status(true, KafkaStreams.State.RUNNING, ""),
                                () -> "{}");
                Socket halfSent = new Socket("127.0.0.1", server.port())) {
            OutputStream out = halfSent.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long sent = System.nanoTime();
            Thread.sleep(200); // the server takes it up, and waits for the rest on a thread

            // When probes and a scrape come while it is held, each given a second
            List<List<Object>> answers = new ArrayList<>();
            for (String path : List.of("/health/live", "/health", "/metrics")) {
                answers.add(get(server.port(), path, Duration.ofSeconds(1)));
            }
            // and the client goes on waiting
            String heard = readToEnd(halfSent, limitMs + 5_000);
            long heldMs = (System.nanoTime() - sent) / 1_000_000;

            // Then each is answered at once, and the half-sent request's connection is closed,
            // with nothing said, once the limit has passed (the JDK checks it once a second)
            assertEquals(
                    List.of(
                            List.of(200, "{\"status\":\"UP\",\"state\":\"RUNNING\"}"),
                            List.of(200, "{\"status\":\"UP\",\"state\":\"RUNNING\"}"),
                            List.of(200, "canvasflow_up 1\n"),
                            ""),
                    List.of(answers.get(0), answers.get(1), answers.get(2), heard));
            assertTrue(
                    heldMs >= limitMs - 100 && heldMs <= limitMs + 2_500,
                    "closed after " + heldMs + " ms, the limit being " + limitMs + " ms");
        }
    }

    private List<Object> get(int port, String path, Duration timeout) throws Exception {
        HttpResponse<String> response =
                client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .timeout(timeout)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return List.of(response.statusCode(), response.body());
    }

    /** What {@code socket} receives until the server closes it, waiting at most {@code ms}. */
    private static String readToEnd(Socket socket, long ms) throws IOException {
        socket.setSoTimeout((int) ms);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream heard = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                heard.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            // a reset ends the connection as well as an end of stream does
        }
        return heard.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void shouldSayAPortInUseBeforeServeStartsAnything() throws Exception {
        // Given a port something else listens on
        try (ServerSocket taken = new ServerSocket(0)) {
            String problem =
                    OpsHttpServer.listenProblem(
                            OpsHttpServer.EVERY_INTERFACE, taken.getLocalPort());

            // Then serve says so in one sentence naming the setting and what to do
            assertTrue(
                    problem.startsWith(
                                    "cannot listen for /metrics and /health on port "
                                            + taken.getLocalPort()
                                            + " (http.port, --http-port): ")
                            && problem.endsWith("; choose another port, or 0 for any free one"),
                    problem);
        }
        assertNull(OpsHttpServer.listenProblem(OpsHttpServer.EVERY_INTERFACE, 0));
    }

    @Test
    void shouldListenOnTheAddressHttpHostNamesOnly() throws Exception {
        // Given the server on http.host=127.0.0.1, as a program that embeds CanvasFlow may want
        try (OpsHttpServer server =
                new OpsHttpServer(
                        "127.0.0.1",
                        0,
                        () -> "canvasflow_up 1\n",
                        () -> null,
                        () -> null,
                        () -> "{}")) {
            // Then it listens there, and a port taken on that address is said with the address
            assertEquals(List.of(200, "canvasflow_up 1\n"), get(server.port(), "/metrics"));
            String problem = OpsHttpServer.listenProblem("127.0.0.1", server.port());
            assertTrue(
                    problem.startsWith(
                                    "cannot listen for /metrics and /health on 127.0.0.1 port "
                                            + server.port()
                                            + " (http.host, http.port, --http-port): ")
                            && problem.endsWith(
                                    "; choose another port, or 0 for any free one, or an"
                                            + " http.host of this host"),
                    problem);
        }
    }

    @Test
    void shouldSayAnHttpHostThatNamesNoAddress() {
        // When http.host names no address
        String problem = OpsHttpServer.listenProblem("no-such-host.invalid", 0);

        // Then the sentence names the setting and what to give instead
        assertEquals(
                "cannot listen for /metrics and /health on no-such-host.invalid (http.host): no"
                        + " such address; give an address of this host, 127.0.0.1 for this host"
                        + " only or 0.0.0.0 for every interface",
                problem);
    }

    @Test
    void shouldSayAnHttpHostThatIsNoAddressOfThisHostBeforeThePort() {
        // Given an http.host that is an address, but of no interface here (TEST-NET-1, RFC 5737)
        // When serve checks it
        String problem = OpsHttpServer.listenProblem("192.0.2.1", 0);

        // Then the sentence names http.host and what to give instead, and advises no other port
        assertEquals(
                "cannot listen for /metrics and /health on 192.0.2.1 (http.host): it is no address"
                        + " of this host; give an address of this host, 127.0.0.1 for this host"
                        + " only or 0.0.0.0 for every interface",
                problem);
    }
}
