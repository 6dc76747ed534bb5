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
import java.util.Map;
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
        JsonObject json = shippedRecurrentSpec();
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
    void shouldRefuseIterationsTrainedThatNoRequestMayRun() throws IOException {
        // Given the shipped recurrent model.json with iterationsTrained above the request limit,
        // and with a negative count
        JsonObject json = shippedRecurrentSpec();
        json.addProperty("iterationsTrained", SegmentRequest.MAX_ITERATIONS + 1);
        String tooMany = json.toString();
        json.addProperty("iterationsTrained", -1);
        String negative = json.toString();

        // When each is parsed
        ModelLoadException over =
                assertThrows(
                        ModelLoadException.class,
                        () -> SegmentationModel.parseSpec(tooMany, "over/model.json"));
        ModelLoadException under =
                assertThrows(
                        ModelLoadException.class,
                        () -> SegmentationModel.parseSpec(negative, "under/model.json"));

        // Then each is refused in one sentence naming the file and the field
        assertEquals(
                List.of(
                        "over/model.json gives iterationsTrained 1001: expected 1 to 1000, or 0"
                                + " for a feed-forward model",
                        "under/model.json gives iterationsTrained -1: expected 1 to 1000, or 0"
                                + " for a feed-forward model"),
                List.of(over.getMessage(), under.getMessage()));
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

    @Test
    void shouldLeaveTheEarlierModelLoadableWhenASaveFailsAfterItsParameters() throws IOException {
        // Given a folder holding a saved model
        ModelSpec earlier;
        try (SegmentationModel model = TestModels.tinyRecurrent(96, 64)) {
            earlier = model.save(dir);
        }
        byte[] parameters = Files.readAllBytes(dir.resolve(SegmentationModel.PARAMETERS_FILE));

        // When another model's save into it fails after its parameters are written: model.json
        // cannot hold a NaN metric
        RuntimeException failed;
        try (SegmentationModel other = TestModels.tinyRecurrent(96, 64)) {
            failed =
                    assertThrows(
                            RuntimeException.class,
                            () -> other.save(dir, Map.of("finalLoss", Double.NaN)));
        }

        // Then the earlier model is there, whole and loadable, with no staging files beside it
        // (its parameters were replaced, and model.json no longer matched them)
        assertArrayEquals(
                parameters, Files.readAllBytes(dir.resolve(SegmentationModel.PARAMETERS_FILE)));
        assertEquals(described(earlier), described(SegmentationModel.checkFiles(dir)));
        assertEquals(List.of(ModelSpec.FILE_NAME, SegmentationModel.PARAMETERS_FILE), names(dir));
        try (SegmentationModel loaded = SegmentationModel.load(dir)) {
            assertEquals(earlier.version(), loaded.spec().version());
        }
        // And the failure is the program's, not bad input, in one sentence without Gson's advice
        assertEquals(IllegalStateException.class, failed.getClass());
        assertEquals(
                "cannot write model.json of test-recurrent: NaN is not a valid double value as"
                        + " per JSON specification",
                failed.getMessage());
    }

    @Test
    void shouldLeaveNoFolderWhenTheSaveThatCreatesItFails() throws IOException {
        // Given a folder, and one inside it, that are not there yet
        Path folder = dir.resolve("new").resolve("model");

        // When a save into it fails
        try (SegmentationModel model = TestModels.tinyRecurrent(96, 64)) {
            assertThrows(
                    RuntimeException.class,
                    () -> model.save(folder, Map.of("finalLoss", Double.POSITIVE_INFINITY)));
        }

        // Then neither is left (it held a parameter file and no model.json)
        assertEquals(List.of(), names(dir));
    }

    @Test
    void shouldReplaceAModelWholeAndLeaveOtherFilesAlone() throws IOException {
        // Given a folder holding a model and a file of the user's
        try (SegmentationModel model = TestModels.tinyRecurrent(96, 64)) {
            model.save(dir);
        }
        Files.writeString(dir.resolve("notes.txt"), "mine");

        // When another model is saved there
        ModelSpec later;
        try (SegmentationModel other = TestModels.tinyRecurrent(96, 64)) {
            later = other.save(dir, Map.of("finalLoss", 0.5));
        }

        // Then the folder holds the new model, whole, and the user's file
        assertEquals(described(later), described(SegmentationModel.checkFiles(dir)));
        assertEquals(
                List.of(ModelSpec.FILE_NAME, "notes.txt", SegmentationModel.PARAMETERS_FILE),
                names(dir));
    }

    @Test
    void shouldRefuseASeedClampThatIsNotAPositiveFiniteNumber() {
        // Given clamps that passed the check "<= 0": NaN fails every comparison, and infinity
        // clamps nothing and cannot be written into model.json
        for (float clamp : new float[] {Float.NaN, Float.POSITIVE_INFINITY, 0f, -1f}) {
            // When an architecture is given it
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> Architecture.tiny().withSeedClamp(clamp));

            // Then it is refused, saying what was expected
            assertEquals(
                    "seedClamp must be a positive, finite number, got " + clamp, e.getMessage());
        }
    }

    /** What identifies a saved model: its version and parameter file (records hold arrays). */
    private static List<Object> described(ModelSpec spec) {
        return List.of(spec.modelId(), spec.version(), spec.parameters(), spec.metrics());
    }

    private static List<String> names(Path folder) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The shipped recurrent model's model.json, to edit a field of. */
    private static JsonObject shippedRecurrentSpec() throws IOException {
        return JsonParser.parseString(
                        Files.readString(Path.of("..", "models", "rnn", ModelSpec.FILE_NAME)))
                .getAsJsonObject();
    }
}
