package io.canvasflow.topology;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command line's {@code -D} settings with its flags' values over them, as {@code serve}, {@code
 * replay} and the benchmarks hand them to a {@link CanvasFlowConfig}. A flag and a {@code -D} of
 * the same setting with two values are refused, naming both: whichever won, the user would not see
 * that the other was dropped. Equal values pass ({@code --threads 4 -D num.stream.threads=4}).
 */
public final class FlagSettings {

    private final Map<String, String> settings;

    /**
     * Starts from the {@code -D} settings.
     *
     * @param overrides the {@code -D} settings, in the order given
     */
    public FlagSettings(Map<String, String> overrides) {
        this.settings = new LinkedHashMap<>(overrides);
    }

    /**
     * Puts a flag's value over the {@code -D} settings.
     *
     * @param flag the flag as given, for the sentence: {@code --threads 4}
     * @param setting the setting it sets: {@link CanvasFlowConfig#NUM_STREAM_THREADS}
     * @param value its value as a setting's text
     * @return this
     * @throws IllegalArgumentException with one sentence when a {@code -D} of the setting, with or
     *     without the {@code kafka.} prefix (the configuration reads both), means another value
     */
    public FlagSettings put(String flag, String setting, String value) {
        for (Map.Entry<String, String> given : settings.entrySet()) {
            if (SettingNames.unprefixed(given.getKey()).equals(setting)
                    && !SettingDefinitions.sameValue(setting, given.getValue(), value)) {
                throw new IllegalArgumentException(
                        flag
                                + " and -D "
                                + given.getKey()
                                + "="
                                + given.getValue()
                                + " disagree; give one");
            }
        }
        settings.put(setting, value);
        return this;
    }

    /**
     * The settings: the {@code -D} ones with the flags' over them.
     *
     * @return a copy the caller may add to
     */
    public Map<String, String> settings() {
        return new LinkedHashMap<>(settings);
    }
}
