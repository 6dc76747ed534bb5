package io.canvasflow.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeProcessTest {

    @Test
    void shouldGiveServeNoVariableItWouldReadAsASetting(@TempDir Path dir) {
        // Given a user's environment that sets serve's canvas gap and model following (which the
        // benchmark sets by -D), its stream threads (which it does not), a Kafka property, a
        // misspelt setting and the cluster; and variables that are no settings of serve
        Map<String, String> user =
                Map.of(
                        "PATH", "/usr/bin",
                        "CANVASFLOW_CANVAS_MAX_GAP_MS", "5000",
                        "CANVASFLOW_MODELS_FOLLOW", "true",
                        "CANVASFLOW_NUM_STREAM_THREADS", "4",
                        "CANVASFLOW_KAFKA_SECURITY_PROTOCOL", "SSL",
                        "CANVASFLOW_CANVAS_MAXGAP_MS", "1",
                        "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                        "CANVASFLOW_HEAP", "2g",
                        "CANVASFLOW_METRICS_SERVICE_PORT", "8080");

        // When the benchmark makes serve's process
        ProcessBuilder serve =
                ServeProcess.builder(List.of("java"), user, dir.resolve("serve.log"));

        // Then serve gets only what changes no setting of its: its settings are the -D it is given
        assertEquals(
                Map.of(
                        "PATH", "/usr/bin",
                        "CANVASFLOW_HEAP", "2g",
                        "CANVASFLOW_METRICS_SERVICE_PORT", "8080"),
                serve.environment());
    }
}
