package io.canvasflow.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParameterShapesTest {

    private static final Path MODELS = Path.of("..", "models");

    @TempDir Path dir;

    @Test
    void shouldRefuseAnArchitectureWiderThanItsParameterFileBeforeAllocatingIt()
            throws IOException {
        // Given the shipped recurrent model, its model.json asking for 4096 channels in the last
        // stage (a 4096x4096x3x3 convolution, 604 MB) and its parameter file and digest untouched
        Path model = copyOfShipped("rnn", "wide");
        JsonObject json =
                JsonParser.parseString(Files.readString(model.resolve("model.json")))
                        .getAsJsonObject();
        JsonArray stages = new JsonArray();
        List.of(32, 64, 4096).forEach(stages::add);
        json.getAsJsonObject("architecture").add("stageChannels", stages);
        Files.writeString(model.resolve("model.json"), json.toString());

        // When it is loaded
        ModelLoadException e =
                assertThrows(ModelLoadException.class, () -> SegmentationModel.load(model));

        // Then it is refused for its size, which is known before any value is allocated (the
        // parameters' shapes are compared only once they were read into such values)
        assertEquals(
                "the architecture in "
                        + model.resolve("model.json")
                        + " describes a RECURRENT network whose parameters take 623836224 bytes"
                        + " as float32, more than the 1570438 bytes of parameter file "
                        + model.resolve("parameters.bin")
                        + ": the architecture is not that of these parameters",
                e.getMessage());
    }

    @Test
    void shouldSetTheShapesOfTheWidestNetworkWithoutAllocatingItsValues() {
        // Given the widest network an architecture allows: 1.2 TB of float32 values
        int c = Architecture.MAX_CHANNELS;
        Architecture widest =
                new Architecture(c, new int[] {c, c, c}, 1, 8, new int[] {c, c}, c, 4f);
        SegmentationNet net = SegmentationNet.create(ModelType.RECURRENT, widest, 3);

        // When its parameter shapes are set
        try (NDManager manager = NDManager.newBaseManager();
                ParameterShapes shapes =
                        new ParameterShapes(net, manager, new Shape(1, 3, 192, 256))) {

            // Then they are the network's, counted without allocating them: the stem (c x 3 x 3
            // x 3), three stages (two strided with a 1x1 projection: 19c^2 each, one dilated:
            // 18c^2), batch norms (4c each, 9 of them), the ConvLSTMs (4c x (2c + 3), 4c x 2c, 12
            // x (c + 3), and their biases)
            long values =
                    27L * c
                            + 2 * (19L * c * c)
                            + 18L * c * c
                            + 9 * 4L * c
                            + 4L * c * (2L * c + 3)
                            + 4L * c
                            + 4L * c * 2 * c
                            + 4L * c
                            + 12L * (c + 3)
                            + 12;
            assertEquals(
                    List.of(new Shape(c, c, 3, 3), 4 * values),
                    List.of(
                            shapes.byName().get("01backbone_05stage2_0_03conv2_weight"),
                            shapes.float32Bytes()));
        }
    }

    @Test
    void shouldLoadTheShippedModelsToTheLogitsOfTheirRandomlyInitialisedNetworks()
            throws Exception {
        for (String name : new String[] {"rnn", "ff"}) {
            // Given a shipped model, loaded, and its parameters read into a network that was first
            // initialised with random weights, as loads did before
            Path model = MODELS.resolve(name);
            ModelSpec spec = SegmentationModel.readSpec(model);
            try (SegmentationModel loaded = SegmentationModel.load(model);
                    SegmentationModel initialised =
                            SegmentationModel.initialize(spec, DeviceChoice.CPU);
                    InputStream in =
                            Files.newInputStream(
                                    model.resolve(SegmentationModel.PARAMETERS_FILE))) {
                initialised.net().loadParameters(initialised.manager(), new DataInputStream(in));

                // When each segments the same frame
                float[] expected = logits(initialised);

                // Then their logits are the same, bit for bit
                assertArrayEquals(expected, logits(loaded), 0f, name);
            }
        }
    }

    @Test
    void shouldRefuseAParameterFileThatHoldsNoValuesForAParameter() throws IOException {
        // Given a tiny model saved with its first parameter empty (DJL writes a marker for it,
        // and its load leaves the parameter as it was)
        String first;
        try (SegmentationModel model = TestModels.tinyRecurrent(96, 64)) {
            ai.djl.util.Pair<String, ai.djl.nn.Parameter> parameter =
                    model.net().getParameters().get(0);
            first = parameter.getKey();
            parameter.getValue().close();
            model.save(dir);
        }

        // When it is loaded
        ModelLoadException e =
                assertThrows(ModelLoadException.class, () -> SegmentationModel.load(dir));

        // Then it is refused, not run with the shape-only placeholder in that parameter's place
        assertEquals(
                "parameter file "
                        + dir.resolve(SegmentationModel.PARAMETERS_FILE)
                        + " does not fit the RECURRENT network that model.json describes: it holds"
                        + " no values for "
                        + first,
                e.getMessage());
    }

    @Test
    void shouldRefuseAnArchitectureBeyondItsLimitsWhenModelJsonIsRead() throws IOException {
        // Given the shipped recurrent model.json with a stage too wide, too many blocks a stage,
        // and too many stages
        JsonObject json =
                JsonParser.parseString(
                                Files.readString(MODELS.resolve("rnn").resolve("model.json")))
                        .getAsJsonObject();
        JsonObject arch = json.getAsJsonObject("architecture");
        JsonArray shipped = arch.getAsJsonArray("stageChannels").deepCopy();
        JsonArray wide = new JsonArray();
        List.of(32, 64, Architecture.MAX_CHANNELS + 1).forEach(wide::add);
        arch.add("stageChannels", wide);
        String tooWide = json.toString();
        JsonArray many = new JsonArray();
        for (int s = 0; s <= Architecture.MAX_STAGES; s++) {
            many.add(8);
        }
        arch.add("stageChannels", many);
        String tooManyStages = json.toString();
        arch.add("stageChannels", shipped);
        arch.addProperty("blocksPerStage", 1_000_000);
        String tooDeep = json.toString();

        // When each is read
        List<String> said =
                List.of(tooWide, tooManyStages, tooDeep).stream()
                        .map(
                                text ->
                                        assertThrows(
                                                        ModelLoadException.class,
                                                        () ->
                                                                SegmentationModel.parseSpec(
                                                                        text, "m/model.json"))
                                                .getMessage())
                        .toList();

        // Then each is refused in one sentence naming the file and the field
        assertEquals(
                List.of(
                        "m/model.json describes an invalid network: stageChannels [32, 64, 65537]"
                                + " must give 1 to 65536 channels a layer, got 65537",
                        "m/model.json describes an invalid network: stageChannels gives 17"
                                + " stages, more than the 16 a network may have",
                        "m/model.json describes an invalid network: blocksPerStage must be 1 to"
                                + " 64, got 1000000"),
                said);
    }

    private static float[] logits(SegmentationModel model) {
        try (Segmenter segmenter = model.newSegmenter()) {
            return segmenter
                    .segment(
                            SegmentRequest.builder()
                                    .setImage(TestModels.image(256, 192, 11))
                                    .build())
                    .canvas()
                    .logits();
        }
    }

    private Path copyOfShipped(String name, String as) throws IOException {
        Path copy = dir.resolve(as);
        Files.createDirectories(copy);
        for (String file : new String[] {"model.json", SegmentationModel.PARAMETERS_FILE}) {
            Files.copy(MODELS.resolve(name).resolve(file), copy.resolve(file));
        }
        return copy;
    }
}
