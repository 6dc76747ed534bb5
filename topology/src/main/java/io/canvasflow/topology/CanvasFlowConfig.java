package io.canvasflow.topology;

import io.canvasflow.model.DefaultModels;
import io.canvasflow.model.DeviceChoice;
import io.canvasflow.schemas.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
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
     * {@code models/rnn} under the CanvasFlow home, else under the working directory.
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

    /** Partitions of the topics created when {@value #TOPICS_CREATE} is true. */
    public static final String TOPIC_PARTITIONS = "topic.partitions";

    /** Replication factor of the topics created when {@value #TOPICS_CREATE} is true. */
    public static final String TOPIC_REPLICATION = "topic.replication";

    /** Whether to create the frames, masks and dead-letter topics at startup. */
    public static final String TOPICS_CREATE = "topics.create";

    /** Iterations run on a frame seeded with its camera's previous canvas. */
    public static final String CANVAS_SEEDED_ITERATIONS = "canvas.seeded.iterations";

    /** Iterations run from a zero canvas (first frame, keyframe, any reset). */
    public static final String CANVAS_FULL_ITERATIONS = "canvas.full.iterations";

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

    private static final Map<String, String> DEFAULTS = defaultValues();

    private static final List<String> STREAMS_PREFIXES =
            List.of(
                    StreamsConfig.CONSUMER_PREFIX,
                    StreamsConfig.PRODUCER_PREFIX,
                    StreamsConfig.ADMIN_CLIENT_PREFIX,
                    StreamsConfig.MAIN_CONSUMER_PREFIX,
                    StreamsConfig.RESTORE_CONSUMER_PREFIX,
                    StreamsConfig.GLOBAL_CONSUMER_PREFIX,
                    StreamsConfig.TOPIC_PREFIX);

    private static final Set<String> KAFKA_NAMES = kafkaNames();

    private final Map<String, String> settings;
    private final Map<String, String> kafka;

    private final String bootstrapServers;
    private final String applicationId;
    private final Path modelDir;
    private final DeviceChoice modelDevice;
    private final String framesTopic;
    private final String masksTopic;
    private final String dlqTopic;
    private final int topicPartitions;
    private final short topicReplication;
    private final boolean topicsCreate;
    private final int seededIterations;
    private final int fullIterations;
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

    private CanvasFlowConfig(Map<String, String> settings, Map<String, String> kafka) {
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        this.kafka = Collections.unmodifiableMap(new LinkedHashMap<>(kafka));
        bootstrapServers = settings.get(BOOTSTRAP_SERVERS).trim();
        applicationId = nonBlank(APPLICATION_ID);
        modelDir = Path.of(nonBlank(MODEL_DIR));
        try {
            modelDevice = DeviceChoice.parse(settings.get(MODEL_DEVICE));
        } catch (IllegalArgumentException e) {
            throw invalid(MODEL_DEVICE, "one of auto, cpu, gpu");
        }
        framesTopic = nonBlank(TOPIC_FRAMES);
        masksTopic = nonBlank(TOPIC_MASKS);
        dlqTopic = nonBlank(TOPIC_DLQ);
        topicPartitions = intAtLeast(TOPIC_PARTITIONS, 1);
        topicReplication = (short) Math.min(intAtLeast(TOPIC_REPLICATION, 1), Short.MAX_VALUE);
        topicsCreate = bool(TOPICS_CREATE);
        seededIterations = intAtLeast(CANVAS_SEEDED_ITERATIONS, 1);
        fullIterations = intAtLeast(CANVAS_FULL_ITERATIONS, 1);
        keyframeInterval = intAtLeast(CANVAS_KEYFRAME_INTERVAL, 0);
        maxGapMs = longAtLeast(CANVAS_MAX_GAP_MS, 0);
        sceneCutFraction = fraction(CANVAS_SCENE_CUT_FRACTION);
        latencyBudgetMs = longAtLeast(LATENCY_BUDGET_MS, 0);
        processingMode = mode(PROCESSING_MODE);
        frameMaxBytes = intAtLeast(FRAME_MAX_BYTES, 1);
        frameMaxPixels = longAtLeast(FRAME_MAX_PIXELS, 1);
        cameraIdMaxLength = intAtLeast(CAMERA_ID_MAX_LENGTH, 1);
        stateDir = nonBlank(STATE_DIR);
        numStreamThreads = intAtLeast(NUM_STREAM_THREADS, 1);
        numStandbyReplicas = intAtLeast(NUM_STANDBY_REPLICAS, 0);
        processingGuarantee =
                oneOf(
                        PROCESSING_GUARANTEE,
                        StreamsConfig.EXACTLY_ONCE_V2,
                        StreamsConfig.AT_LEAST_ONCE);
        httpPort = intAtLeast(HTTP_PORT, 0);
        if (httpPort > 65535) {
            throw invalid(HTTP_PORT, "a port between 0 and 65535");
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
        Map<String, String> settings = new LinkedHashMap<>(DEFAULTS);
        Map<String, String> kafka = new LinkedHashMap<>();
        values.forEach((key, value) -> put(settings, kafka, key, value, "setting"));
        return new CanvasFlowConfig(settings, kafka);
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
        Map<String, String> settings = new LinkedHashMap<>(DEFAULTS);
        Map<String, String> kafka = new LinkedHashMap<>();
        if (file != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "cannot read the configuration file " + file + ": " + e.getMessage(), e);
            }
            for (String key : new TreeSet<>(properties.stringPropertyNames())) {
                put(settings, kafka, key, properties.getProperty(key), "key in " + file);
            }
        }
        String bootstrap = env.get(ENV_BOOTSTRAP_SERVERS);
        if (bootstrap != null && !bootstrap.isBlank()) {
            settings.put(BOOTSTRAP_SERVERS, bootstrap);
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) {
            if (e.getKey().startsWith(ENV_PREFIX)) {
                String key =
                        e.getKey()
                                .substring(ENV_PREFIX.length())
                                .toLowerCase(Locale.ROOT)
                                .replace('_', '.');
                // Other CANVASFLOW_ variables belong to launch scripts (CANVASFLOW_HEAP, ...).
                if (DEFAULTS.containsKey(key) || key.startsWith(KAFKA_PREFIX)) {
                    put(settings, kafka, key, e.getValue(), "environment variable " + e.getKey());
                }
            }
        }
        overrides.forEach((key, value) -> put(settings, kafka, key, value, "override"));
        return new CanvasFlowConfig(settings, kafka);
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
        Map<String, String> s = new LinkedHashMap<>(settings);
        Map<String, String> k = new LinkedHashMap<>(kafka);
        put(s, k, key, value, "setting");
        return new CanvasFlowConfig(s, k);
    }

    /**
     * Returns the names of the CanvasFlow settings.
     *
     * @return every setting name, in documentation order
     */
    public static Set<String> settingNames() {
        return DEFAULTS.keySet();
    }

    private static void put(
            Map<String, String> settings,
            Map<String, String> kafka,
            String key,
            String value,
            String source) {
        String name = key.trim();
        if (value == null) {
            throw new IllegalArgumentException(source + " '" + name + "' has no value");
        }
        String stripped =
                name.startsWith(KAFKA_PREFIX) ? name.substring(KAFKA_PREFIX.length()) : name;
        if (DEFAULTS.containsKey(stripped)) {
            settings.put(stripped, value.trim());
        } else if (name.startsWith(KAFKA_PREFIX) || isKafkaName(stripped)) {
            kafka.put(stripped, value);
        } else {
            throw new IllegalArgumentException(
                    "unknown "
                            + source
                            + " '"
                            + name
                            + "': expected a CanvasFlow setting ("
                            + String.join(", ", DEFAULTS.keySet())
                            + "), a Kafka client or Streams property, or a key prefixed '"
                            + KAFKA_PREFIX
                            + "'");
        }
    }

    private static boolean isKafkaName(String key) {
        return KAFKA_NAMES.contains(key) || STREAMS_PREFIXES.stream().anyMatch(key::startsWith);
    }

    private static Set<String> kafkaNames() {
        Set<String> names = new TreeSet<>();
        names.addAll(StreamsConfig.configDef().names());
        names.addAll(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return Collections.unmodifiableSet(names);
    }

    private static Map<String, String> defaultValues() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(BOOTSTRAP_SERVERS, "");
        d.put(APPLICATION_ID, "canvasflow");
        d.put(MODEL_DIR, DefaultModels.dir(DefaultModels.RNN).toString());
        d.put(MODEL_DEVICE, "auto");
        d.put(TOPIC_FRAMES, Topics.FRAMES.name());
        d.put(TOPIC_MASKS, Topics.MASKS.name());
        d.put(TOPIC_DLQ, Topics.FRAMES_DLQ.name());
        d.put(TOPIC_PARTITIONS, "4");
        d.put(TOPIC_REPLICATION, "1");
        d.put(TOPICS_CREATE, "false");
        d.put(CANVAS_SEEDED_ITERATIONS, "2");
        d.put(CANVAS_FULL_ITERATIONS, "6");
        d.put(CANVAS_KEYFRAME_INTERVAL, "0");
        d.put(CANVAS_MAX_GAP_MS, "2000");
        d.put(CANVAS_SCENE_CUT_FRACTION, "0.5");
        d.put(LATENCY_BUDGET_MS, "0");
        d.put(PROCESSING_MODE, ProcessingMode.EVERY_FRAME.value());
        d.put(FRAME_MAX_BYTES, Integer.toString(8 * 1024 * 1024));
        d.put(FRAME_MAX_PIXELS, Long.toString(4096L * 4096L));
        d.put(CAMERA_ID_MAX_LENGTH, "256");
        d.put(STATE_DIR, Path.of(System.getProperty("java.io.tmpdir"), "kafka-streams").toString());
        d.put(NUM_STREAM_THREADS, "1");
        d.put(NUM_STANDBY_REPLICAS, "0");
        d.put(PROCESSING_GUARANTEE, StreamsConfig.EXACTLY_ONCE_V2);
        d.put(HTTP_PORT, "8080");
        return Collections.unmodifiableMap(d);
    }

    private String nonBlank(String key) {
        String v = settings.get(key);
        if (v.isBlank()) {
            throw invalid(key, "a non-empty value");
        }
        return v;
    }

    private int intAtLeast(String key, int min) {
        long v = longAtLeast(key, min);
        if (v > Integer.MAX_VALUE) {
            throw invalid(key, "an integer of at most " + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    private long longAtLeast(String key, long min) {
        try {
            long v = Long.parseLong(settings.get(key));
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key, "an integer of at least " + min);
    }

    private double fraction(String key) {
        try {
            double v = Double.parseDouble(settings.get(key));
            if (v >= 0 && v <= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key, "a number between 0 and 1");
    }

    private boolean bool(String key) {
        String v = settings.get(key).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw invalid(key, "true or false");
        }
        return Boolean.parseBoolean(v);
    }

    private ProcessingMode mode(String key) {
        for (ProcessingMode m : ProcessingMode.values()) {
            if (m.value().equalsIgnoreCase(settings.get(key))) {
                return m;
            }
        }
        throw invalid(key, "every-frame or latest-only");
    }

    private String oneOf(String key, String... allowed) {
        for (String a : allowed) {
            if (a.equals(settings.get(key))) {
                return a;
            }
        }
        throw invalid(key, String.join(" or ", allowed));
    }

    private IllegalArgumentException invalid(String key, String expected) {
        return new IllegalArgumentException(
                "setting " + key + " must be " + expected + ", got '" + settings.get(key) + "'");
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

    /** {@value #MODEL_DIR}. */
    public Path modelDir() {
        return modelDir;
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

    /** {@value #CANVAS_FULL_ITERATIONS}. */
    public int fullIterations() {
        return fullIterations;
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
