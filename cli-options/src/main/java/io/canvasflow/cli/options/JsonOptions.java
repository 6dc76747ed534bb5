package io.canvasflow.cli.options;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --json FILE}: where a command that prints its figures also writes them as JSON. */
public final class JsonOptions {

    @Option(
            names = "--json",
            paramLabel = "FILE",
            converter = FileConverters.OutputFile.class,
            description = "Also write the JSON here.")
    private Path json;

    /**
     * The file the JSON goes to.
     *
     * @return its path, or null when none was given
     */
    public Path json() {
        return json;
    }
}
