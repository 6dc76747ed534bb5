package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

/** What a configuration says of the environment variables it refuses. */
final class EnvironmentRefusals {

    private EnvironmentRefusals() {}

    /** The refusal of a configuration built with these environment variables; it must refuse. */
    static String refusal(Map<String, String> environment) {
        return assertThrows(
                        IllegalArgumentException.class,
                        () -> CanvasFlowConfig.builder().optEnvironment(environment).build())
                .getMessage();
    }

    /** The sentence that refuses a variable whose name reads as a setting there is not. */
    static String namesNoSetting(String variable, String setting) {
        return "environment variable "
                + variable
                + " names no setting ("
                + setting
                + "); correct or unset it (`canvasflow serve --print-settings` lists the settings)";
    }
}
