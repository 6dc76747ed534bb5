package io.canvasflow.topology;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@code GET /metrics} (Prometheus text format) and {@code GET /health} (JSON with the Kafka
 * Streams state; 200 while RUNNING or REBALANCING, else 503) on the JDK's HTTP server.
 */
final class OpsHttpServer implements AutoCloseable {

    private final HttpServer server;

    OpsHttpServer(int port, Supplier<String> metrics, Supplier<KafkaStreams.State> state) {
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot listen for /metrics and /health on port " + port, e);
        }
        server.createContext(
                "/metrics",
                exchange ->
                        reply(
                                exchange,
                                200,
                                "text/plain; version=0.0.4; charset=utf-8",
                                metrics.get()));
        server.createContext(
                "/health",
                exchange -> {
                    KafkaStreams.State s = state.get();
                    boolean up =
                            s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING;
                    String body =
                            "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"state\":\"" + s + "\"}";
                    reply(exchange, up ? 200 : 503, "application/json", body);
                });
        server.setExecutor(
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "canvasflow-http");
                            t.setDaemon(true);
                            return t;
                        }));
        server.start();
    }

    /** The port it listens on. */
    int port() {
        return server.getAddress().getPort();
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
