package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
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
    void shouldReportHealthyOnlyWhileRunningOrRebalancing() throws Exception {
        AtomicReference<KafkaStreams.State> state =
                new AtomicReference<>(KafkaStreams.State.CREATED);
        try (OpsHttpServer server = new OpsHttpServer(0, () -> "canvasflow_up 1\n", state::get)) {
            int port = server.port();

            List<Object> created = get(port, "/health");
            state.set(KafkaStreams.State.REBALANCING);
            List<Object> rebalancing = get(port, "/health");
            state.set(KafkaStreams.State.RUNNING);
            List<Object> running = get(port, "/health");
            state.set(KafkaStreams.State.ERROR);
            List<Object> failed = get(port, "/health");

            assertEquals(List.of(503, "{\"status\":\"DOWN\",\"state\":\"CREATED\"}"), created);
            assertEquals(
                    List.of(200, "{\"status\":\"UP\",\"state\":\"REBALANCING\"}"), rebalancing);
            assertEquals(List.of(200, "{\"status\":\"UP\",\"state\":\"RUNNING\"}"), running);
            assertEquals(List.of(503, "{\"status\":\"DOWN\",\"state\":\"ERROR\"}"), failed);
            assertEquals(List.of(200, "canvasflow_up 1\n"), get(port, "/metrics"));
        }
    }
}
