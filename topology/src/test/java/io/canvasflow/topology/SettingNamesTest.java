package io.canvasflow.topology;

import static io.canvasflow.topology.EnvironmentRefusals.namesNoSetting;
import static io.canvasflow.topology.EnvironmentRefusals.refusal;
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
        Map<String, String> values =
                Map.of(
                        "CANVASFLOW_METRICS_SERVICE_HOST", "10.0.0.2",
                        "CANVASFLOW_METRICS_PORT_8080_TCP_ADDR", "10.0.0.2");
        variables.forEach(
                v ->
                        read.put(
                                v,
                                SettingNames.isReadFromEnvironment(
                                        v, values.getOrDefault(v, "1"))));
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

    @Test
    void shouldPassOverWhatKubernetesSetsForAServiceNamedCanvasflow() {
        // Given what kubelet gives every pod for a ClusterIP Service canvasflow with port http
        // 8080, beside a setting's variable (which has the shape of a Service's too)
        Map<String, String> env = new TreeMap<>();
        env.put("CANVASFLOW_SERVICE_HOST", "10.0.0.1");
        env.put("CANVASFLOW_SERVICE_PORT", "8080");
        env.put("CANVASFLOW_SERVICE_PORT_HTTP", "8080");
        env.put("CANVASFLOW_PORT", "tcp://10.0.0.1:8080");
        env.put("CANVASFLOW_PORT_8080_TCP", "tcp://10.0.0.1:8080");
        env.put("CANVASFLOW_PORT_8080_TCP_PROTO", "tcp");
        env.put("CANVASFLOW_PORT_8080_TCP_PORT", "8080");
        env.put("CANVASFLOW_PORT_8080_TCP_ADDR", "10.0.0.1");
        env.put("CANVASFLOW_HTTP_PORT", "9090");

        // When a configuration is built with them
        CanvasFlowConfig config = CanvasFlowConfig.builder().optEnvironment(env).build();

        // Then the setting is read, and the Service's variables are passed over
        assertEquals(9090, config.httpPort());
        Map<String, Boolean> read = new TreeMap<>();
        env.forEach((v, value) -> read.put(v, SettingNames.isReadFromEnvironment(v, value)));
        Map<String, Boolean> expected = new TreeMap<>();
        env.keySet().forEach(v -> expected.put(v, v.equals("CANVASFLOW_HTTP_PORT")));
        assertEquals(expected, read);
    }

    @Test
    void shouldReadTheVariablesThatKubernetesDoesNotSetThoughTheyLookLikeItsOwn() {
        // Given names near a Service's variables that no Service gives
        List<String> variables =
                List.of(
                        "CANVASFLOW_X",
                        "CANVASFLOW_SERVICE",
                        "CANVASFLOW_SERVICE_HOSTS",
                        "CANVASFLOW_METRICS_SERVICE_PORTS",
                        "CANVASFLOW_PORT_8080",
                        "CANVASFLOW_PORT_HTTP",
                        "CANVASFLOW_PORT_8080_TCP_HOST");

        // Then each is read, so that the configuration refuses it as naming no setting
        Map<String, Boolean> read = new TreeMap<>();
        variables.forEach(v -> read.put(v, SettingNames.isReadFromEnvironment(v, "10.0.0.1")));
        Map<String, Boolean> expected = new TreeMap<>();
        variables.forEach(v -> expected.put(v, true));
        assertEquals(expected, read);
        assertEquals(
                namesNoSetting("CANVASFLOW_PORT_8080", "port.8080"),
                refusal(Map.of("CANVASFLOW_PORT_8080", "8080")));
    }

    @Test
    void shouldReadAServiceLinksNameWhoseValueNoServiceGives() {
        // Given a misspelt http.port, which has the name of a Service htp's CANVASFLOW_HTP_PORT,
        // and a port variable whose value is not kubelet's tcp://ADDRESS:PORT
        Map<String, String> env = Map.of("CANVASFLOW_HTP_PORT", "9090");

        // When a configuration is built with it
        String refusal = refusal(env);

        // Then it is refused as naming no setting, while the same name with a Service's value,
        // and each other shape with a value of its kind, are passed over
        assertEquals(namesNoSetting("CANVASFLOW_HTP_PORT", "htp.port"), refusal);
        assertEquals(
                List.of(false, false, false, true, true, true),
                List.of(
                        SettingNames.isReadFromEnvironment(
                                "CANVASFLOW_HTP_PORT", "tcp://10.0.0.1:9090"),
                        SettingNames.isReadFromEnvironment(
                                "CANVASFLOW_PORT_53_UDP", "udp://[fd00::1]:53"),
                        SettingNames.isReadFromEnvironment("CANVASFLOW_SERVICE_PORT_HTTP", "80"),
                        SettingNames.isReadFromEnvironment("CANVASFLOW_SERVICE_HOST", "db.local"),
                        SettingNames.isReadFromEnvironment("CANVASFLOW_SERVICE_PORT", "http"),
                        SettingNames.isReadFromEnvironment(
                                "CANVASFLOW_PORT_8080_TCP_PROTO", "http")));
    }

    @Test
    void shouldPassOverTheVariablesOfServicesNamedLikeASettingOrAKafkaProperty() {
        // Given what kubelet gives for Services named canvasflow-http and canvasflow-kafka,
        // whose variables have the names of http.port and of Kafka properties, beside the
        // setting itself
        Map<String, String> env =
                Map.of(
                        "CANVASFLOW_HTTP_PORT", "tcp://10.0.0.7:8080",
                        "CANVASFLOW_HTTP_SERVICE_PORT", "8080",
                        "CANVASFLOW_KAFKA_PORT", "tcp://10.0.0.9:9092",
                        "CANVASFLOW_KAFKA_PORT_9092_TCP_ADDR", "10.0.0.9",
                        "CANVASFLOW_KAFKA_SERVICE_HOST", "10.0.0.9");

        // When a configuration is built with them
        CanvasFlowConfig config = CanvasFlowConfig.builder().optEnvironment(env).build();

        // Then none is read (serve started: http.port has its default), and a value of the
        // setting's own kind is still the setting
        assertEquals(CanvasFlowConfig.defaults().httpPort(), config.httpPort());
        assertEquals(
                List.of(false, true),
                List.of(
                        SettingNames.isReadFromEnvironment(
                                "CANVASFLOW_HTTP_PORT", "tcp://10.0.0.7:8080"),
                        SettingNames.isReadFromEnvironment("CANVASFLOW_HTTP_PORT", "9090")));
    }
}
