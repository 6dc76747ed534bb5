package io.canvasflow.tools.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of the benchmarks that run the topology ({@code bench pipeline}, {@code bench soak}):
 * where their JSON goes, how long a run may go without a mask, and settings for the topology.
 */
final class TopologyRunOptions {

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the JSON here.")
    Path json;

    @Option(
            names = "--idle-timeout",
            defaultValue = "PT2M",
            description =
                    "Give a run up after this long without a mask (default ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(
            names = "-D",
            paramLabel = "KEY=VALUE",
            description = "Any setting or Kafka property for the topology runs.")
    Map<String, String> overrides = new LinkedHashMap<>();
}
