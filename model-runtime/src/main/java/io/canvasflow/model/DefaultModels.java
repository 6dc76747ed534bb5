package io.canvasflow.model;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the shipped default models live: {@code models/rnn} and {@code models/ff} under the
 * CanvasFlow home (system property {@code canvasflow.home}, set by the launcher, or environment
 * variable {@code CANVASFLOW_HOME}), else under the working directory.
 */
public final class DefaultModels {

    /** The recurrent model's folder name. */
    public static final String RNN = "rnn";

    /** The feed-forward baseline's folder name. */
    public static final String FEED_FORWARD = "ff";

    private DefaultModels() {}

    /** The directory of a shipped model, e.g. {@code dir(RNN)}. */
    public static Path dir(String name) {
        String home = System.getProperty("canvasflow.home", System.getenv("CANVASFLOW_HOME"));
        if (home != null && !home.isBlank()) {
            Path candidate = Path.of(home, "models", name);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return Path.of("models", name);
    }
}
