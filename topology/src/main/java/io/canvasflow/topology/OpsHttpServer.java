package io.canvasflow.topology;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} (Prometheus text format), {@code GET /health} (JSON: status, the Kafka
 * Streams state and, when down, why; 200 when {@link Health} says UP, else 503), {@code GET
 * /health/live} (the same for {@link Health#liveness}: what a restart may mend, for liveness
 * probes) and {@code GET /cameras} (JSON: the partitions this instance owns and the cameras it
 * segments there) on the JDK's HTTP server.
 */
final class OpsHttpServer implements AutoCloseable {

    /**
     * Gson, the JSON library DJL brings; nulls written out, {@code <} and {@code =} as they are.
     */
    private static final Gson JSON =
            new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private final HttpServer server;

    /**
     * Why this process cannot listen on {@code port}, checked before serve starts anything, or null
     * when it can (always for 0, any free port). Another process may still take the port before
     * serve listens; the constructor then says the same.
     */
    static String portProblem(int port) {
        if (port == 0) {
            return null;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(port));
            return null;
        } catch (IOException e) {
            return portProblem(port, e);
        }
    }

    private static String portProblem(int port, IOException e) {
        return "cannot listen for /metrics and /health on port "
                + port
                + " ("
                + CanvasFlowConfig.HTTP_PORT
                + ", --http-port): "
                + e.getMessage()
                + "; choose another port, or 0 for any free one";
    }

    OpsHttpServer(
            int port,
            Supplier<String> metrics,
            Supplier<Health.Status> health,
            Supplier<Health.Status> liveness,
            Supplier<String> cameras) {
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new IllegalStateException(portProblem(port, e), e);
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
        server.setExecutor(
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "canvasflow-http");
                            t.setDaemon(true);
                            return t;
                        }));
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
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
