package io.canvasflow.topology;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The settings reference, {@code docs/settings.md}, written from {@link
 * CanvasFlowConfig#configDef()}: a row per setting with its type, default, valid values and
 * documentation, so that the documentation cannot drift from what serve accepts.
 */
final class SettingsTable {

    /** Defaults that depend on the machine, as the reference states them. */
    private static final Map<String, String> DOCUMENTED_DEFAULTS =
            Map.of(
                    CanvasFlowConfig.MODEL_DIR, "models/rnn under the CanvasFlow home",
                    CanvasFlowConfig.STATE_DIR, "kafka-streams under java.io.tmpdir");

    private SettingsTable() {}

    /**
     * The reference, in Markdown.
     *
     * @return a heading, how settings are given, and the table
     */
    static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# CanvasFlow settings\n\n")
                .append(
                        "Written by `./canvasflow serve --print-settings` from the settings'"
                                + " definitions (`SettingDefinitions`, a Kafka `ConfigDef`); a"
                                + " test keeps this file equal to its output.\n\n")
                .append(
                        "Sources, later ones winning: these defaults, a properties file"
                                + " (`--config FILE`), the environment (`CANVASFLOW_` and the"
                                + " name in upper case with `_` for `.`, for example"
                                + " `CANVASFLOW_CANVAS_MAX_GAP_MS`; `KAFKA_BOOTSTRAP_SERVERS`),"
                                + " then the command line (`-D name=value` and the flags)."
                                + " On the command line a flag and a `-D` of the same setting,"
                                + " with or without `kafka.`, must agree (`serve`'s `--threads`"
                                + " and `-D num.stream.threads`, `--create-topics` and `-D"
                                + " topics.create`; `--model` and `-D model.dir` in `serve`,"
                                + " `replay` and the benchmarks): two values are refused, naming"
                                + " both."
                                + " Kafka client and Streams properties pass through unchanged,"
                                + " those Kafka reads by their prefix too (`client.tag.`,"
                                + " `metrics.context.`, `metrics.jmx.`, `config.providers.`),"
                                + " and any key prefixed `kafka.` loses the prefix; `topic.NAME`"
                                + " sets NAME on the topics Kafka Streams creates, for the broker"
                                + " to judge (a Kafka topic config, Kafka's `TopicConfig`, or one"
                                + " that a broker adds, such as Confluent Server's"
                                + " `confluent.placement.constraints`). Any other key is refused,"
                                + " naming it, and so is a name a letter or two from one that"
                                + " Kafka defines for the same client"
                                + " (`consumer.max.poll.record`), or under `topic.` from a setting"
                                + " or a topic config (`topic.frame`, `topic.retention.m`), and a"
                                + " Streams property under `topic.` (`topic.replication.factor`);"
                                + " other names under a client prefix or `kafka.` pass on to the"
                                + " client's plugins."
                                + " The client properties Kafka Streams sets itself (such as `group.id`,"
                                + " `enable.auto.commit`, `transactional.id`, and under"
                                + " exactly_once_v2 `isolation.level` and `enable.idempotence`,"
                                + " with or without a client prefix) are refused by name."
                                + " `serve --print-config` prints what a file, the environment"
                                + " and a command line resolve to.\n\n")
                .append("| setting | type | default | valid values | importance | description |\n")
                .append("| --- | --- | --- | --- | --- | --- |\n");
        for (ConfigDef.ConfigKey key : CanvasFlowConfig.configDef().configKeys().values()) {
            String value = String.valueOf(key.defaultValue);
            String shown =
                    DOCUMENTED_DEFAULTS.getOrDefault(
                            key.name, value.isEmpty() ? "(blank)" : "`" + value + "`");
            md.append("| `")
                    .append(key.name)
                    .append("` | ")
                    .append(key.type.name().toLowerCase(java.util.Locale.ROOT))
                    .append(" | ")
                    .append(shown)
                    .append(" | ")
                    .append(SettingDefinitions.expected(key))
                    .append(" | ")
                    .append(key.importance.name().toLowerCase(java.util.Locale.ROOT))
                    .append(" | ")
                    .append(key.documentation.replace("|", "\\|"))
                    .append(" |\n");
        }
        return md.toString();
    }
}
