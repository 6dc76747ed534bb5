package io.canvasflow.model;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small models and images for tests, also of the modules that run a model (test-jar). */
public final class TestModels {

    private TestModels() {}

    /** An unsaved spec of three classes (sky, road, person) for a {@code width x height} input. */
    public static ModelSpec spec(ModelType type, Architecture arch, int width, int height) {
        return new ModelSpec(
                ModelSpec.FORMAT_VERSION,
                "test-" + type.name().toLowerCase(java.util.Locale.ROOT),
                "unsaved",
                new ModelSpec.Network(type, arch),
                List.of(
                        new ModelSpec.ClassInfo("sky", "#87ceeb"),
                        new ModelSpec.ClassInfo("road", "#505050"),
                        new ModelSpec.ClassInfo("person", "#dc143c")),
                new ModelSpec.InputSpec(
                        width,
                        height,
                        new float[] {0.5f, 0.5f, 0.5f},
                        new float[] {0.25f, 0.25f, 0.25f}),
                new ModelSpec.Training(
                        type == ModelType.RECURRENT ? 6 : 0,
                        "random weights for tests",
                        Map.of(),
                        "2026-01-01T00:00:00Z"),
                null);
    }

    /** The same spec, its model.json saying it was trained for this many iterations (0: unsaid). */
    public static ModelSpec trainedFor(ModelSpec spec, int iterationsTrained) {
        return new ModelSpec(
                spec.formatVersion(),
                spec.modelId(),
                spec.version(),
                spec.network(),
                spec.classes(),
                spec.input(),
                new ModelSpec.Training(
                        iterationsTrained,
                        spec.training().data(),
                        spec.training().metrics(),
                        spec.training().createdAt()),
                spec.parameters());
    }

    /**
     * A randomly initialised tiny recurrent model on the CPU, for a {@code width x height} input.
     */
    static SegmentationModel tinyRecurrent(int width, int height) {
        return SegmentationModel.initialize(
                spec(ModelType.RECURRENT, Architecture.tiny(), width, height), DeviceChoice.CPU);
    }

    static BufferedImage image(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int base = y < height / 2 ? 0x6080c0 : 0x505050;
                img.setRGB(x, y, base ^ random.nextInt(0x20));
            }
        }
        return img;
    }
}
