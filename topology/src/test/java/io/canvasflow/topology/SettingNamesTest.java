package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SettingNamesTest {

    @Test
    void shouldTellTheVariablesAConfigurationReadsFromThoseItPassesOver() {
        // Given settings' variables (one with a service link's shape), a Kafka property's, the
        // cluster's and a misspelt one, which the configuration refuses; and the launchers',
        // Kubernetes' and others
        List<String> variables =
                List.of(
                        "CANVASFLOW_CANVAS_MAX_GAP_MS",
                        "CANVASFLOW_HTTP_PORT",
                        "CANVASFLOW_KAFKA_SECURITY_PROTOCOL",
                        "KAFKA_BOOTSTRAP_SERVERS",
                        "CANVASFLOW_CANVAS_MAXGAP_MS",
                        "CANVASFLOW_HEAP",
                        "CANVASFLOW_HOME",
                        "CANVASFLOW_METRICS_SERVICE_HOST",
                        "CANVASFLOW_METRICS_PORT_8080_TCP_ADDR",
                        "PATH");

        // Then the first five are read, as the configuration reads them
        Map<String, Boolean> read = new TreeMap<>();
        variables.forEach(v -> read.put(v, SettingNames.isReadFromEnvironment(v)));
        Map<String, Boolean> expected = new TreeMap<>();
        for (int i = 0; i < variables.size(); i++) {
            expected.put(variables.get(i), i < 5);
        }
        assertEquals(expected, read);
    }

    @Test
    void shouldNameWhatAKeySetsWithoutTheKafkaPrefix() {
        assertEquals(
                List.of("state.dir", "session.timeout.ms", "canvas.max.gap.ms"),
                List.of(
                        SettingNames.unprefixed(" kafka.state.dir"),
                        SettingNames.unprefixed("kafka.session.timeout.ms"),
                        SettingNames.unprefixed("canvas.max.gap.ms ")));
    }
}
