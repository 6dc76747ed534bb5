package io.canvasflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.model.DeviceChoice;
import org.junit.jupiter.api.Test;

class CanvasflowCliTest {

    @Test
    void shouldKeepDjlsTwiceRepeatedGpuWarningQuietForOurOneLine() {
        // Given the command line, as main builds it
        CanvasflowCli.commandLine();

        // Then DJL's GPU probe logs errors only (DeviceChoice says "runs on the CPU" once)
        assertEquals(
                "error",
                System.getProperty(
                        "org.slf4j.simpleLogger.log." + DeviceChoice.DJL_GPU_PROBE_LOGGER));
    }

    @Test
    void shouldKeepDjlsEngineStartLinesOffTheErrorStream() {
        // Given the command line, as main builds it
        CanvasflowCli.commandLine();

        // Then DJL logs warnings only: its four INFO lines at every engine start no longer stand
        // before a command's one-sentence error (evaluate with a bad --data had them)
        assertEquals("warn", System.getProperty("org.slf4j.simpleLogger.log.ai.djl"));
    }
}
