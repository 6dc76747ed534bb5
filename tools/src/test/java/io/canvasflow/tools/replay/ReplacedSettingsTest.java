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
}
