package io.canvasflow.topology;

import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.RecurrentSegmentationNet;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Every CanvasFlow setting, with its default. The property names below are a public contract:
 * deploy manifests, {@code --config} files and {@code -D} flags use them.
 *
 * <p>Sources, later ones winning: the defaults here, a Java properties file, the environment
 * ({@code CANVASFLOW_CANVAS_MAX_GAP_MS} sets {@code canvas.max.gap.ms}; {@code
 * KAFKA_BOOTSTRAP_SERVERS} sets {@code bootstrap.servers}), then command-line overrides.
 *
 * <p>Kafka client and Streams properties pass through unchanged, so that SASL, TLS and tuning need
 * no CanvasFlow setting: any key that is a Kafka Streams, producer, consumer or admin config name
 * (for example {@code security.protocol}, {@code sasl.jaas.config}), any key with a Streams client
 * prefix ({@code consumer.}, {@code producer.}, {@code admin.}, {@code main.consumer.}, {@code
 * restore.consumer.}, {@code global.consumer.}, {@code topic.}), and any key prefixed {@code
 * kafka.}, which is stripped ({@code kafka.sasl.mechanism} is {@code sasl.mechanism}; in the
 * environment {@code CANVASFLOW_KAFKA_SASL_MECHANISM}). Any other key is refused with a sentence
 * that names it, so that a typo is not silently ignored. Immutable.
 */
public final class CanvasFlowConfig {

    /**
     * Kafka bootstrap servers, {@code host:port,...}; no default ({@code serve} then starts an
     * in-process broker).
     */
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";

    /** Kafka Streams application id: consumer group, internal topic and state prefix. */
    public static final String APPLICATION_ID = "application.id";

    /**
     * Directory of the model artifact ({@code model.json} and parameters); by default the shipped
     * {@code models/rnn} under the CanvasFlow home, else under the working directory. Blank for
     * none: every camera's model then comes from the models topic.
     */
    public static final String MODEL_DIR = "model.dir";

    /** Where the model runs: {@code auto | cpu | gpu}. */
    public static final String MODEL_DEVICE = "model.device";

    /** Name of the input topic of frames. */
    public static final String TOPIC_FRAMES = "topic.frames";

    /** Name of the output topic of mask events. */
    public static final String TOPIC_MASKS = "topic.masks";

    /** Name of the dead-letter topic. */
    public static final String TOPIC_DLQ = "topic.dlq";

    /** Name of the compacted topic of published models (see {@code canvasflow models}). */
    public static final String TOPIC_MODELS = "topic.models";

    /** Name of the compacted topic of model assignments. */
    public static final String TOPIC_MODEL_ASSIGNMENTS = "topic.model.assignments";

    /** Name of the topic where an instance reports a model it refused. */
    public static final String TOPIC_MODEL_ERRORS = "topic.model.errors";

    /**
     * Whether to follow the models and assignments topics, switching each camera to its assigned
     * model without a restart; {@value #MODEL_DIR} is then the model of unassigned cameras.
     */
    public static final String MODELS_FOLLOW = "models.follow";

    /** How many models an instance keeps loaded at most (least recently used out). */
    public static final String MODELS_CACHE_SIZE = "models.cache.size";

    /** Where models received from Kafka are written; blank for {@code STATE_DIR/model-cache}. */
    public static final String MODELS_CACHE_DIR = "models.cache.dir";

    /**
     * How long serve waits at startup for the Kafka cluster to answer before it says so and exits.
     */
    public static final String STARTUP_TIMEOUT_MS = "startup.timeout.ms";

    /**
     * A camera whose masks come this long after its frames' capture is reported behind (a WARN per
     * camera per minute, naming the remedies); 0 for never.
     */
    public static final String LAG_WARN_MS = "lag.warn.ms";

    /**
     * The size of the class map in each mask event: {@code model} (the model's input size, the
     * default: the cheapest, and what the network resolves), {@code frame} (the frame's own size:
     * an upsample and a PNG at full size per frame) or {@code WxH}.
     */
    public static final String MASK_SIZE = "mask.size";

    /**
     * This instance's static group membership id ({@code group.instance.id}): {@code auto} (the
     * default) for the host name and the state directory, so that a restarted instance takes its
     * own partitions back at once instead of waiting for its old session to time out; {@code none}
     * for dynamic membership; anything else is the id. A {@code group.instance.id} Kafka property
     * wins.
     */
    public static final String INSTANCE_ID = "instance.id";

    /** Partitions of the topics created when {@value #TOPICS_CREATE} is true. */
    public static final String TOPIC_PARTITIONS = "topic.partitions";

    /** Replication factor of the topics created when {@value #TOPICS_CREATE} is true. */
    public static final String TOPIC_REPLICATION = "topic.replication";

    /** Whether to create the frames, masks and dead-letter topics at startup. */
    public static final String TOPICS_CREATE = "topics.create";

    /** Iterations run on a frame seeded with its camera's previous canvas. */
    public static final String CANVAS_SEEDED_ITERATIONS = "canvas.seeded.iterations";

    /**
     * Iterations run from a zero canvas (first frame, keyframe, any reset); blank, the default, for
     * the model's own ({@link ModelSpec#defaultFullIterations()}: {@code iterationsTrained} in its
     * model.json), so that each model runs what it was trained for.
     */
    public static final String CANVAS_FULL_ITERATIONS = "canvas.full.iterations";

    /**
     * Default of {@value #CANVAS_SEEDED_ITERATIONS}, the one place it is spelled: a seeded canvas
     * needs only a short refinement.
     */
    public static final int DEFAULT_SEEDED_ITERATIONS = 2;

    /**
     * The full iterations of a model whose model.json does not record {@code iterationsTrained}:
     * the recurrent network's own default (see {@link ModelSpec#defaultFullIterations()}).
     */
    public static final int DEFAULT_FULL_ITERATIONS = RecurrentSegmentationNet.DEFAULT_ITERATIONS;

    /** Every N-th frame (by sequence) resets to a zero canvas; 0 turns keyframes off. */
    public static final String CANVAS_KEYFRAME_INTERVAL = "canvas.keyframe.interval";

    /** A larger capture-time gap to the stored canvas resets it; 0 turns the check off. */
    public static final String CANVAS_MAX_GAP_MS = "canvas.max.gap.ms";

    /**
     * A seeded mask disagreeing with the previous one on more than this fraction of canvas pixels
     * is a scene cut and is recomputed from zero; 1 turns the check off.
     */
    public static final String CANVAS_SCENE_CUT_FRACTION = "canvas.scene.cut.fraction";

    /**
     * A frame older than this on arrival (wall clock minus capture time) runs fewer seeded
     * iterations, down to one; 0 turns the budget off.
     */
    public static final String LATENCY_BUDGET_MS = "latency.budget.ms";

    /** {@code every-frame} segments every frame; {@code latest-only} skips superseded frames. */
    public static final String PROCESSING_MODE = "processing.mode";

    /** Largest accepted encoded image, in bytes. */
    public static final String FRAME_MAX_BYTES = "frame.max.bytes";

    /** Largest accepted image area, width times height, checked before decoding. */
    public static final String FRAME_MAX_PIXELS = "frame.max.pixels";

    /** Longest accepted camera id, in characters. */
    public static final String CAMERA_ID_MAX_LENGTH = "camera.id.max.length";

    /** Directory of the RocksDB state stores. */
    public static final String STATE_DIR = "state.dir";

    /** Stream threads of this instance; each has its own segmenter. */
    public static final String NUM_STREAM_THREADS = "num.stream.threads";

    /** Warm standby copies of each canvas store on other instances. */
    public static final String NUM_STANDBY_REPLICAS = "num.standby.replicas";

    /** {@code exactly_once_v2} or {@code at_least_once}. */
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";

    /** Port of the {@code /metrics} and {@code /health} HTTP endpoints; 0 picks a free port. */
    public static final String HTTP_PORT = "http.port";

    /** Prefix of Kafka properties passed through with the prefix removed. */
    public static final String KAFKA_PREFIX = "kafka.";

    /** Prefix of environment variables that set CanvasFlow settings. */
    public static final String ENV_PREFIX = "CANVASFLOW_";

    /** Environment variable that sets {@value #BOOTSTRAP_SERVERS}. */
    public static final String ENV_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";

    /** How frames are scheduled onto the model. */
    public enum ProcessingMode {
        /** Every frame is segmented, in order. */
        EVERY_FRAME,
        /** A frame superseded by a newer frame of its camera before it is segmented is skipped. */
        LATEST_ONLY;

        /** The property value, {@code every-frame} or {@code latest-only}. */
        public String value() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Map<String, String> settings;
    private final Map<String, String> kafka;

    private final String bootstrapServers;
    private final String applicationId;
    private final Path modelDir;
    private final DeviceChoice modelDevice;
    private final String framesTopic;
    private final String masksTopic;
    private final String dlqTopic;
    private final String modelsTopic;
    private final String modelAssignmentsTopic;
    private final String modelErrorsTopic;
    private final boolean modelsFollow;
    private final int modelsCacheSize;
    private final Path modelsCacheDir;
    private final long startupTimeoutMs;
    private final long lagWarnMs;
    private final MaskSize maskSize;
    private final int topicPartitions;
    private final short topicReplication;
    private final boolean topicsCreate;
    private final int seededIterations;
    private final OptionalInt fullIterations;
    private final int keyframeInterval;
    private final long maxGapMs;
    private final double sceneCutFraction;
    private final long latencyBudgetMs;
    private final ProcessingMode processingMode;
    private final int frameMaxBytes;
    private final long frameMaxPixels;
    private final int cameraIdMaxLength;
    private final String stateDir;
    private final int numStreamThreads;
    private final int numStandbyReplicas;
    private final String processingGuarantee;
    private final int httpPort;

    private CanvasFlowConfig(ConfigSources.Values values) {
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(values.settings()));
        this.kafka = Collections.unmodifiableMap(new LinkedHashMap<>(values.kafka()));
        SettingParser p = new SettingParser(settings);
        bootstrapServers = settings.get(BOOTSTRAP_SERVERS).trim();
        applicationId = p.nonBlank(APPLICATION_ID);
        String dir = settings.get(MODEL_DIR).trim();
        modelDir = dir.isEmpty() ? null : Path.of(dir);
        try {
            modelDevice = DeviceChoice.parse(settings.get(MODEL_DEVICE));
        } catch (IllegalArgumentException e) {
            throw p.invalid(MODEL_DEVICE, "one of auto, cpu, gpu");
        }
        framesTopic = p.nonBlank(TOPIC_FRAMES);
        masksTopic = p.nonBlank(TOPIC_MASKS);
        dlqTopic = p.nonBlank(TOPIC_DLQ);
        modelsTopic = p.nonBlank(TOPIC_MODELS);
        modelAssignmentsTopic = p.nonBlank(TOPIC_MODEL_ASSIGNMENTS);
        modelErrorsTopic = p.nonBlank(TOPIC_MODEL_ERRORS);
        modelsFollow = p.bool(MODELS_FOLLOW);
        modelsCacheSize = p.intAtLeast(MODELS_CACHE_SIZE, 1);
        startupTimeoutMs = p.longAtLeast(STARTUP_TIMEOUT_MS, 100);
        lagWarnMs = p.longAtLeast(LAG_WARN_MS, 0);
        maskSize = MaskSize.parse(settings.get(MASK_SIZE).trim());
        if (maskSize == null) {
            throw p.invalid(MASK_SIZE, "model, frame or WIDTHxHEIGHT, e.g. 640x360");
        }
        topicPartitions = p.intAtLeast(TOPIC_PARTITIONS, 1);
        topicReplication = (short) Math.min(p.intAtLeast(TOPIC_REPLICATION, 1), Short.MAX_VALUE);
        topicsCreate = p.bool(TOPICS_CREATE);
        seededIterations = p.intAtLeast(CANVAS_SEEDED_ITERATIONS, 1);
        fullIterations =
                settings.get(CANVAS_FULL_ITERATIONS).isBlank()
                        ? OptionalInt.empty()
                        : OptionalInt.of(p.intAtLeast(CANVAS_FULL_ITERATIONS, 1));
        keyframeInterval = p.intAtLeast(CANVAS_KEYFRAME_INTERVAL, 0);
        maxGapMs = p.longAtLeast(CANVAS_MAX_GAP_MS, 0);
        sceneCutFraction = p.fraction(CANVAS_SCENE_CUT_FRACTION);
        latencyBudgetMs = p.longAtLeast(LATENCY_BUDGET_MS, 0);
        processingMode = p.mode(PROCESSING_MODE);
        frameMaxBytes = p.intAtLeast(FRAME_MAX_BYTES, 1);
        frameMaxPixels = p.longAtLeast(FRAME_MAX_PIXELS, 1);
        cameraIdMaxLength = p.intAtLeast(CAMERA_ID_MAX_LENGTH, 1);
        stateDir = p.nonBlank(STATE_DIR);
        String cacheDir = settings.get(MODELS_CACHE_DIR).trim();
        modelsCacheDir = cacheDir.isEmpty() ? Path.of(stateDir, "model-cache") : Path.of(cacheDir);
        numStreamThreads = p.intAtLeast(NUM_STREAM_THREADS, 1);
        numStandbyReplicas = p.intAtLeast(NUM_STANDBY_REPLICAS, 0);
        processingGuarantee =
                p.oneOf(
                        PROCESSING_GUARANTEE,
                        StreamsConfig.EXACTLY_ONCE_V2,
                        StreamsConfig.AT_LEAST_ONCE);
        httpPort = p.intAtLeast(HTTP_PORT, 0);
        if (httpPort > 65535) {
            throw p.invalid(HTTP_PORT, "a port between 0 and 65535");
        }
    }

    /**
     * Returns the defaults.
     *
     * @return a configuration with every setting at its default
     */
    public static CanvasFlowConfig defaults() {
        return fromMap(Map.of());
    }

    /**
     * Builds a configuration from the defaults and some settings.
     *
     * @param values CanvasFlow settings and Kafka properties, by name
     * @return the configuration
     * @throws IllegalArgumentException naming the first unknown key or invalid value
     */
    public static CanvasFlowConfig fromMap(Map<String, String> values) {
        return new CanvasFlowConfig(ConfigSources.fromMap(values));
    }

    /**
     * Builds a configuration from the defaults, a properties file, the environment and overrides,
     * later sources winning.
     *
     * @param file a Java properties file, or null for none
     * @param env the environment, usually {@link System#getenv()}
     * @param overrides settings given on the command line
     * @return the configuration
     * @throws IllegalArgumentException with one sentence naming the unreadable file, unknown key or
     *     invalid value
     */
    public static CanvasFlowConfig load(
            Path file, Map<String, String> env, Map<String, String> overrides) {
        return new CanvasFlowConfig(ConfigSources.load(file, env, overrides));
    }

    /**
     * Returns a copy with one more setting or Kafka property.
     *
     * @param key a setting or Kafka property name
     * @param value its value
     * @return the new configuration
     * @throws IllegalArgumentException when the key is unknown or the value invalid
     */
    public CanvasFlowConfig with(String key, String value) {
        return new CanvasFlowConfig(ConfigSources.with(settings, kafka, key, value));
    }

    /**
     * Returns the names of the CanvasFlow settings.
     *
     * @return every setting name, in documentation order
     */
    public static Set<String> settingNames() {
        return ConfigSources.DEFAULTS.keySet();
    }

    /**
     * Returns every CanvasFlow setting as a string, defaults included.
     *
     * @return setting name to value
     */
    public Map<String, String> settings() {
        return settings;
    }

    /**
     * Returns the Kafka properties passed through, with any {@code kafka.} prefix removed.
     *
     * @return property name to value
     */
    public Map<String, String> kafkaProperties() {
        return kafka;
    }

    /** {@value #BOOTSTRAP_SERVERS}; empty when not set. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** {@value #APPLICATION_ID}. */
    public String applicationId() {
        return applicationId;
    }

    /** {@value #MODEL_DIR}; null when set blank (models come from the models topic only). */
    public Path modelDir() {
        return modelDir;
    }

    /**
     * Whether {@value #MODEL_DIR} is the shipped default rather than set by the user: serve then
     * does without it when it is absent and the models topic assigns a default.
     */
    public boolean modelDirIsDefault() {
        return settings.get(MODEL_DIR).equals(ConfigSources.DEFAULTS.get(MODEL_DIR));
    }

    /** {@value #MODEL_DEVICE}. */
    public DeviceChoice modelDevice() {
        return modelDevice;
    }

    /** {@value #TOPIC_FRAMES}. */
    public String framesTopic() {
        return framesTopic;
    }

    /** {@value #TOPIC_MASKS}. */
    public String masksTopic() {
        return masksTopic;
    }

    /** {@value #TOPIC_DLQ}. */
    public String dlqTopic() {
        return dlqTopic;
    }

    /** {@value #TOPIC_MODELS}. */
    public String modelsTopic() {
        return modelsTopic;
    }

    /** {@value #TOPIC_MODEL_ASSIGNMENTS}. */
    public String modelAssignmentsTopic() {
        return modelAssignmentsTopic;
    }

    /** {@value #TOPIC_MODEL_ERRORS}. */
    public String modelErrorsTopic() {
        return modelErrorsTopic;
    }

    /** {@value #MODELS_FOLLOW}. */
    public boolean modelsFollow() {
        return modelsFollow;
    }

    /** {@value #MODELS_CACHE_SIZE}. */
    public int modelsCacheSize() {
        return modelsCacheSize;
    }

    /** {@value #MODELS_CACHE_DIR}, or its default under the state directory. */
    public Path modelsCacheDir() {
        return modelsCacheDir;
    }

    /**
     * {@value #MASK_SIZE} for a frame and a model.
     *
     * @return width and height of the class map
     */
    public int[] maskSize(int frameWidth, int frameHeight, int modelWidth, int modelHeight) {
        return maskSize.of(frameWidth, frameHeight, modelWidth, modelHeight);
    }

    /**
     * {@value #INSTANCE_ID}, resolved.
     *
     * @return the static membership id, or empty for dynamic membership
     */
    public java.util.Optional<String> staticInstanceId() {
        return StaticMembership.instanceId(settings.get(INSTANCE_ID), stateDir);
    }

    /** {@value #LAG_WARN_MS}. */
    public long lagWarnMs() {
        return lagWarnMs;
    }

    /** {@value #STARTUP_TIMEOUT_MS}. */
    public long startupTimeoutMs() {
        return startupTimeoutMs;
    }

    /** {@value #TOPIC_PARTITIONS}. */
    public int topicPartitions() {
        return topicPartitions;
    }

    /** {@value #TOPIC_REPLICATION}. */
    public short topicReplication() {
        return topicReplication;
    }

    /** {@value #TOPICS_CREATE}. */
    public boolean topicsCreate() {
        return topicsCreate;
    }

    /** {@value #CANVAS_SEEDED_ITERATIONS}. */
    public int seededIterations() {
        return seededIterations;
    }

    /** {@value #CANVAS_FULL_ITERATIONS} as set; empty when left to the model. */
    public OptionalInt fullIterations() {
        return fullIterations;
    }

    /**
     * The iterations a model runs from a zero canvas: {@value #CANVAS_FULL_ITERATIONS} when set,
     * else the model's own, from its model.json. The one place the two meet.
     *
     * @param model the model that segments the frame
     * @return a count of at least one
     */
    public int fullIterations(ModelSpec model) {
        return fullIterations.orElseGet(model::defaultFullIterations);
    }

    /** {@value #CANVAS_KEYFRAME_INTERVAL}; 0 when off. */
    public int keyframeInterval() {
        return keyframeInterval;
    }

    /** {@value #CANVAS_MAX_GAP_MS}; 0 when off. */
    public long maxGapMs() {
        return maxGapMs;
    }

    /** {@value #CANVAS_SCENE_CUT_FRACTION}. */
    public double sceneCutFraction() {
        return sceneCutFraction;
    }

    /** {@value #LATENCY_BUDGET_MS}; 0 when off. */
    public long latencyBudgetMs() {
        return latencyBudgetMs;
    }

    /** {@value #PROCESSING_MODE}. */
    public ProcessingMode processingMode() {
        return processingMode;
    }

    /** {@value #FRAME_MAX_BYTES}. */
    public int frameMaxBytes() {
        return frameMaxBytes;
    }

    /** {@value #FRAME_MAX_PIXELS}. */
    public long frameMaxPixels() {
        return frameMaxPixels;
    }

    /** {@value #CAMERA_ID_MAX_LENGTH}. */
    public int cameraIdMaxLength() {
        return cameraIdMaxLength;
    }

    /** {@value #STATE_DIR}. */
    public String stateDir() {
        return stateDir;
    }

    /** {@value #NUM_STREAM_THREADS}. */
    public int numStreamThreads() {
        return numStreamThreads;
    }

    /** {@value #NUM_STANDBY_REPLICAS}. */
    public int numStandbyReplicas() {
        return numStandbyReplicas;
    }

    /** {@value #PROCESSING_GUARANTEE}. */
    public String processingGuarantee() {
        return processingGuarantee;
    }

    /** {@value #HTTP_PORT}. */
    public int httpPort() {
        return httpPort;
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>(settings);
        kafka.keySet()
                .forEach(
                        k ->
                                shown.put(
                                        k,
                                        k.contains("password") || k.contains("jaas")
                                                ? "***"
                                                : kafka.get(k)));
        return "CanvasFlowConfig" + shown;
    }
}
