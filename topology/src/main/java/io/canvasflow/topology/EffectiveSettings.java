package io.canvasflow.topology;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What a configuration resolves to, as {@code serve --print-config} prints it: every CanvasFlow
 * setting with its value and where the value came from, then the Kafka properties passed through,
 * secrets hidden. It is the answer to "what is this instance running with?", which the logs do not
 * give (Kafka's own configuration dump is at INFO, which the command line keeps at WARN).
 */
final class EffectiveSettings {

    /** What a secret's value prints as. */
    static final String HIDDEN = "[hidden]";

    /** Kafka Streams' prefixes for the properties of one of its clients or its topics. */
    private static final List<String> CLIENT_PREFIXES =
            List.of(
                    StreamsConfig.MAIN_CONSUMER_PREFIX,
                    StreamsConfig.RESTORE_CONSUMER_PREFIX,
                    StreamsConfig.GLOBAL_CONSUMER_PREFIX,
                    StreamsConfig.CONSUMER_PREFIX,
                    StreamsConfig.PRODUCER_PREFIX,
                    StreamsConfig.ADMIN_CLIENT_PREFIX,
                    StreamsConfig.TOPIC_PREFIX);

    /** Every definition a passed-through property may have, to know which are passwords. */
    private static final List<ConfigDef> KAFKA_DEFINITIONS =
            List.of(
                    StreamsConfig.configDef(),
                    ProducerConfig.configDef(),
                    ConsumerConfig.configDef(),
                    AdminClientConfig.configDef());

    private EffectiveSettings() {}

    /**
     * The settings and properties as aligned text.
     *
     * @param config a configuration that built, so every value in it is valid
     * @return a table of settings (value, source), then one of Kafka properties, if any
     */
    static String table(CanvasFlowConfig config) {
        Map<String, String> defaults = CanvasFlowConfig.defaults().settings();
        StringBuilder out = new StringBuilder();
        row(out, "setting", "value", "from");
        config.settings()
                .forEach(
                        (name, value) ->
                                row(out, name, shown(value), source(config, defaults, name)));
        if (!config.kafkaProperties().isEmpty()) {
            out.append('\n');
            row(out, "Kafka property", "value", "");
            config.kafkaProperties()
                    .forEach((name, value) -> row(out, name, isSecret(name) ? HIDDEN : value, ""));
        }
        return out.toString();
    }

    /**
     * Whether a Kafka property holds a secret: a password in Kafka's own definitions (for example
     * {@code sasl.jaas.config}, {@code ssl.key.password}), with or without a Streams client prefix,
     * or a name that says so.
     */
    static boolean isSecret(String name) {
        String bare = name;
        for (String prefix : CLIENT_PREFIXES) {
            if (bare.startsWith(prefix)) {
                bare = bare.substring(prefix.length());
                break;
            }
        }
        for (ConfigDef definition : KAFKA_DEFINITIONS) {
            ConfigDef.ConfigKey key = definition.configKeys().get(bare);
            if (key != null) {
                return key.type == ConfigDef.Type.PASSWORD;
            }
        }
        String lower = bare.toLowerCase(Locale.ROOT);
        return lower.contains("password")
                || lower.contains("secret")
                || lower.endsWith("jaas.config");
    }

    private static String source(
            CanvasFlowConfig config, Map<String, String> defaults, String name) {
        String origin = config.origins().get(name);
        if (origin != null) {
            return origin;
        }
        return config.settings().get(name).equals(defaults.get(name)) ? "default" : "command line";
    }

    private static String shown(String value) {
        return value.isEmpty() ? "(blank)" : value;
    }

    private static void row(StringBuilder out, String name, String value, String from) {
        out.append(String.format(Locale.ROOT, "%-32s %-40s %s", name, value, from).stripTrailing())
                .append('\n');
    }
}
