package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
}
