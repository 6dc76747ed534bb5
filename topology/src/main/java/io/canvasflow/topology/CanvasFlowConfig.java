package io.canvasflow.topology;

import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.RecurrentSegmentationNet;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Every CanvasFlow setting, typed. The property names below are a public contract: deploy
 * manifests, {@code --config} files and {@code -D} flags use them. Each is defined once, with its
 * type, default, valid values and documentation, in Kafka's {@link ConfigDef} ({@link
 * #configDef()}; {@code docs/settings.md} is written from it); a configuration is made by a {@link
 * Builder}, which checks every value in {@code build()}.
 *
 * <p>Sources, later ones winning: the defaults, a Java properties file, the environment ({@code
 * CANVASFLOW_CANVAS_MAX_GAP_MS} sets {@code canvas.max.gap.ms}; {@code KAFKA_BOOTSTRAP_SERVERS}
 * sets {@code bootstrap.servers}), then command-line overrides.
 *
 * <p>Kafka client and Streams properties pass through unchanged, so that SASL, TLS and tuning need
 * no CanvasFlow setting: any key that is a Kafka Streams, producer, consumer or admin config name
 * (for example {@code security.protocol}, {@code sasl.jaas.config}), any key with a Streams client
 * prefix ({@code consumer.}, {@code producer.}, {@code admin.}, {@code main.consumer.}, {@code
 * restore.consumer.}, {@code global.consumer.}, {@code topic.}), and any key prefixed {@code
 * kafka.}, which is stripped ({@code kafka.sasl.mechanism} is {@code sasl.mechanism}; in the
 * environment {@code CANVASFLOW_KAFKA_SASL_MECHANISM}). Any other key is refused. Immutable.
 */
public final class CanvasFlowConfig {

    /** Kafka bootstrap servers, {@code host:port,...}; serve refuses to start without them. */
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";

    /** Kafka Streams application id: consumer group, internal topic and state prefix. */
    public static final String APPLICATION_ID = "application.id";

    /**
     * Directory of the model artifact; blank for none (models from the models topic). Default:
     * {@code models/rnn} under the CanvasFlow home ({@code canvasflow.home} or {@code
     * CANVASFLOW_HOME}, set by the launcher), which the Maven artifacts do not ship: a program that
     * embeds CanvasFlow sets it, or passes a model to {@link CanvasFlowApp#start(CanvasFlowConfig,
     * ModelSource)}.
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

    /** Whether to switch each camera to the model the assignments topic names. */
    public static final String MODELS_FOLLOW = "models.follow";

    /** How many models an instance keeps loaded at most (least recently used out). */
    public static final String MODELS_CACHE_SIZE = "models.cache.size";

    /** How long startup waits for a default model when none is at hand; 0 refuses at once. */
    public static final String MODELS_WAIT_MS = "models.wait.ms";

    /** Where models received from Kafka are written; blank for {@code STATE_DIR/model-cache}. */
    public static final String MODELS_CACHE_DIR = "models.cache.dir";

    /** How long serve waits at startup for the Kafka cluster to answer. */
    public static final String STARTUP_TIMEOUT_MS = "startup.timeout.ms";

    /** A camera whose masks come this long after capture is reported behind; 0 never. */
    public static final String LAG_WARN_MS = "lag.warn.ms";

    /** The size of each mask event's class map: {@code model}, {@code frame} or {@code WxH}. */
    public static final String MASK_SIZE = "mask.size";

    /** Static group membership id: {@code auto}, {@code none} or the id. */
    public static final String INSTANCE_ID = "instance.id";

    /** Partitions of the topics created when {@value #TOPICS_CREATE} is true. */
    public static final String TOPIC_PARTITIONS = "topic.partitions";

    /** Replication factor of the topics created when {@value #TOPICS_CREATE} is true. */
    public static final String TOPIC_REPLICATION = "topic.replication";

    /** Whether to create the frames, masks and dead-letter topics at startup. */
    public static final String TOPICS_CREATE = "topics.create";

    /** Iterations run on a frame seeded with its camera's previous canvas. */
    public static final String CANVAS_SEEDED_ITERATIONS = "canvas.seeded.iterations";

    /** Iterations from a zero canvas; blank for the model's own {@code iterationsTrained}. */
    public static final String CANVAS_FULL_ITERATIONS = "canvas.full.iterations";

    /** Default of {@value #CANVAS_SEEDED_ITERATIONS}: a seeded canvas needs a short refinement. */
    public static final int DEFAULT_SEEDED_ITERATIONS =
            RecurrentSegmentationNet.DEFAULT_SEEDED_ITERATIONS;

    /** Full iterations of a model whose model.json lacks {@code iterationsTrained}. */
    public static final int DEFAULT_FULL_ITERATIONS = RecurrentSegmentationNet.DEFAULT_ITERATIONS;

    /** Every N-th frame (by sequence) resets to a zero canvas; 0 turns keyframes off. */
    public static final String CANVAS_KEYFRAME_INTERVAL = "canvas.keyframe.interval";

    /** A larger capture-time gap to the stored canvas resets it; 0 turns the check off. */
    public static final String CANVAS_MAX_GAP_MS = "canvas.max.gap.ms";

    /** Share of changed canvas pixels that makes a scene cut; 1 turns the check off. */
    public static final String CANVAS_SCENE_CUT_FRACTION = "canvas.scene.cut.fraction";

    /** A frame older than this on arrival runs fewer seeded iterations; 0 turns it off. */
    public static final String LATENCY_BUDGET_MS = "latency.budget.ms";

    /** {@code every-frame} segments every frame; {@code latest-only} skips superseded frames. */
    public static final String PROCESSING_MODE = "processing.mode";

    /** Largest accepted encoded image, in bytes. */
    public static final String FRAME_MAX_BYTES = "frame.max.bytes";

    /** Largest original record a dead letter carries; 0 fits it to the dead-letter topic. */
    public static final String DLQ_ORIGINAL_MAX_BYTES = "dlq.original.max.bytes";

    /** Largest mask event serve writes; 0 fits it to the masks topic. */
    public static final String MASK_MAX_BYTES = "mask.max.bytes";

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

    /** Address those endpoints listen on: {@code 0.0.0.0} for every interface. */
    public static final String HTTP_HOST = "http.host";

    /** Prefix of Kafka properties passed through with the prefix removed. */
    public static final String KAFKA_PREFIX = "kafka.";

    /** Prefix of environment variables that set CanvasFlow settings. */
    public static final String ENV_PREFIX = "CANVASFLOW_";

    /** Environment variable that sets {@value #BOOTSTRAP_SERVERS}. */
    public static final String ENV_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";

    private final Map<String, String> settings;
    private final Map<String, String> kafka;
    private final Map<String, Object> values;
    private final Map<String, String> origins;
    private final Path modelDir;
    private final DeviceChoice modelDevice;
    private final OptionalInt fullIterations;
    private final ProcessingMode processingMode;
    private final Path modelsCacheDir;

    private CanvasFlowConfig(ConfigSources.Values sources) {
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(sources.settings()));
        this.kafka = Collections.unmodifiableMap(new LinkedHashMap<>(sources.kafka()));
        // Types and validity from the definitions; below, only what a string does not say.
        this.origins = Map.copyOf(sources.origins());
        this.values = SettingDefinitions.parse(settings, origins);
        String dir = string(MODEL_DIR);
        modelDir = dir.isEmpty() ? null : Path.of(dir);
        modelDevice = DeviceChoice.parse(string(MODEL_DEVICE));
        String full = string(CANVAS_FULL_ITERATIONS);
        fullIterations =
                full.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(full));
        processingMode = ProcessingMode.parse(string(PROCESSING_MODE)).orElseThrow();
        String cacheDir = string(MODELS_CACHE_DIR);
        modelsCacheDir =
                cacheDir.isEmpty() ? Path.of(stateDir(), "model-cache") : Path.of(cacheDir);
    }

    /**
     * Kafka's definition of every CanvasFlow setting: type, default, valid values, importance and
     * documentation (as {@link StreamsConfig#configDef()} is Kafka Streams').
     *
     * @return the definitions, in documentation order
     */
    public static ConfigDef configDef() {
        return SettingDefinitions.DEFINITION;
    }

    /**
     * Starts a configuration from the defaults.
     *
     * @return a builder: sources added to it win over earlier ones
     */
    public static Builder builder() {
        return new Builder(ConfigSources.defaults());
    }

    /**
     * Starts a configuration from this one.
     *
     * @return a builder holding these settings and Kafka properties
     */
    public Builder toBuilder() {
        return new Builder(new ConfigSources.Values(settings, kafka, origins));
    }

    /**
     * Builds a {@link CanvasFlowConfig} from its sources, later ones winning: the defaults (or the
     * configuration it started from), a Java properties file, the environment ({@code
     * CANVASFLOW_CANVAS_MAX_GAP_MS} sets {@code canvas.max.gap.ms}; {@code KAFKA_BOOTSTRAP_SERVERS}
     * sets {@code bootstrap.servers}), then single settings, in the order given. Every key and
     * value is checked in {@link #build()}.
     */
    public static final class Builder {
        private final ConfigSources.Values base;
        private Path file;
        private Map<String, String> environment = Map.of();
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder(ConfigSources.Values base) {
            this.base = base;
        }

        /**
         * Reads a Java properties file.
         *
         * @param file the file, or null for none
         * @return this builder
         */
        public Builder optFile(Path file) {
            this.file = file;
            return this;
        }

        /**
         * Reads the environment's {@code CANVASFLOW_*} and {@code KAFKA_BOOTSTRAP_SERVERS}
         * variables.
         *
         * @param environment the environment, usually {@link System#getenv()}
         * @return this builder
         */
        public Builder optEnvironment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /**
         * Sets a CanvasFlow setting or a Kafka property.
         *
         * @param key its name
         * @param value its value
         * @return this builder
         */
        public Builder opt(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /**
         * Sets CanvasFlow settings or Kafka properties.
         *
         * @param values by name
         * @return this builder
         */
        public Builder opt(Map<String, String> values) {
            overrides.putAll(values);
            return this;
        }

        /**
         * Checks every key and value and builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException with one sentence naming the unreadable file, the
         *     unknown key or the invalid value
         */
        public CanvasFlowConfig build() {
            return new CanvasFlowConfig(ConfigSources.load(base, file, environment, overrides));
        }
    }

    /**
     * Returns the defaults.
     *
     * @return a configuration with every setting at its default
     */
    public static CanvasFlowConfig defaults() {
        return builder().build();
    }

    /**
     * Builds a configuration from the defaults and some settings: {@code
     * builder().opt(values).build()}.
     *
     * @param values CanvasFlow settings and Kafka properties, by name
     * @return the configuration
     * @throws IllegalArgumentException naming the first unknown key or invalid value
     */
    public static CanvasFlowConfig fromMap(Map<String, String> values) {
        return builder().opt(values).build();
    }

    /**
     * Returns a copy with one more setting or Kafka property: {@code toBuilder().opt(key,
     * value).build()}.
     *
     * @param key a setting or Kafka property name
     * @param value its value
     * @return the new configuration
     * @throws IllegalArgumentException when the key is unknown or the value invalid
     */
    public CanvasFlowConfig with(String key, String value) {
        return toBuilder().opt(key, value).build();
    }

    /**
     * Returns the names of the CanvasFlow settings.
     *
     * @return every setting name, in documentation order
     */
    public static Set<String> settingNames() {
        return SettingDefinitions.DEFINITION.names();
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

    /**
     * Where each setting that is not at its default came from: {@code key in FILE}, {@code
     * environment variable NAME}, or {@code command line} (given one by one: {@code -D}, a flag, or
     * code).
     *
     * @return setting name to its source
     */
    public Map<String, String> origins() {
        return origins;
    }

    /** {@value #BOOTSTRAP_SERVERS}; empty when not set. */
    public String bootstrapServers() {
        return string(BOOTSTRAP_SERVERS);
    }

    /** {@value #APPLICATION_ID}. */
    public String applicationId() {
        return string(APPLICATION_ID);
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
        return string(TOPIC_FRAMES);
    }

    /** {@value #TOPIC_MASKS}. */
    public String masksTopic() {
        return string(TOPIC_MASKS);
    }

    /** {@value #TOPIC_DLQ}. */
    public String dlqTopic() {
        return string(TOPIC_DLQ);
    }

    /** {@value #TOPIC_MODELS}. */
    public String modelsTopic() {
        return string(TOPIC_MODELS);
    }

    /** {@value #TOPIC_MODEL_ASSIGNMENTS}. */
    public String modelAssignmentsTopic() {
        return string(TOPIC_MODEL_ASSIGNMENTS);
    }

    /** {@value #TOPIC_MODEL_ERRORS}. */
    public String modelErrorsTopic() {
        return string(TOPIC_MODEL_ERRORS);
    }

    /** {@value #MODELS_FOLLOW}. */
    public boolean modelsFollow() {
        return (Boolean) values.get(MODELS_FOLLOW);
    }

    /** {@value #MODELS_WAIT_MS}. */
    public long modelsWaitMs() {
        return (Long) values.get(MODELS_WAIT_MS);
    }

    /** {@value #MODELS_CACHE_SIZE}. */
    public int modelsCacheSize() {
        return (Integer) values.get(MODELS_CACHE_SIZE);
    }

    /** {@value #MODELS_CACHE_DIR}, or its default under the state directory. */
    public Path modelsCacheDir() {
        return modelsCacheDir;
    }

    /** {@value #LAG_WARN_MS}. */
    public long lagWarnMs() {
        return (Long) values.get(LAG_WARN_MS);
    }

    /** {@value #STARTUP_TIMEOUT_MS}. */
    public long startupTimeoutMs() {
        return (Long) values.get(STARTUP_TIMEOUT_MS);
    }

    /** {@value #TOPIC_PARTITIONS}. */
    public int topicPartitions() {
        return (Integer) values.get(TOPIC_PARTITIONS);
    }

    /** {@value #TOPIC_REPLICATION}. */
    public short topicReplication() {
        return ((Integer) values.get(TOPIC_REPLICATION)).shortValue();
    }

    /** {@value #TOPICS_CREATE}. */
    public boolean topicsCreate() {
        return (Boolean) values.get(TOPICS_CREATE);
    }

    /** {@value #CANVAS_SEEDED_ITERATIONS}. */
    public int seededIterations() {
        return (Integer) values.get(CANVAS_SEEDED_ITERATIONS);
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
        return (Integer) values.get(CANVAS_KEYFRAME_INTERVAL);
    }

    /** {@value #CANVAS_MAX_GAP_MS}; 0 when off. */
    public long maxGapMs() {
        return (Long) values.get(CANVAS_MAX_GAP_MS);
    }

    /** {@value #CANVAS_SCENE_CUT_FRACTION}. */
    public double sceneCutFraction() {
        return (Double) values.get(CANVAS_SCENE_CUT_FRACTION);
    }

    /** {@value #LATENCY_BUDGET_MS}; 0 when off. */
    public long latencyBudgetMs() {
        return (Long) values.get(LATENCY_BUDGET_MS);
    }

    /** {@value #PROCESSING_MODE}. */
    public ProcessingMode processingMode() {
        return processingMode;
    }

    /** {@value #FRAME_MAX_BYTES}. */
    public int frameMaxBytes() {
        return (Integer) values.get(FRAME_MAX_BYTES);
    }

    /**
     * {@value #DLQ_ORIGINAL_MAX_BYTES}, else {@value #FRAME_MAX_BYTES} ({@link DeadLetterRoom}).
     */
    public int dlqOriginalMaxBytes() {
        int set = (Integer) values.get(DLQ_ORIGINAL_MAX_BYTES);
        return set > 0 ? set : frameMaxBytes();
    }

    /** {@value #MASK_MAX_BYTES}; unbounded when 0 ({@link MaskRoom}). */
    public int maskMaxBytes() {
        int set = (Integer) values.get(MASK_MAX_BYTES);
        return set > 0 ? set : Integer.MAX_VALUE;
    }

    /** {@value #FRAME_MAX_PIXELS}. */
    public long frameMaxPixels() {
        return (Long) values.get(FRAME_MAX_PIXELS);
    }

    /** {@value #CAMERA_ID_MAX_LENGTH}. */
    public int cameraIdMaxLength() {
        return (Integer) values.get(CAMERA_ID_MAX_LENGTH);
    }

    /** {@value #STATE_DIR}. */
    public String stateDir() {
        return string(STATE_DIR);
    }

    /** {@value #NUM_STREAM_THREADS}. */
    public int numStreamThreads() {
        return (Integer) values.get(NUM_STREAM_THREADS);
    }

    /** {@value #NUM_STANDBY_REPLICAS}. */
    public int numStandbyReplicas() {
        return (Integer) values.get(NUM_STANDBY_REPLICAS);
    }

    /** {@value #PROCESSING_GUARANTEE}. */
    public String processingGuarantee() {
        return string(PROCESSING_GUARANTEE);
    }

    /** {@value #HTTP_PORT}. */
    public int httpPort() {
        return (Integer) values.get(HTTP_PORT);
    }

    /** {@value #HTTP_HOST}. */
    public String httpHost() {
        return string(HTTP_HOST);
    }

    private String string(String key) {
        return (String) values.get(key);
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>(settings);
        // Secrets stay out of logs.
        kafka.forEach(
                (k, v) -> shown.put(k, k.contains("password") || k.contains("jaas") ? "***" : v));
        return "CanvasFlowConfig" + shown;
    }
}
