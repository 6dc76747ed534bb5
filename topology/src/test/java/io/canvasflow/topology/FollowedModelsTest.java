package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.canvasflow.model.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FollowedModelsTest {

    private static final Path DIR = Path.of("models/vtest");

    @Test
    void shouldSayWhatToDoWhenTheDefaultAssignmentOverrulesTheNamedModel() {
        // Given a named model that the topic's default assignment overrules: unpublished, then
        // published
        String unpublished =
                FollowedModels.defaultWins(DIR, "v-cam", false, "v-default", "model-assignments")
                        .orElseThrow();
        String published =
                FollowedModels.defaultWins(DIR, "v-cam", true, "v-default", "model-assignments")
                        .orElseThrow();

        // Then the sentence names both versions, and asks to publish only what is not published
        assertTrue(
                unpublished.startsWith(
                        "model.dir models/vtest serves no camera: topic model-assignments assigns"
                                + " v-default as the default"),
                unpublished);
        assertTrue(unpublished.contains("canvasflow models publish DIR"), unpublished);
        assertTrue(
                published.contains(
                        "assign its version v-cam, published already (canvasflow models assign"
                                + " --camera ID --model v-cam)"),
                published);
        assertTrue(!published.contains("models publish"), published);
    }

    @Test
    void shouldSayNothingWhenTheDefaultIsTheNamedModel() {
        assertEquals(
                Optional.empty(),
                FollowedModels.defaultWins(DIR, "v-cam", true, "v-cam", "model-assignments"));
    }

    @Test
    void shouldSayWhereTheDefaultModelDirIsLookedForAndThatModelDirSetsAnother() {
        // Given the default model.dir where no CanvasFlow home is named (a program run without
        // the launcher: the tests), and no models from Kafka
        CanvasFlowConfig config = CanvasFlowConfig.fromMap(Map.of("models.follow", "false"));
        assumeTrue(
                config.modelDir().equals(Path.of("models", "rnn"))
                        && !Files.exists(config.modelDir()),
                "a CanvasFlow home or a models/rnn here gives the default a model");

        // When its model is loaded
        ModelLoadException e =
                assertThrows(ModelLoadException.class, () -> FollowedModels.loadFallback(config));

        // Then the sentence says that it is the default, where it is looked for, and what to set
        assertEquals(
                "no model.json in models/rnn: expected a CanvasFlow model directory; models/rnn is"
                        + " model.dir's default, looked for under the CanvasFlow home (the system"
                        + " property canvasflow.home or CANVASFLOW_HOME, which the ./canvasflow"
                        + " launcher sets), else under the working directory: set model.dir to a"
                        + " model's directory; or publish a model and assign it to every camera"
                        + " with `canvasflow models assign --default --model VERSION`",
                e.getMessage());
    }
}
