package io.canvasflow.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmenterDefaultsTest {

    @TempDir Path dir;

    @Test
    void shouldRunTheModelsTrainedIterationsFromZeroAndTheSeededDefaultFromASeed()
            throws IOException {
        // Given a saved recurrent model whose model.json says it was trained for 3 iterations
        try (SegmentationModel fresh =
                SegmentationModel.initialize(
                        TestModels.trainedFor(
                                TestModels.spec(ModelType.RECURRENT, Architecture.tiny(), 64, 48),
                                3),
                        DeviceChoice.CPU)) {
            fresh.save(dir);
        }
        try (SegmentationModel model = SegmentationModel.load(dir);
                Segmenter segmenter = model.newSegmenter()) {

            // When a frame is segmented without optIterations, then the next from its canvas
            SegmentationResult zero =
                    segmenter.segment(
                            SegmentRequest.builder().setImage(TestModels.image(64, 48, 1)).build());
            SegmentationResult seeded =
                    segmenter.segment(
                            SegmentRequest.builder()
                                    .setImage(TestModels.image(64, 48, 2))
                                    .optSeed(zero.canvas())
                                    .build());

            // Then the first ran the model's 3, as serve would, and the seeded one serve's 2
            assertEquals(
                    List.of(3, false, 3, RecurrentSegmentationNet.DEFAULT_SEEDED_ITERATIONS, true),
                    List.of(
                            model.spec().defaultFullIterations(),
                            zero.seeded(),
                            zero.iterations(),
                            seeded.iterations(),
                            seeded.seeded()));
        }
    }

    @Test
    void shouldRefuseAClassMapWhoseLogitsOutgrowOneBufferBeforeRunningTheNetwork() {
        // Given a tiny recurrent model of nine classes
        List<ModelSpec.ClassInfo> classes =
                java.util.stream.IntStream.range(0, 9)
                        .mapToObj(i -> new ModelSpec.ClassInfo("c" + i, "#000000"))
                        .toList();
        ModelSpec three = TestModels.spec(ModelType.RECURRENT, Architecture.tiny(), 64, 48);
        ModelSpec nine =
                new ModelSpec(
                        three.formatVersion(),
                        three.modelId(),
                        three.version(),
                        three.network(),
                        classes,
                        three.input(),
                        new ModelSpec.Training(6, "none", Map.of(), "2026-01-01T00:00:00Z"),
                        null);
        try (SegmentationModel model = SegmentationModel.initialize(nine, DeviceChoice.CPU);
                Segmenter segmenter = model.newSegmenter()) {
            SegmentRequest request =
                    SegmentRequest.builder()
                            .setImage(TestModels.image(64, 48, 1))
                            .optOutputSize(8192, 8192)
                            .build();

            // When it is asked for an 8192x8192 class map: 9 x 67,108,864 floats of logits
            IllegalArgumentException refused =
                    assertThrows(IllegalArgumentException.class, () -> segmenter.segment(request));

            // Then it says so in one sentence naming the builder method
            assertEquals(
                    "a 8192x8192 class map of this 9-class model needs 2415919104 bytes of logits,"
                            + " more than the 2147483647 one buffer holds; give a smaller"
                            + " optOutputSize",
                    refused.getMessage());
        }
    }
}
