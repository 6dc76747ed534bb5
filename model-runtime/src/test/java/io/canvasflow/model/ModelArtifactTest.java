package io.canvasflow.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelArtifactTest {

    @TempDir Path dir;

    private SegmentationResult segment(SegmentationModel model, Canvas seed) {
        try (Segmenter segmenter = model.newSegmenter()) {
            return segmenter.segment(
                    SegmentRequest.builder()
                            .setImage(TestModels.image(96, 64, 7))
                            .optSeed(seed)
                            .optIterations(4)
                            .build());
        }
    }

    @Test
    void shouldReloadBitIdenticalLogits() throws IOException {
        for (ModelType type : ModelType.values()) {
            Path modelDir = dir.resolve(type.name());
            float[] before;
            ModelSpec written;
            try (SegmentationModel model =
                    SegmentationModel.initialize(
                            TestModels.spec(type, Architecture.tiny(), 96, 64), DeviceChoice.CPU)) {
                written = model.save(modelDir);
                before = segment(model, null).canvas().logits();
            }
            try (SegmentationModel loaded = SegmentationModel.load(modelDir)) {
                assertEquals(written.version(), loaded.spec().version());
                assertEquals(written.parameters(), loaded.spec().parameters());
                assertArrayEquals(before, segment(loaded, null).canvas().logits(), 0f);
            }
        }
    }

    @Test
    void shouldReadAndWriteTheShippedModelJsonUnchanged() throws IOException {
        for (String model : new String[] {"rnn", "ff"}) {
            // Given a model.json as the trainer wrote it
            Path json = Path.of("..", "models", model, ModelSpec.FILE_NAME);
            JsonObject shipped = JsonParser.parseString(Files.readString(json)).getAsJsonObject();

            // When it is read and written again
            ModelSpec spec =
                    SegmentationModel.GSON.fromJson(Files.readString(json), ModelSpec.class);
            JsonObject written =
                    JsonParser.parseString(SegmentationModel.GSON.toJson(spec)).getAsJsonObject();

            // Then the same flat object comes back, its fields in the same order
            assertEquals(
                    model.equals("rnn") ? ModelType.RECURRENT : ModelType.FEED_FORWARD,
                    spec.network().type());
            assertEquals(shipped, written, json.toString());
            assertEquals(List.copyOf(shipped.keySet()), List.copyOf(written.keySet()));
        }
    }

    @Test
    void shouldDefaultTheFullIterationsToThoseTrainedElseTheNetworksDefault() throws IOException {
        // Given the shipped recurrent model.json, once with iterationsTrained 4 and once without
        JsonObject json =
                JsonParser.parseString(
                                Files.readString(
                                        Path.of("..", "models", "rnn", ModelSpec.FILE_NAME)))
                        .getAsJsonObject();
        json.addProperty("iterationsTrained", 4);
        String trainedFor4 = json.toString();
        json.remove("iterationsTrained");
        String withoutIt = json.toString();

        // When each is parsed
        ModelSpec four = SegmentationModel.parseSpec(trainedFor4, "four/model.json");
        ModelSpec unknown = SegmentationModel.parseSpec(withoutIt, "unknown/model.json");

        // Then the default full iterations are those trained, else the recurrent network's own
        assertEquals(
                List.of(4, RecurrentSegmentationNet.DEFAULT_ITERATIONS),
                List.of(four.defaultFullIterations(), unknown.defaultFullIterations()));
    }

    @Test
    void shouldDefaultAFeedForwardModelToOnePass() throws IOException {
        // Given the shipped feed-forward model.json, which records 0 trained iterations
        ModelSpec ff =
                SegmentationModel.parseSpec(
                        Files.readString(Path.of("..", "models", "ff", ModelSpec.FILE_NAME)),
                        "ff/model.json");

        // When its default full iterations are asked for
        int full = ff.defaultFullIterations();

        // Then they are its one pass, not the recurrent network's default
        assertEquals(List.of(0, 1), List.of(ff.training().iterationsTrained(), full));
    }

    @Test
    void shouldRefuseMissingTruncatedAndMismatchedFiles() throws IOException {
        try (SegmentationModel model = TestModels.tinyRecurrent(96, 64)) {
            model.save(dir);
        }
        Path params = dir.resolve(SegmentationModel.PARAMETERS_FILE);
        byte[] good = Files.readAllBytes(params);

        ModelLoadException missing =
                assertThrows(
                        ModelLoadException.class,
                        () -> SegmentationModel.load(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("no model.json"), missing.getMessage());

        Files.write(params, java.util.Arrays.copyOf(good, good.length / 2));
        ModelLoadException truncated =
                assertThrows(ModelLoadException.class, () -> SegmentationModel.load(dir));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());

        byte[] flipped = good.clone();
        flipped[flipped.length - 3] ^= 0x55;
        Files.write(params, flipped);
        ModelLoadException corrupt =
                assertThrows(ModelLoadException.class, () -> SegmentationModel.load(dir));
        assertTrue(corrupt.getMessage().contains("SHA-256"), corrupt.getMessage());
        // and the check before any work, without the engine, says the same
        ModelLoadException early =
                assertThrows(ModelLoadException.class, () -> SegmentationModel.checkFiles(dir));
        assertEquals(corrupt.getMessage(), early.getMessage());

        Files.write(params, good);
        String json = Files.readString(dir.resolve("model.json"));
        Files.writeString(
                dir.resolve("model.json"), json.replace("\"RECURRENT\"", "\"FEED_FORWARD\""));
        ModelLoadException mismatched =
                assertThrows(ModelLoadException.class, () -> SegmentationModel.load(dir));
        assertTrue(mismatched.getMessage().contains("does not fit"), mismatched.getMessage());

        Files.writeString(dir.resolve("model.json"), "{ not json");
        ModelLoadException garbled =
                assertThrows(ModelLoadException.class, () -> SegmentationModel.load(dir));
        assertTrue(garbled.getMessage().contains("not valid JSON"), garbled.getMessage());
    }

    @Test
    void shouldRefuseSeedOfOtherShapeOrVersion() {
        try (SegmentationModel model = TestModels.tinyRecurrent(96, 64);
                Segmenter segmenter = model.newSegmenter()) {
            Canvas good = segment(model, null).canvas();
            assertTrue(segment(model, good).seeded());

            Canvas wrongShape = Canvas.zeros(3, 4, 4, good.modelVersion());
            IncompatibleCanvasException shape =
                    assertThrows(
                            IncompatibleCanvasException.class, () -> segment(model, wrongShape));
            assertTrue(shape.getMessage().contains("3x8x12"), shape.getMessage());

            Canvas otherVersion = new Canvas(3, 8, 12, good.logits(), "some-other-model");
            assertThrows(IncompatibleCanvasException.class, () -> segment(model, otherVersion));
        }
    }
}
