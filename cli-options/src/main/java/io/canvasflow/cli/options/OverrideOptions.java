package io.canvasflow.cli.options;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code -D KEY=VALUE}: settings and Kafka properties for the topology a benchmark runs. */
public final class OverrideOptions {

    @Option(
            names = "-D",
            paramLabel = "KEY=VALUE",
            description = "Any setting or Kafka property for the topology it runs.")
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
