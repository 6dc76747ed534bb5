package io.canvasflow.topology;

import java.util.Locale;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.regex.Pattern;

/**
 * What a configuration resolves to, as {@code serve --print-config} prints it: every CanvasFlow
 * setting with its value and where the value came from, then the Kafka properties passed through,
 * secrets hidden. It is the answer to "what is this instance running with?", which the logs do not
 * give (Kafka's own configuration dump is at INFO, which the command line keeps at WARN).
 *
 * <p>A secret is what {@link KafkaProperties#isSecret} says is one, or the user-info part of a URL:
 * better a value too many hidden than a password printed into a terminal's scroll-back.
 */
final class EffectiveSettings {

    /** What a secret's value prints as. */
    static final String HIDDEN = "[hidden]";

    /** A URL's user info: {@code scheme://user:password@}. */
    private static final Pattern URL_USER_INFO = Pattern.compile("(\\w[\\w+.-]*://)[^/@\\s]+@");

    private EffectiveSettings() {}

    /**
     * The settings and properties as aligned text.
     *
     * @param config a configuration that built: its settings are valid, and so is every Kafka
     *     property Kafka defines
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
        section(
                out,
                format,
                "setting",
                config.settings(),
                EffectiveSettings::plain,
                config,
                "default");
        if (!config.kafkaProperties().isEmpty()) {
            out.append('\n');
            section(
                    out,
                    format,
                    "Kafka property",
                    config.kafkaProperties(),
                    EffectiveSettings::shown,
                    config,
                    "");
        }
        return out.toString();
    }

    /** A Kafka property's value as printed: hidden when secret, a URL without its user info. */
    static String shown(String name, String value) {
        if (KafkaProperties.isSecret(name)) {
            return HIDDEN;
        }
        return URL_USER_INFO.matcher(value).replaceAll("$1" + HIDDEN + "@");
    }

    /** A setting's value as printed: as it is, or "(blank)". */
    private static String plain(String name, String value) {
        return value.isEmpty() ? "(blank)" : value;
    }

    /**
     * A heading, then a row for each entry: its name, its value as printed, where it came from.
     *
     * @param printed the value as printed, from the name and the value
     * @param noOrigin what "from" says for a value nobody gave
     */
    private static void section(
            StringBuilder out,
            String format,
            String heading,
            Map<String, String> entries,
            BinaryOperator<String> printed,
            CanvasFlowConfig config,
            String noOrigin) {
        row(out, format, heading, "value", "from");
        entries.forEach(
                (name, value) ->
                        row(
                                out,
                                format,
                                name,
                                printed.apply(name, value),
                                config.origins().getOrDefault(name, noOrigin)));
    }

    private static void row(
            StringBuilder out, String format, String name, String value, String from) {
        out.append(String.format(Locale.ROOT, format, name, value, from).stripTrailing())
                .append('\n');
    }
}
