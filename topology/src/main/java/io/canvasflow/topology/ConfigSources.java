package io.canvasflow.topology;

import io.canvasflow.cli.options.ServeSettingNames;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Where {@link CanvasFlowConfig}'s values come from: the defaults, a properties file, the
 * environment and overrides, each key sorted into a CanvasFlow setting or a Kafka property, or
 * refused with a sentence that names it.
 */
final class ConfigSources {

    /** Every CanvasFlow setting with its default, in documentation order. */
    static final Map<String, String> DEFAULTS = SettingDefinitions.defaults();

    /**
     * The origin of a setting given one by one ({@code -D}, a flag, or code): an error about it
     * names no origin, since whoever gave it knows where.
     */
    static final String COMMAND_LINE = "command line";

    private ConfigSources() {}

    /**
     * The raw values of a configuration.
     *
     * @param settings CanvasFlow settings by name, every one present
     * @param kafka Kafka properties passed through, any {@code kafka.} prefix removed
     */
    record Values(
            Map<String, String> settings, Map<String, String> kafka, Map<String, String> origins) {

        /** Values whose settings came from no file and no variable (defaults and code). */
        Values(Map<String, String> settings, Map<String, String> kafka) {
            this(settings, kafka, Map.of());
        }
    }

    /** Every setting at its default, and no Kafka property. */
    static Values defaults() {
        return new Values(DEFAULTS, Map.of());
    }

    /** A base, a properties file (or null), the environment, then overrides. */
    static Values load(
            Values base, Path file, Map<String, String> env, Map<String, String> overrides) {
        Gathered gathered = new Gathered(base);
        if (file != null) {
            // NoSuchFileException's message is the path alone: say what is wrong instead
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(
                        "no configuration file at " + file + "; give a properties file");
            }
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (CharacterCodingException e) {
                // its message is "Input length = 1", which says neither what is wrong nor where
                throw new IllegalArgumentException(
                        "configuration file "
                                + file
                                + " is not UTF-8 text of KEY=VALUE lines; give a properties file"
                                + " saved as UTF-8",
                        e);
            } catch (IOException | IllegalArgumentException e) {
                // IllegalArgumentException: Properties' own, for a malformed backslash-u escape
                throw new IllegalArgumentException(
                        "cannot read the configuration file " + file + ": " + e.getMessage(), e);
            }
            for (String key : new TreeSet<>(properties.stringPropertyNames())) {
                String value = properties.getProperty(key);
                gathered.put(key, value, "key in " + file, UnaryOperator.identity());
            }
        }
        String bootstrap = env.get(CanvasFlowConfig.ENV_BOOTSTRAP_SERVERS);
        if (bootstrap != null && !bootstrap.isBlank()) {
            gathered.settings.put(CanvasFlowConfig.BOOTSTRAP_SERVERS, bootstrap);
            gathered.origins.put(
                    CanvasFlowConfig.BOOTSTRAP_SERVERS,
                    "environment variable " + CanvasFlowConfig.ENV_BOOTSTRAP_SERVERS);
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) {
            if (e.getKey().startsWith(CanvasFlowConfig.ENV_PREFIX)
                    && SettingNames.isReadFromEnvironment(e.getKey(), e.getValue())) {
                String key = SettingNames.keyOf(e.getKey());
                // a typo such as CANVASFLOW_CANVAS_MAXGAP_MS was ignored without a word, where the
                // same key in a file is refused
                if (!SettingNames.isSettingKey(key)) {
                    throw new IllegalArgumentException(
                            "environment variable "
                                    + e.getKey()
                                    + " names no setting ("
                                    + key
                                    + "); correct or unset it (`canvasflow serve --print-settings`"
                                    + " lists the settings)");
                }
                gathered.put(
                        key,
                        e.getValue(),
                        "environment variable " + e.getKey(),
                        ConfigSources::variableOf);
            }
        }
        overrides.forEach(
                (key, value) -> gathered.put(key, value, "setting", UnaryOperator.identity()));
        boolean exactlyOnce =
                StreamsConfig.EXACTLY_ONCE_V2.equals(
                        gathered.settings.get(CanvasFlowConfig.PROCESSING_GUARANTEE));
        gathered.kafka.forEach(
                (key, value) ->
                        KafkaProperties.check(key, value, gathered.origins.get(key), exactlyOnce));
        return new Values(gathered.settings, gathered.kafka, gathered.origins);
    }

    /** The values gathered so far from a base and the sources after it, mutable while loading. */
    private static final class Gathered {
        final Map<String, String> settings;
        final Map<String, String> kafka;
        // Where each setting's value came from, for the sentence when it is invalid
        final Map<String, String> origins;

        Gathered(Values base) {
            settings = new LinkedHashMap<>(base.settings());
            kafka = new LinkedHashMap<>(base.kafka());
            origins = new LinkedHashMap<>(base.origins());
        }

        /**
         * Sorts one key from {@code source} into a setting or a Kafka property, or refuses it;
         * {@code spelt} gives the spelling a misnamed key's refusal suggests.
         */
        void put(String key, String value, String source, UnaryOperator<String> spelt) {
            String name = key.trim();
            if (value == null) {
                throw new IllegalArgumentException(source + " '" + name + "' has no value");
            }
            String stripped = SettingNames.unprefixed(name);
            if (DEFAULTS.containsKey(stripped)) {
                settings.put(stripped, value.trim());
                origins.put(stripped, source.equals("setting") ? COMMAND_LINE : source);
            } else if (name.startsWith(CanvasFlowConfig.KAFKA_PREFIX)
                    || KafkaProperties.isKafkaName(stripped)) {
                String misnamed =
                        KafkaProperties.misnamed(name, stripped, DEFAULTS.keySet(), spelt);
                if (misnamed != null) {
                    throw new IllegalArgumentException(
                            "unknown " + source + " '" + name + "': " + misnamed);
                }
                kafka.put(stripped, value);
                origins.put(stripped, source.equals("setting") ? COMMAND_LINE : source);
            } else {
                throw new IllegalArgumentException(
                        "unknown "
                                + source
                                + " '"
                                + name
                                + "': expected a CanvasFlow setting ("
                                + String.join(", ", DEFAULTS.keySet())
                                + "), a Kafka client or Streams property, or a key prefixed '"
                                + CanvasFlowConfig.KAFKA_PREFIX
                                + "'");
            }
        }
    }

    /**
     * The variable that sets a key, for a refusal of a misspelt one: a setting's without {@code
     * kafka.} ({@code CANVASFLOW_TOPIC_FRAMES}), a Kafka property's with it ({@code
     * CANVASFLOW_KAFKA_CONSUMER_MAX_POLL_RECORDS}), as {@link SettingNames#keyOf} reads them.
     */
    private static String variableOf(String key) {
        String stripped = SettingNames.unprefixed(key);
        String name = DEFAULTS.containsKey(stripped) ? stripped : key;
        return ServeSettingNames.environmentVariable(name);
    }
}
