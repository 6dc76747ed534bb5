package io.canvasflow.clients;

import io.canvasflow.cli.options.CommandConfigOptions;
import io.canvasflow.cli.options.DurationConverter;
import io.canvasflow.cli.options.ServeSettingNames;
import io.canvasflow.cli.options.TopicChoice;
import io.canvasflow.schemas.Topic;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What a command that follows masks and their frames reads ({@code masks}, {@code view}): the two
 * topics, the consumer's properties, how much the join keeps and how long to follow, declared once.
 */
public final class FollowOptions {

    /** The least {@code --join-memory}: a frame up to Kafka's default record size, 1 MiB. */
    private static final long MIN_JOIN_MEMORY = 1L << 20;

    /** What to do when a followed topic is missing, said by {@code masks} and {@code view}. */
    public static final String HOW_TO_CREATE_TOPICS =
            "start `canvasflow serve --create-topics` (it creates the frames, masks and"
                    + " dead-letter topics), or create them with kafka-topics.sh --create";

    @Option(
            names = "--masks-topic",
            paramLabel = "NAME",
            converter = CliValues.TopicName.class,
            description =
                    "Masks topic (default: serve's masks topic, as serve reads it:"
                            + " CANVASFLOW_TOPIC_MASKS, else topic.masks in --command-config,"
                            + " else masks).")
    private String masksTopic;

    @Option(
            names = "--frames-topic",
            paramLabel = "NAME",
            converter = CliValues.TopicName.class,
            description =
                    "Frames topic, joined with the masks (default: serve's frames topic, as serve"
                            + " reads it: CANVASFLOW_TOPIC_FRAMES, else topic.frames in"
                            + " --command-config, else frames).")
    private String framesTopic;

    @Option(
            names = "--consumer-property",
            paramLabel = "KEY=VALUE",
            description =
                    "A Kafka consumer property, for example max.poll.records=100 (repeat for"
                            + " each); it wins over --command-config.")
    private Map<String, String> consumerProperties = new LinkedHashMap<>();

    @Option(
            names = "--duration",
            paramLabel = "TIME",
            converter = DurationConverter.Positive.class,
            description = "Stop after this long, for example 30s, 5m or PT1H (default: no limit).")
    private Duration duration;

    @Option(
            names = "--join-frames",
            defaultValue = "" + MaskFollower.DEFAULT_JOIN_FRAMES,
            paramLabel = "N",
            description =
                    "Frames (and masks waiting for their frame) kept per camera to put each mask"
                            + " on its frame (masks --out, view): raise it when serve runs further"
                            + " behind its cameras or with --from-beginning; it holds up to"
                            + " cameras x N frames, within --join-memory over all cameras"
                            + " (default: ${DEFAULT-VALUE}).")
    private int joinFrames;

    @Option(
            names = "--join-memory",
            paramLabel = "SIZE",
            description =
                    "Bytes the join keeps over all cameras (masks --out, view), frames and masks"
                            + " waiting for their frame, by its own estimate, for example 512m or"
                            + " 2g; past it the oldest go first, as past --join-frames. At most"
                            + " half the heap (CANVASFLOW_HEAP); raise it for many cameras that"
                            + " serve runs behind (default: a quarter of the heap, 1.5g in the"
                            + " default 6g).")
    private String joinMemory;

    @Mixin private CommandConfigOptions commandConfig;

    /**
     * The masks topic: {@code --masks-topic}, else serve's {@code topic.masks} as serve resolves it
     * from the environment and {@code --command-config}, else {@code masks}.
     *
     * @param env the environment, usually {@link System#getenv()}
     * @return the name and where it came from
     * @throws IllegalArgumentException in one sentence when the file cannot be read or the name it
     *     or the environment gives is not a topic name
     */
    public TopicChoice masksTopic(Map<String, String> env) {
        return commandConfig.topic(
                "--masks-topic",
                masksTopic,
                ServeSettingNames.TOPIC_MASKS,
                Topics.MASKS.name(),
                env);
    }

    /**
     * The frames topic: {@code --frames-topic}, else serve's {@code topic.frames} as serve resolves
     * it, else {@code frames}.
     *
     * @param env the environment, usually {@link System#getenv()}
     * @return the name and where it came from
     * @throws IllegalArgumentException as {@link #masksTopic}
     */
    public TopicChoice framesTopic(Map<String, String> env) {
        return commandConfig.topic(
                "--frames-topic",
                framesTopic,
                ServeSettingNames.TOPIC_FRAMES,
                Topics.FRAMES.name(),
                env);
    }

    /** The masks topic of a choice. */
    public static Topic<String, MaskEvent> masks(TopicChoice choice) {
        return Topics.MASKS.withName(choice.name());
    }

    /** The frames topic of a choice. */
    public static Topic<String, Frame> frames(TopicChoice choice) {
        return Topics.FRAMES.withName(choice.name());
    }

    /**
     * Frames kept per camera for the join.
     *
     * @return at least 1
     * @throws IllegalArgumentException in one sentence when it is not
     */
    public int joinFrames() {
        if (joinFrames < 1) {
            throw new IllegalArgumentException("--join-frames must be >= 1, got " + joinFrames);
        }
        return joinFrames;
    }

    /**
     * Bytes kept over all cameras for the join: {@code --join-memory}, else a quarter of the heap.
     *
     * @return from 1 MiB to half of the heap
     * @throws IllegalArgumentException in one sentence when it is not, or is not a size
     */
    public long joinMemory() {
        if (joinMemory == null) {
            return FrameJoinBuffer.defaultMaxBytes();
        }
        long most = Runtime.getRuntime().maxMemory() / 2;
        long bytes = CliValues.bytes(joinMemory, "--join-memory");
        if (bytes < MIN_JOIN_MEMORY || bytes > most) {
            throw new IllegalArgumentException(
                    "--join-memory must be from 1m to "
                            + (most >> 20)
                            + "m (half of this JVM's heap; more with CANVASFLOW_HEAP), got "
                            + joinMemory);
        }
        return bytes;
    }

    /** How long to follow, or null for until stopped. */
    public Duration duration() {
        return duration;
    }

    /**
     * The consumer properties: {@code --command-config}'s, then {@code --consumer-property}'s.
     *
     * @return a new map
     * @throws IllegalArgumentException in one sentence when the command config cannot be read
     */
    public Map<String, String> consumerProperties() {
        return commandConfig.properties(consumerProperties);
    }
}
