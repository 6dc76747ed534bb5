package io.canvasflow.tools.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.canvasflow.topology.CanvasFlowConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplacedSettingsTest {

    @Test
    void shouldSayWhichModeSettingsAFileOrTheEnvironmentSetsThatTheRunsReplace(@TempDir Path dir)
            throws Exception {
        // Given serve's configuration file with a keyframe interval and threads, and a variable
        // with the seeded iterations
        Path file =
                Files.writeString(
                        dir.resolve("serve.properties"),
                        "canvas.keyframe.interval=30\nnum.stream.threads=2\n");
        CanvasFlowConfig config =
                CanvasFlowConfig.builder()
                        .optFile(file)
                        .optEnvironment(Map.of("CANVASFLOW_CANVAS_SEEDED_ITERATIONS", "3"))
                        .build();

        // Then the two mode settings are named with where they came from (they were overwritten
        // in silence); the threads, which the file may set for serve, are not
        assertEquals(
                "canvas.keyframe.interval (key in "
                        + file
                        + "), canvas.seeded.iterations (environment variable"
                        + " CANVASFLOW_CANVAS_SEEDED_ITERATIONS) are replaced in each run by its"
                        + " mode's own value; the runs measure the modes, not that setting",
                ReplacedSettings.byModes(config, ReplayMode.standard()));
        // and neither a -D (refused on its own) nor nothing is said
        assertNull(
                ReplacedSettings.byModes(
                        CanvasFlowConfig.fromMap(Map.of("canvas.keyframe.interval", "30")),
                        ReplayMode.standard()));
    }

    @Test
    void shouldNameTheVariablesServeWouldReadThatTheRunsAreNotGiven() {
        // Given an environment with two settings' variables, the cluster's, the launcher's heap and
        // a Kubernetes service link, and runs given only what is not a setting
        Map<String, String> environment =
                Map.of(
                        "PATH", "/usr/bin",
                        "CANVASFLOW_MODELS_FOLLOW", "true",
                        "CANVASFLOW_CANVAS_MAX_GAP_MS", "5000",
                        "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                        "CANVASFLOW_HEAP", "2g",
                        "CANVASFLOW_METRICS_SERVICE_HOST", "10.0.0.7");
        Map<String, String> runs =
                Map.of(
                        "PATH", "/usr/bin",
                        "CANVASFLOW_HEAP", "2g",
                        "CANVASFLOW_METRICS_SERVICE_HOST", "10.0.0.7");

        // Then the three the runs lack are named, sorted; the heap and the link change no run
        assertEquals(
                "CANVASFLOW_CANVAS_MAX_GAP_MS, CANVASFLOW_MODELS_FOLLOW, KAFKA_BOOTSTRAP_SERVERS are"
                        + " not passed on to the runs, which take only the benchmark's settings and"
                        + " -D; give a setting as -D to measure with it",
                ReplacedSettings.notPassedOn(environment, runs));
        // and runs given the whole environment leave nothing to say
        assertNull(ReplacedSettings.notPassedOn(environment, environment));
    }
}
