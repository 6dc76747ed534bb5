package io.canvasflow.cli.options;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --config FILE} and {@code -D KEY=VALUE}: the settings file and single overrides. */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file of settings.")
    private Path configFile;

    @Mixin private OverrideOptions overrideOptions = new OverrideOptions();

    /**
     * The settings file.
     *
     * @return its path, or null when none was given
     */
    public Path configFile() {
        return configFile;
    }

    /**
     * The {@code -D} settings, in the order given.
     *
     * @return a copy the caller may add to
     */
    public Map<String, String> overrides() {
        return overrideOptions.overrides();
    }
}
