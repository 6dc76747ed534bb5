package io.canvasflow.topology;

import static io.canvasflow.topology.CanvasFlowConfig.*;

import io.canvasflow.model.DefaultModels;
import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.SegmentRequest;
import io.canvasflow.schemas.FrameOrder;
import io.canvasflow.schemas.TopicNames;
import io.canvasflow.schemas.Topics;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Every CanvasFlow setting declared once, in Kafka's own {@link ConfigDef}: its type, default, what
 * a valid value is, how much it matters, and its documentation. {@link CanvasFlowConfig} reads its
 * values through {@link #parse}; {@code serve --print-settings} prints the table {@code
 * docs/settings.md} holds.
 */
final class SettingDefinitions {

    /**
     * The most stream threads an instance may run: each loads its own segmenter, and a thread
     * without a partition of the frames topic does nothing (serve creates 12 by default); {@code
     * --threads 999} made no progress at all.
     */
    static final int MAX_STREAM_THREADS = 256;

    /** The settings that name a folder. */
    private static final java.util.Set<String> FOLDERS =
            java.util.Set.of(MODEL_DIR, STATE_DIR, MODELS_CACHE_DIR);

    /** The definitions, in documentation order. */
    static final ConfigDef DEFINITION = definition();

    private SettingDefinitions() {}

    /**
     * A valid value, described by the words an error and the settings table use for it.
     *
     * @param expected what a valid value is, completing "must be ..."
     * @param test whether a parsed value is valid
     */
    record Check(String expected, Predicate<Object> test) implements ConfigDef.Validator {

        static Check atLeast(long min) {
            return new Check("an integer of at least " + min, v -> ((Number) v).longValue() >= min);
        }

        /**
         * An int setting's bounds: its type's largest value is said too, since a larger number is
         * refused with these words ("at least 1" for 999999999999 read as wrong).
         */
        static Check intAtLeast(int min) {
            return between(min, Integer.MAX_VALUE);
        }

        static Check between(int min, int max) {
            return new Check(
                    "an integer from " + min + " to " + max, v -> (int) v >= min && (int) v <= max);
        }

        static Check nonBlank() {
            return new Check("a non-empty value", v -> !((String) v).isBlank());
        }

        static Check text(String expected, Predicate<String> test) {
            return new Check(expected, v -> test.test((String) v));
        }

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || !test.test(value)) {
                throw new ConfigException(name, value, expected);
            }
        }

        @Override
        public String toString() {
            return expected;
        }
    }

    /**
     * Reads every setting's typed value.
     *
     * @param settings every setting's value as a string
     * @return setting name to its value: String, Integer, Long, Double or Boolean, by its type
     * @throws IllegalArgumentException naming the first setting whose value is not valid, what it
     *     must be, and what it got
     */
    static Map<String, Object> parse(Map<String, String> settings, Map<String, String> origins) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigDef.ConfigKey key : DEFINITION.configKeys().values()) {
            String raw = settings.get(key.name);
            try {
                Object value = ConfigDef.parseType(key.name, raw, key.type);
                if (key.validator != null) {
                    key.validator.ensureValid(key.name, value);
                }
                values.put(key.name, value);
            } catch (ConfigException e) {
                String origin = origins.get(key.name);
                throw new IllegalArgumentException(
                        "setting "
                                + key.name
                                + (origin == null || origin.equals(ConfigSources.COMMAND_LINE)
                                        ? ""
                                        : " (" + origin + ")")
                                + " must be "
                                + expected(key)
                                + tooLarge(key, raw)
                                + ", got '"
                                + raw
                                + "'");
            }
        }
        TopicSettings.requireDistinct(values);
        return Collections.unmodifiableMap(values);
    }

    /** For a long setting given a whole number past its type's bound, that bound. */
    private static String tooLarge(ConfigDef.ConfigKey key, String raw) {
        return key.type == Type.LONG && raw != null && raw.trim().matches("[0-9]+")
                ? " (at most " + Long.MAX_VALUE + ")"
                : "";
    }

    /** What a valid value of a setting is, in words. */
    static String expected(ConfigDef.ConfigKey key) {
        if (key.validator != null) {
            return key.validator.toString();
        }
        return switch (key.type) {
            case BOOLEAN -> "true or false";
            case INT, LONG -> "an integer";
            case DOUBLE -> "a number";
            default -> "any text";
        };
    }

    /**
     * Whether two values of a setting mean the same: equal once read as its type ({@code 4} and
     * {@code 04}, {@code true} and {@code TRUE}), or for a folder the same path ({@code /a/} and
     * {@code /a}).
     *
     * @param name the setting
     * @param a one value
     * @param b the other
     * @return whether they are the same; false when either is not a valid value
     */
    static boolean sameValue(String name, String a, String b) {
        ConfigDef.ConfigKey key = DEFINITION.configKeys().get(name);
        try {
            Object x = ConfigDef.parseType(name, a, key.type);
            Object y = ConfigDef.parseType(name, b, key.type);
            if (x instanceof String s && y instanceof String t) {
                return s.strip().equals(t.strip())
                        || (FOLDERS.contains(name) && sameFolder(s.strip(), t.strip()));
            }
            return x.equals(y);
        } catch (ConfigException | java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** Two spellings of one folder: relative or absolute, with ./ or a trailing slash. */
    private static boolean sameFolder(String a, String b) {
        return Path.of(a)
                .toAbsolutePath()
                .normalize()
                .equals(Path.of(b).toAbsolutePath().normalize());
    }

    /** Every setting's default as a string, in documentation order. */
    static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        DEFINITION
                .configKeys()
                .values()
                .forEach(k -> defaults.put(k.name, String.valueOf(k.defaultValue)));
        return Collections.unmodifiableMap(defaults);
    }

    private static ConfigDef definition() {
        Check nonBlank = Check.nonBlank();
        Check topicName = Check.text(TopicNames.RULE, TopicSettings::isTopicName);
        return new ConfigDef()
                .define(
                        BOOTSTRAP_SERVERS,
                        Type.STRING,
                        "",
                        Importance.HIGH,
                        "Kafka bootstrap servers, host:port,...; serve refuses to start without"
                                + " them (KAFKA_BOOTSTRAP_SERVERS in the environment sets it too).")
                .define(
                        APPLICATION_ID,
                        Type.STRING,
                        "canvasflow",
                        Check.text(
                                TopicSettings.APPLICATION_ID_TEXT, TopicSettings::isApplicationId),
                        Importance.HIGH,
                        "Kafka Streams application id: the consumer group, and the prefix of"
                                + " internal topics and state.")
                .define(
                        MODEL_DIR,
                        Type.STRING,
                        DefaultModels.dir(DefaultModels.RNN).toString(),
                        Importance.HIGH,
                        "Directory of the model artifact (model.json and parameters); by default"
                                + " the shipped models/rnn under the CanvasFlow home (the system"
                                + " property canvasflow.home or CANVASFLOW_HOME, which the launchers"
                                + " set), else under the working directory;"
                                + " the Maven artifacts ship no model, so a program that embeds"
                                + " CanvasFlow sets it. Blank for none: every camera's model then"
                                + " comes from the models topic.")
                .define(
                        MODEL_DEVICE,
                        Type.STRING,
                        "auto",
                        Check.text("one of auto, cpu, gpu", SettingDefinitions::isDevice),
                        Importance.MEDIUM,
                        "Where the model runs. gpu is untested: no GPU was available where"
                                + " CanvasFlow is built.")
                .define(
                        TOPIC_FRAMES,
                        Type.STRING,
                        Topics.FRAMES.name(),
                        topicName,
                        Importance.MEDIUM,
                        "The input topic of frames, keyed by camera id.")
                .define(
                        TOPIC_MASKS,
                        Type.STRING,
                        Topics.MASKS.name(),
                        topicName,
                        Importance.MEDIUM,
                        "The output topic of mask events.")
                .define(
                        TOPIC_DLQ,
                        Type.STRING,
                        Topics.FRAMES_DLQ.name(),
                        topicName,
                        Importance.MEDIUM,
                        "The dead-letter topic: each bad record with its reason.")
                .define(
                        TOPIC_MODELS,
                        Type.STRING,
                        Topics.MODELS.name(),
                        topicName,
                        Importance.LOW,
                        "The compacted topic of published models (see canvasflow models).")
                .define(
                        TOPIC_MODEL_ASSIGNMENTS,
                        Type.STRING,
                        Topics.MODEL_ASSIGNMENTS.name(),
                        topicName,
                        Importance.LOW,
                        "The compacted topic of model assignments, keyed camera:ID, pattern:REGEX or"
                                + " default.")
                .define(
                        TOPIC_MODEL_ERRORS,
                        Type.STRING,
                        Topics.MODEL_ERRORS.name(),
                        topicName,
                        Importance.LOW,
                        "The topic where an instance reports a model it refused.")
                .define(
                        MODELS_FOLLOW,
                        Type.BOOLEAN,
                        true,
                        Importance.MEDIUM,
                        "Whether to follow the models and assignments topics, switching each"
                                + " camera to its assigned model without a restart; model.dir is"
                                + " then the model of unassigned cameras.")
                .define(
                        MODELS_CACHE_SIZE,
                        Type.INT,
                        3,
                        Check.intAtLeast(1),
                        Importance.LOW,
                        "How many models an instance keeps loaded, least recently used out;"
                                + " model.dir's, every version an assignment names, and the model"
                                + " a camera keeps while its assigned version is refused or on its"
                                + " way stay loaded whatever this says.")
                .define(
                        MODELS_WAIT_MS,
                        Type.LONG,
                        0L,
                        Check.atLeast(0),
                        Importance.LOW,
                        "How long startup waits for a model to be published and assigned as the"
                                + " default when model.dir gives none and the assignments topic"
                                + " names none yet, as when a deployment publishes its first model"
                                + " beside the instances; 0 refuses to start at once.")
                .define(
                        MODELS_CACHE_DIR,
                        Type.STRING,
                        "",
                        Importance.LOW,
                        "Where models received from Kafka are written; blank for"
                                + " STATE_DIR/model-cache.")
                .define(
                        STARTUP_TIMEOUT_MS,
                        Type.LONG,
                        10_000L,
                        Check.atLeast(100),
                        Importance.MEDIUM,
                        "How long serve waits at startup for the Kafka cluster to answer before"
                                + " it says so and exits.")
                .define(
                        LAG_WARN_MS,
                        Type.LONG,
                        2_000L,
                        Check.atLeast(0),
                        Importance.LOW,
                        "A camera whose masks come this long after its frames' capture is"
                                + " reported behind (a WARN per camera per minute, naming the"
                                + " remedies); 0 for never.")
                .define(
                        INSTANCE_ID,
                        Type.STRING,
                        "auto",
                        Importance.LOW,
                        "This instance's static group membership id (group.instance.id): auto"
                                + " for the host name and the state directory, so that a restarted"
                                + " instance takes its own partitions back at once instead of"
                                + " waiting for its old session to time out; none for dynamic"
                                + " membership; anything else is the id. A group.instance.id Kafka"
                                + " property wins.")
                .define(
                        MASK_SIZE,
                        Type.STRING,
                        "model",
                        Check.text(
                                "model, frame or WIDTHxHEIGHT, e.g. 640x360",
                                v -> MaskSize.parse(v.trim()) != null),
                        Importance.MEDIUM,
                        "The size of the class map in each mask event: model (the model's input"
                                + " size: the cheapest, and what the network resolves), frame (the"
                                + " frame's own size: an upsample and a PNG at full size per frame)"
                                + " or WIDTHxHEIGHT.")
                .define(
                        MASK_MAX_BYTES,
                        Type.INT,
                        0,
                        Check.intAtLeast(0),
                        Importance.LOW,
                        "Largest mask event serve writes, in bytes; the frame of a larger one is"
                                + " dead-lettered (PROCESSING_ERROR) instead. 0: what the masks"
                                + " topic's max.message.bytes holds, read at start; a value the"
                                + " topic cannot hold is refused.")
                .define(
                        TOPIC_PARTITIONS,
                        Type.INT,
                        12,
                        Check.intAtLeast(1),
                        Importance.LOW,
                        "Partitions of the topics created when topics.create is true.")
                .define(
                        TOPIC_REPLICATION,
                        Type.INT,
                        1,
                        Check.between(1, Short.MAX_VALUE),
                        Importance.LOW,
                        "Replication factor of the topics created when topics.create is true.")
                .define(
                        TOPICS_CREATE,
                        Type.BOOLEAN,
                        false,
                        Importance.LOW,
                        "Whether to create the frames, masks and dead-letter topics at startup, and"
                                + " with models.follow the models, model-assignments and"
                                + " model-errors topics.")
                .define(
                        CANVAS_SEEDED_ITERATIONS,
                        Type.INT,
                        DEFAULT_SEEDED_ITERATIONS,
                        Check.between(1, SegmentRequest.MAX_ITERATIONS),
                        Importance.MEDIUM,
                        "Iterations run on a frame seeded with its camera's previous canvas;"
                                + " a feed-forward model, which has no canvas, runs one pass.")
                .define(
                        CANVAS_FULL_ITERATIONS,
                        Type.STRING,
                        "",
                        Check.text(
                                "blank (the model's own) or an integer from 1 to "
                                        + SegmentRequest.MAX_ITERATIONS,
                                SettingDefinitions::isBlankOrIterations),
                        Importance.MEDIUM,
                        "Iterations run from a zero canvas (first frame, keyframe, any reset);"
                                + " blank for the model's own: iterationsTrained in its"
                                + " model.json, "
                                + DEFAULT_FULL_ITERATIONS
                                + " without it. A feed-forward model runs one pass whatever"
                                + " this says.")
                .define(
                        CANVAS_KEYFRAME_INTERVAL,
                        Type.INT,
                        0,
                        Check.intAtLeast(0),
                        Importance.LOW,
                        "Every N-th frame (by sequence) resets to a zero canvas; 0 turns keyframes"
                                + " off.")
                .define(
                        CANVAS_MAX_GAP_MS,
                        Type.LONG,
                        FrameOrder.DEFAULT_MAX_GAP_MS,
                        Check.atLeast(0),
                        Importance.LOW,
                        "A larger capture-time gap to the stored canvas resets it; 0 turns the"
                                + " check off.")
                .define(
                        CANVAS_SCENE_CUT_FRACTION,
                        Type.DOUBLE,
                        0.5,
                        new Check(
                                "a number between 0 and 1",
                                v -> (double) v >= 0 && (double) v <= 1),
                        Importance.LOW,
                        "A seeded mask disagreeing with the previous one on more than this"
                                + " fraction of canvas pixels is a scene cut and is recomputed"
                                + " from zero; 1 turns the check off.")
                .define(
                        LATENCY_BUDGET_MS,
                        Type.LONG,
                        0L,
                        Check.atLeast(0),
                        Importance.MEDIUM,
                        "A frame older than this on arrival (wall clock minus capture time) runs"
                                + " fewer seeded iterations, down to one; 0 turns the budget off.")
                .define(
                        PROCESSING_MODE,
                        Type.STRING,
                        ProcessingMode.EVERY_FRAME.value(),
                        Check.text(
                                "every-frame or latest-only",
                                v -> ProcessingMode.parse(v).isPresent()),
                        Importance.MEDIUM,
                        "every-frame segments every frame, in order; latest-only skips a frame"
                                + " that a newer frame of its camera superseded before it was"
                                + " segmented.")
                .define(
                        FRAME_MAX_BYTES,
                        Type.INT,
                        8 * 1024 * 1024,
                        Check.intAtLeast(1),
                        Importance.LOW,
                        "Largest accepted encoded image, in bytes.")
                .define(
                        DLQ_ORIGINAL_MAX_BYTES,
                        Type.INT,
                        0,
                        Check.intAtLeast(0),
                        Importance.LOW,
                        "Largest original record a dead letter carries, in bytes; a larger one is"
                                + " dead-lettered with its topic, partition and offset only. 0: "
                                + FRAME_MAX_BYTES
                                + ", lowered at start to what the dead-letter topic's"
                                + " max.message.bytes holds; a value the topic cannot hold is"
                                + " refused.")
                .define(
                        FRAME_MAX_PIXELS,
                        Type.LONG,
                        4096L * 4096L,
                        Check.atLeast(1),
                        Importance.LOW,
                        "Largest accepted image area, width times height, checked before"
                                + " decoding.")
                .define(
                        CAMERA_ID_MAX_LENGTH,
                        Type.INT,
                        256,
                        Check.intAtLeast(1),
                        Importance.LOW,
                        "Longest accepted camera id, in characters.")
                .define(
                        STATE_DIR,
                        Type.STRING,
                        Path.of(System.getProperty("java.io.tmpdir"), "kafka-streams").toString(),
                        nonBlank,
                        Importance.HIGH,
                        "Directory of the RocksDB state stores (the canvases); keep it on a"
                                + " persistent volume so that a restart need not restore them.")
                .define(
                        NUM_STREAM_THREADS,
                        Type.INT,
                        1,
                        Check.between(1, MAX_STREAM_THREADS),
                        Importance.MEDIUM,
                        "Stream threads of this instance; each has its own segmenter (a model in"
                                + " memory). A thread works one partition of the frames topic at"
                                + " least, so more threads than its partitions stay idle (serve"
                                + " warns at start); more than "
                                + MAX_STREAM_THREADS
                                + " are refused.")
                .define(
                        NUM_STANDBY_REPLICAS,
                        Type.INT,
                        0,
                        Check.intAtLeast(0),
                        Importance.LOW,
                        "Warm standby copies of each canvas store on other instances.")
                .define(
                        PROCESSING_GUARANTEE,
                        Type.STRING,
                        StreamsConfig.EXACTLY_ONCE_V2,
                        Check.text(
                                StreamsConfig.EXACTLY_ONCE_V2
                                        + " or "
                                        + StreamsConfig.AT_LEAST_ONCE,
                                v ->
                                        v.equals(StreamsConfig.EXACTLY_ONCE_V2)
                                                || v.equals(StreamsConfig.AT_LEAST_ONCE)),
                        Importance.MEDIUM,
                        "Kafka Streams' processing guarantee: with exactly_once_v2 each frame's"
                                + " mask and canvas are written once; with at_least_once a crash"
                                + " may write a mask twice, or lose the mask of a frame whose"
                                + " canvas was stored before the mask was sent (the frame, read"
                                + " again, is then taken for a duplicate).")
                .define(
                        HTTP_PORT,
                        Type.INT,
                        8080,
                        new Check(
                                "a port between 0 and 65535",
                                v -> (int) v >= 0 && (int) v <= 65535),
                        Importance.LOW,
                        "Port of the /metrics, /health and /cameras HTTP endpoints; 0 picks a"
                                + " free port.")
                .define(
                        HTTP_HOST,
                        Type.STRING,
                        OpsHttpServer.EVERY_INTERFACE,
                        nonBlank,
                        Importance.LOW,
                        "Address the /metrics, /health and /cameras HTTP endpoints listen on,"
                                + " without authentication: 0.0.0.0 (or ::) for every interface,"
                                + " IPv4 and IPv6, as a Kubernetes probe or Prometheus needs;"
                                + " 127.0.0.1 for this host only, as a program that embeds"
                                + " CanvasFlow may want.");
    }

    private static boolean isDevice(String value) {
        try {
            DeviceChoice.parse(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Blank, or iterations a segment request takes: a larger count dead-letters every frame. */
    private static boolean isBlankOrIterations(String value) {
        if (value.isBlank()) {
            return true;
        }
        try {
            int iterations = Integer.parseInt(value.trim());
            return iterations >= 1 && iterations <= SegmentRequest.MAX_ITERATIONS;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
