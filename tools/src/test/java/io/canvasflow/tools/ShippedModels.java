package io.canvasflow.tools;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's shipped models, found from the working directory (the module, under Maven). */
public final class ShippedModels {

    private ShippedModels() {}

    /** {@code models/rnn}. */
    public static Path rnn() {
        return find("rnn");
    }

    /** {@code models/ff}. */
    public static Path feedForward() {
        return find("ff");
    }

    private static Path find(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("models").resolve(name);
            if (Files.isRegularFile(candidate.resolve("model.json"))) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "no models/" + name + "/model.json above " + Path.of("").toAbsolutePath());
    }
}
