package io.canvasflow.trainer.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the real files of Debian's {@code labelme-examples} package in the directory named by
 * {@code -Dcanvasflow.labelme.dir} or {@code CANVASFLOW_LABELME_DIR} ({@code .ci/run} fetches and
 * unpacks it). Tests never download it themselves: without it they skip and say so.
 */
public final class LabelmeExamples {

    /** The skip message. */
    public static final String HOW_TO =
            "labelme-examples is not available: set -Dcanvasflow.labelme.dir or"
                    + " CANVASFLOW_LABELME_DIR to an unpacked labelme-examples package"
                    + " (.ci/run fetches it)";

    private LabelmeExamples() {}

    /** {@code examples/<example>/data_dataset_voc} inside the package, if it is here. */
    public static Optional<Path> vocDataset(String example) {
        String given = System.getProperty("canvasflow.labelme.dir");
        if (given == null || given.isBlank()) {
            given = System.getenv("CANVASFLOW_LABELME_DIR");
        }
        if (given == null || given.isBlank() || !Files.isDirectory(Path.of(given))) {
            return Optional.empty();
        }
        String suffix = "examples/" + example + "/data_dataset_voc";
        try (Stream<Path> walk = Files.walk(Path.of(given))) {
            return walk.filter(p -> p.toString().endsWith(suffix) && Files.isDirectory(p))
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
