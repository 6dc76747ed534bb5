package io.canvasflow.cli.options;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code -D KEY=VALUE}: settings and Kafka properties of the topology that serve, replay or a
 * benchmark runs ({@link ConfigOptions} adds {@code --config FILE} to it).
 */
public final class OverrideOptions {

    @Option(
            names = "-D",
            paramLabel = "KEY=VALUE",
            description =
                    "Any setting or Kafka property of the topology, e.g. -D"
                            + " canvas.keyframe.interval=30.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    /**
     * The {@code -D} settings, in the order given.
     *
     * @return a copy the caller may add to
     */
    public Map<String, String> overrides() {
        return new LinkedHashMap<>(overrides);
    }
}
