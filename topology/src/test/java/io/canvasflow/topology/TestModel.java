package io.canvasflow.topology;

import io.canvasflow.model.Architecture;
import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.ModelType;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.model.TestModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model the tests run: the trained default model when the directory named by the system
 * property {@value #PROPERTY} exists (surefire sets it to {@code models/rnn} of the checkout), else
 * a tiny randomly initialised recurrent model with a 64x48 input, generated once per JVM.
 */
final class TestModel {

    static final String PROPERTY = "canvasflow.test.model";

    private static Path dir;
    private static ModelSource source;

    private TestModel() {}

    /** The model directory. */
    static synchronized Path dir() {
        if (dir == null) {
            String configured = System.getProperty(PROPERTY);
            if (configured != null
                    && Files.isRegularFile(Path.of(configured, ModelSpec.FILE_NAME))) {
                dir = Path.of(configured);
            } else {
                dir = generateTiny();
            }
        }
        return dir;
    }

    /** One loaded model for the whole test JVM; never closed (the JVM exit frees it). */
    static synchronized ModelSource source() {
        if (source == null) {
            source = ModelSource.load(dir(), DeviceChoice.CPU);
        }
        return source;
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the OS cleans it up eventually
        }
    }

    private static Path generateTiny() {
        ModelSpec spec = TestModels.spec(ModelType.RECURRENT, Architecture.tiny(), 64, 48);
        try {
            Path out = Files.createTempDirectory("canvasflow-test-model-");
            try (SegmentationModel model = SegmentationModel.initialize(spec, DeviceChoice.CPU)) {
                model.save(out);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(out)));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
