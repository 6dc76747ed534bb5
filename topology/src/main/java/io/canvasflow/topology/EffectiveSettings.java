package io.canvasflow.topology;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
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
 *
 * <p>A secret is a password in Kafka's own definitions, a name that says it holds one (password,
 * secret, token, credential, API or private key, user info, JAAS), or the user-info part of a URL:
 * better a value too many hidden than a password printed into a terminal's scroll-back.
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

    /** Parts of a name that say it holds a secret, whatever defines it (a schema registry...). */
    private static final List<String> SECRET_WORDS =
            List.of(
                    "password",
                    "secret",
                    "token",
                    "credential",
                    "user.info",
                    "apikey",
                    "api.key",
                    "private.key",
                    "jaas.config");

    /** A URL's user info: {@code scheme://user:password@}. */
    private static final Pattern URL_USER_INFO = Pattern.compile("(\\w[\\w+.-]*://)[^/@\\s]+@");

    private EffectiveSettings() {}

    /**
     * The settings and properties as aligned text.
     *
     * @param config a configuration that built: its CanvasFlow settings are valid, and Kafka checks
     *     its own properties when serve starts
     * @return a table of settings (value, source), then one of Kafka properties, if any
     */
    static String table(CanvasFlowConfig config) {
        int width = "Kafka property".length();
        for (String name : config.settings().keySet()) {
            width = Math.max(width, name.length());
        }
        for (String name : config.kafkaProperties().keySet()) {
            width = Math.max(width, name.length());
        }
        String format = "%-" + width + "s  %-40s  %s";
        StringBuilder out = new StringBuilder();
        row(out, format, "setting", "value", "from");
        config.settings()
                .forEach(
                        (name, value) ->
                                row(
                                        out,
                                        format,
                                        name,
                                        value.isEmpty() ? "(blank)" : value,
                                        config.origins().getOrDefault(name, "default")));
        if (!config.kafkaProperties().isEmpty()) {
            out.append('\n');
            row(out, format, "Kafka property", "value", "");
            config.kafkaProperties()
                    .forEach((name, value) -> row(out, format, name, shown(name, value), ""));
        }
        return out.toString();
    }

    /** A Kafka property's value as printed: hidden when secret, a URL without its user info. */
    static String shown(String name, String value) {
        if (isSecret(name)) {
            return HIDDEN;
        }
        return URL_USER_INFO.matcher(value).replaceAll("$1" + HIDDEN + "@");
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
            if (key != null && key.type == ConfigDef.Type.PASSWORD) {
                return true;
            }
        }
        String lower = bare.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(lower::contains);
    }

    private static void row(
            StringBuilder out, String format, String name, String value, String from) {
        out.append(String.format(Locale.ROOT, format, name, value, from).stripTrailing())
                .append('\n');
    }
}
