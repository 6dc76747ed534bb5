package io.canvasflow.topology;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.canvasflow.cli.options.HttpRequestLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} (Prometheus text format), {@code GET /health} (JSON: status, the Kafka
 * Streams state and, when down, why; 200 when {@link Health} says UP, else 503), {@code GET
 * /health/live} (the same for {@link Health#liveness}: what a restart may mend, for liveness
 * probes) and {@code GET /cameras} (JSON: the partitions this instance owns and the cameras it
 * segments there) on the JDK's HTTP server, at {@value CanvasFlowConfig#HTTP_HOST} (every interface
 * by default) and {@value CanvasFlowConfig#HTTP_PORT}, without authentication.
 *
 * <p>Probes and scrapers must still be answered while other clients misbehave: a client that starts
 * a request and never finishes it held the one thread this server had, and so stopped every probe
 * (Kubernetes' liveness probe would restart the pod) for as long as it kept its connection open. So
 * requests are read under {@link HttpRequestLimits}, as view's are: {@value
 * HttpRequestLimits#REQUEST_THREADS} threads, and a connection closed when its request is not read
 * within {@value HttpRequestLimits#REQUEST_SECONDS} s.
 */
final class OpsHttpServer implements AutoCloseable {

    /**
     * Gson, the JSON library DJL brings; nulls written out, {@code <} and {@code =} as they are.
     */
    private static final Gson JSON =
            new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    /**
     * The default of {@value CanvasFlowConfig#HTTP_HOST}: every interface. It and {@code ::} bind
     * the JVM's wildcard address, which takes IPv4 and IPv6 alike (a literal 0.0.0.0 would take
     * IPv4 only).
     */
    static final String EVERY_INTERFACE = "0.0.0.0";

    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * Why this process cannot listen on {@code host} and {@code port}, checked before serve or
     * {@link CanvasFlowApp#start} starts anything, or null when it can (always for port 0, any free
     * port, on every interface). Another process may still take the port before the server listens;
     * the constructor then says the same.
     */
    static String listenProblem(String host, int port) {
        InetSocketAddress address = address(host, port);
        if (address.isUnresolved()) {
            return hostProblem(host, "no such address");
        }
        if (port == 0 && address.getAddress().isAnyLocalAddress()) {
            return null;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(address);
            return null;
        } catch (IOException e) {
            return listenProblem(host, port, e);
        }
    }

    /** Where the server listens: the wildcard address for every interface, else {@code host}. */
    private static InetSocketAddress address(String host, int port) {
        String trimmed = host.trim();
        return trimmed.equals(EVERY_INTERFACE) || trimmed.equals("::")
                ? new InetSocketAddress(port)
                : new InetSocketAddress(trimmed, port);
    }

    /** Why {@code host} cannot be listened on, naming http.host and what to give instead. */
    private static String hostProblem(String host, String why) {
        return "cannot listen for /metrics and /health on "
                + host.trim()
                + " ("
                + CanvasFlowConfig.HTTP_HOST
                + "): "
                + why
                + "; give an address of this host, 127.0.0.1 for this host only or "
                + EVERY_INTERFACE
                + " for every interface";
    }

    private static String listenProblem(String host, int port, IOException e) {
        InetAddress bound = address(host, port).getAddress();
        if (!isOfThisHost(bound)) {
            // the port is not the matter, though the JVM's "Cannot assign requested address" led
            // to advice about it
            return hostProblem(host, "it is no address of this host");
        }
        boolean everywhere = bound.isAnyLocalAddress();
        return "cannot listen for /metrics and /health on "
                + (everywhere ? "" : host.trim() + " ")
                + "port "
                + port
                + " ("
                + (everywhere ? "" : CanvasFlowConfig.HTTP_HOST + ", ")
                + CanvasFlowConfig.HTTP_PORT
                + ", --http-port): "
                + e.getMessage()
                + "; choose another port, or 0 for any free one"
                + (everywhere ? "" : ", or an " + CanvasFlowConfig.HTTP_HOST + " of this host");
    }

    /**
     * Whether an address is one of this host's interfaces'. Asked only once a bind failed: a host
     * that may bind addresses it does not have (Linux's ip_nonlocal_bind) is not refused them.
     */
    private static boolean isOfThisHost(InetAddress address) {
        try {
            return address.isAnyLocalAddress()
                    || address.isLoopbackAddress()
                    || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return true; // unknown: the port's sentence, which says the JVM's reason
        }
    }

    OpsHttpServer(
            String host,
            int port,
            Supplier<String> metrics,
            Supplier<Health.Status> health,
            Supplier<Health.Status> liveness,
            Supplier<String> cameras) {
        InetSocketAddress address = address(host, port);
        if (address.isUnresolved()) {
            throw new IllegalStateException(listenProblem(host, port));
        }
        try {
            server = HttpRequestLimits.create(address);
        } catch (IOException e) {
            throw new IllegalStateException(listenProblem(host, port, e), e);
        }
        server.createContext(
                "/metrics",
                exchange ->
                        reply(
                                exchange,
                                200,
                                "text/plain; version=0.0.4; charset=utf-8",
                                metrics.get()));
        server.createContext("/health", exchange -> reply(exchange, health.get()));
        server.createContext("/health/live", exchange -> reply(exchange, liveness.get()));
        server.createContext(
                "/cameras", exchange -> reply(exchange, 200, "application/json", cameras.get()));
        executor = HttpRequestLimits.requestThreads("canvasflow-http");
        server.setExecutor(executor);
        server.start();
    }

    /** An object as JSON. */
    static String json(Object value) {
        return JSON.toJson(value);
    }

    /** The port it listens on. */
    int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange exchange, Health.Status h) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", h.up() ? "UP" : "DOWN");
        body.put("state", String.valueOf(h.state()));
        if (!h.reason().isEmpty()) {
            body.put("reason", h.reason());
        }
        reply(exchange, h.up() ? 200 : 503, "application/json", json(body));
    }

    private static void reply(HttpExchange exchange, int status, String type, String body)
            throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
