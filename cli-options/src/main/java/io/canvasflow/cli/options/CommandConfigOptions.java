package io.canvasflow.cli.options;

import io.canvasflow.schemas.TopicNames;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * {@code --command-config FILE}: the Kafka client properties of a secured cluster (SASL, TLS), as
 * Kafka's own tools take them ({@code kafka-topics.sh --command-config}), for a command that makes
 * its own clients: {@code publish}, {@code masks}, {@code view}, {@code models}, {@code label},
 * {@code train} and {@code evaluate}. {@code serve} and {@code replay} read the same properties
 * from their settings file ({@code --config}), so one file serves every command: serve's own
 * settings in it are not handed to the clients, and its {@code topic.frames} and {@code
 * topic.masks} name the commands' default topics ({@link #topic}), as the environment's {@code
 * CANVASFLOW_TOPIC_FRAMES} and {@code CANVASFLOW_TOPIC_MASKS} do, as in serve.
 */
public final class CommandConfigOptions {

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            converter = FileConverters.InputFile.class,
            description =
                    "Properties file of Kafka client settings (security.protocol, sasl.*, ssl.*)"
                            + " for every client this command makes; serve's --config file works"
                            + " (serve's own settings in it are left out; publish, masks and view"
                            + " take their default topics from its topic.frames and topic.masks).")
    private Path file;

    /**
     * The file's properties with the command's own on top, for its producer, consumer or admin
     * client. A key with serve's {@code kafka.} prefix loses it, as serve reads it. The file's
     * {@code bootstrap.servers} is left out: the cluster is {@code --bootstrap-servers}' (a serve
     * settings file names the cluster as serve sees it, often another address). So are serve's own
     * settings ({@link ServeSettingNames#isServeSetting}): {@link #topic} reads the topics'.
     *
     * @param commandProperties what the command's own options set, for example {@code
     *     --producer-property}; they win over the file. A {@code bootstrap.servers} among them is
     *     refused: it would replace the cluster that {@code --bootstrap-servers} named and the
     *     command checked at startup, and the clients would retry another address for a minute.
     * @return a new map, in the file's key order (sorted), then the command's
     * @throws IllegalArgumentException in one sentence when the file cannot be read as properties,
     *     or the command's properties name the cluster
     */
    public Map<String, String> properties(Map<String, String> commandProperties) {
        if (commandProperties.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException(
                    "bootstrap.servers is not a client property to set here (--producer-property,"
                            + " --consumer-property): pass the cluster with --bootstrap-servers");
        }
        Map<String, String> merged = new LinkedHashMap<>();
        fileEntries()
                .forEach(
                        (name, entry) -> {
                            // serve's own settings (its topics, canvas.*, state.dir...) are no
                            // client's: Kafka logs each as supplied but not used
                            if (!ServeSettingNames.isServeSetting(name)) {
                                merged.put(name, entry.value());
                            }
                        });
        merged.putAll(commandProperties);
        return merged;
    }

    /**
     * A topic's name as serve would resolve the setting that names it, for a command that reads or
     * writes the same topic: the command's flag, else the environment ({@code
     * CANVASFLOW_TOPIC_FRAMES} for {@code topic.frames}), else the file's setting (or its {@code
     * kafka.}-prefixed key, as serve reads it), else the built-in default.
     *
     * @param flag the command's flag, for the origin: {@code --topic}
     * @param flagValue the flag's value (its converter checked it), or null when absent
     * @param setting serve's setting: {@link ServeSettingNames#TOPIC_FRAMES}
     * @param builtIn the default name, serve's default of the setting
     * @param env the environment, usually {@link System#getenv()}
     * @return the name and where it came from
     * @throws IllegalArgumentException in one sentence when the file cannot be read, or the
     *     environment's or the file's value is not a topic name
     */
    public TopicChoice topic(
            String flag,
            String flagValue,
            String setting,
            String builtIn,
            Map<String, String> env) {
        if (flagValue != null) {
            return new TopicChoice(flagValue, flag, false);
        }
        String variable = ServeSettingNames.environmentVariable(setting);
        if (env.containsKey(variable)) {
            return checked(env.get(variable).trim(), variable);
        }
        Entry entry = fileEntries().get(setting);
        if (entry != null) {
            return checked(entry.value(), entry.key() + " in " + file);
        }
        return new TopicChoice(builtIn, TopicChoice.DEFAULT, false);
    }

    private static TopicChoice checked(String name, String origin) {
        // serve refuses the same value at its start; here it is refused before any connection
        if (TopicNames.problem(name) != null) {
            throw new IllegalArgumentException(
                    "expected "
                            + origin
                            + " to be "
                            + TopicNames.RULE
                            + " but found '"
                            + name
                            + "'; correct it (serve refuses it too)");
        }
        return new TopicChoice(name, origin, true);
    }

    /** A key of the file as written, and its trimmed value. */
    private record Entry(String key, String value) {}

    /**
     * The file's keys by the name they set ({@code kafka.} removed, as serve removes it), sorted,
     * without {@code bootstrap.servers}: the cluster is {@code --bootstrap-servers}' (a serve
     * settings file names the cluster as serve sees it, often another address). Of a name given
     * both with and without the prefix, the key without it wins, as in serve.
     */
    private Map<String, Entry> fileEntries() {
        Map<String, Entry> entries = new LinkedHashMap<>();
        if (file == null) {
            return entries;
        }
        // that it is a readable file, the option's converter checked
        Properties loaded = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            loaded.load(in);
        } catch (IOException | IllegalArgumentException e) {
            // a MalformedInputException's message is "Input length = 1"
            throw new IllegalArgumentException(
                    "--command-config: "
                            + file
                            + " is not a text file of KEY=VALUE lines ("
                            + e
                            + ")");
        }
        for (String key : new TreeSet<>(loaded.stringPropertyNames())) {
            String name = key.startsWith("kafka.") ? key.substring("kafka.".length()) : key;
            entries.put(name, new Entry(key, loaded.getProperty(key).trim()));
        }
        entries.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        return entries;
    }

    /**
     * A client configuration: the file's properties and the cluster.
     *
     * @param bootstrapServers the cluster, or null or blank for none (then the map has no {@code
     *     bootstrap.servers}, and the command says it needs one where it does)
     * @return a new map
     * @throws IllegalArgumentException in one sentence when the file is missing or unreadable
     */
    public Map<String, String> client(String bootstrapServers) {
        Map<String, String> client = properties(Map.of());
        if (bootstrapServers != null && !bootstrapServers.isBlank()) {
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        }
        return client;
    }

    /**
     * For a command that reads a topic when its data names one: whether the cluster answers, with
     * these security settings, within {@link KafkaPreflight#DEFAULT_TIMEOUT}. Without it, an absent
     * cluster is a consumer's timeouts and warnings for the better part of a minute.
     *
     * @param bootstrapServers the cluster, or null when none is named (nothing to check)
     * @return the problem in one sentence, or null
     * @throws IllegalArgumentException in one sentence when the file is missing or unreadable
     */
    public String unreachable(String bootstrapServers) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            return null;
        }
        return KafkaOptions.preflight(bootstrapServers, client(bootstrapServers), List.of(), "");
    }

    /**
     * The file's properties alone.
     *
     * @return a new map
     * @throws IllegalArgumentException in one sentence when the file is missing or unreadable
     */
    public Map<String, String> properties() {
        return properties(Map.of());
    }
}
