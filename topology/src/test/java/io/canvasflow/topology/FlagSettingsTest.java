package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagSettingsTest {

    @Test
    void shouldTakeAFlagAndADashDThatNameOneFolderInTwoSpellings() {
        // Given -D model.dir written absolute, or with ./ and a trailing slash
        String absolute = Path.of("models/rnn").toAbsolutePath().toString();

        // When --model names the same folder another way
        Map<String, String> fromAbsolute =
                new FlagSettings(Map.of(CanvasFlowConfig.MODEL_DIR, absolute))
                        .put("--model models/rnn", CanvasFlowConfig.MODEL_DIR, "models/rnn")
                        .settings();
        Map<String, String> fromDotted =
                new FlagSettings(Map.of(CanvasFlowConfig.MODEL_DIR, "models/rnn/"))
                        .put("--model ./models/rnn", CanvasFlowConfig.MODEL_DIR, "./models/rnn")
                        .settings();

        // Then both pass, the flag's spelling kept
        assertEquals(
                java.util.List.of(
                        Map.of(CanvasFlowConfig.MODEL_DIR, "models/rnn"),
                        Map.of(CanvasFlowConfig.MODEL_DIR, "./models/rnn")),
                java.util.List.of(fromAbsolute, fromDotted));
    }

    @Test
    void shouldRefuseAFlagAndADashDThatNameTwoFolders() {
        // Given -D model.dir naming the shipped feed-forward model
        FlagSettings settings = new FlagSettings(Map.of(CanvasFlowConfig.MODEL_DIR, "models/ff"));

        // When --model names the recurrent one
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                settings.put(
                                        "--model models/rnn",
                                        CanvasFlowConfig.MODEL_DIR,
                                        "models/rnn"));

        // Then both are named in one sentence
        assertEquals(
                "--model models/rnn and -D model.dir=models/ff disagree; give one", e.getMessage());
    }
}
