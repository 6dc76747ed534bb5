package io.canvasflow.trainer;

import io.canvasflow.trainer.data.ClassMapping;
import io.canvasflow.trainer.data.DatasetException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --class-map FILE}: how labelled data's classes become a model's, for train and evaluate.
 */
public final class ClassMapOptions {

    @Option(
            names = "--class-map",
            paramLabel = "FILE",
            description =
                    "Labelled data only: file of 'source = target' lines mapping the data's classes"
                            + " to the model's ('ignore' drops a class). Default: train learns the"
                            + " data's own classes; evaluate takes the map the model was trained"
                            + " with (model.json), else the model's classes of the same names.")
    private Path file;

    /**
     * The map file.
     *
     * @return its path, or null when none was given
     */
    public Path file() {
        return file;
    }

    /**
     * Refuses a path that is not a file, or a file whose lines are not {@code source = target},
     * before any data is read (whether its classes fit is known only with the data).
     *
     * @throws IllegalArgumentException "--class-map: no file at PATH", or the line that is wrong
     */
    void check() {
        if (file == null) {
            return;
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--class-map: no file at " + file);
        }
        try {
            ClassMapping.lines(file);
        } catch (DatasetException e) {
            throw new IllegalArgumentException("--class-map: " + e.getMessage(), e);
        }
    }
}
