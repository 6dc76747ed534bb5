package io.canvasflow.cli.options;

import java.util.Locale;
import java.util.Set;

/**
 * The names of {@code serve}'s own settings (docs/settings.md), as a command that takes serve's
 * settings file as its {@code --command-config} meets them: they are serve's, not Kafka client
 * properties, so they are not handed to its clients, and the topic names among them are the
 * command's defaults. serve's definitions live in the topology module, above this one; {@code
 * ServeSettingNamesTest} keeps this list equal to docs/settings.md, which a topology test keeps
 * equal to them.
 */
public final class ServeSettingNames {

    /** The frames topic's setting, {@code publish}'s default topic and what masks joins. */
    public static final String TOPIC_FRAMES = "topic.frames";

    /** The masks topic's setting, what {@code masks} and {@code view} follow. */
    public static final String TOPIC_MASKS = "topic.masks";

    /** The prefix of the environment variables that set serve's settings. */
    public static final String ENV_PREFIX = "CANVASFLOW_";

    /**
     * Every key that is a {@code topic.} setting or one of Kafka Streams' topic configs for its own
     * topics ({@code topic.retention.ms}); no Kafka client property starts with it.
     */
    private static final String TOPIC_PREFIX = "topic.";

    /** serve's settings, in docs/settings.md's order; bootstrap.servers is the command's own. */
    static final Set<String> NAMES =
            Set.of(
                    "bootstrap.servers",
                    "application.id",
                    "model.dir",
                    "model.device",
                    TOPIC_FRAMES,
                    TOPIC_MASKS,
                    "topic.dlq",
                    "topic.models",
                    "topic.model.assignments",
                    "topic.model.errors",
                    "models.follow",
                    "models.cache.size",
                    "models.wait.ms",
                    "models.cache.dir",
                    "startup.timeout.ms",
                    "lag.warn.ms",
                    "instance.id",
                    "mask.size",
                    "mask.max.bytes",
                    "topic.partitions",
                    "topic.replication",
                    "topics.create",
                    "canvas.seeded.iterations",
                    "canvas.full.iterations",
                    "canvas.keyframe.interval",
                    "canvas.max.gap.ms",
                    "canvas.scene.cut.fraction",
                    "latency.budget.ms",
                    "processing.mode",
                    "frame.max.bytes",
                    "dlq.original.max.bytes",
                    "frame.max.pixels",
                    "camera.id.max.length",
                    "state.dir",
                    "num.stream.threads",
                    "num.standby.replicas",
                    "processing.guarantee",
                    "http.port",
                    "http.host");

    private ServeSettingNames() {}

    /**
     * Whether a key of serve's settings file is serve's own rather than a Kafka client property:
     * one of its settings (application.id and the other Kafka Streams settings serve defines among
     * them), or any {@code topic.} key. Exact names otherwise, so that a client plugin's property
     * is never held back.
     *
     * @param name the key, without a {@code kafka.} prefix
     * @return whether a command's Kafka clients should not get it
     */
    public static boolean isServeSetting(String name) {
        return NAMES.contains(name) || name.startsWith(TOPIC_PREFIX);
    }

    /**
     * The environment variable that sets a setting, as serve reads it: {@code topic.frames} is
     * {@code CANVASFLOW_TOPIC_FRAMES}.
     *
     * @param setting the setting's name
     * @return the variable's name
     */
    public static String environmentVariable(String setting) {
        return ENV_PREFIX + setting.toUpperCase(Locale.ROOT).replace('.', '_');
    }
}
