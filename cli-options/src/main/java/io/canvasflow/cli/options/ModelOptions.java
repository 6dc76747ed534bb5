package io.canvasflow.cli.options;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model DIR}: the model directory a command loads. */
public final class ModelOptions {

    @Option(
            names = "--model",
            paramLabel = "DIR",
            description =
                    "Model directory (default: the setting model.dir, the shipped models/rnn).")
    private Path model;

    /**
     * The flag's value.
     *
     * @return the model directory, or null for the command's default
     */
    public Path model() {
        return model;
    }
}
