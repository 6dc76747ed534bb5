package io.canvasflow.topology;

import io.canvasflow.schemas.Topic;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

/**
 * The CanvasFlow topology and its Streams configuration, as public static test seams:
 *
 * <pre>
 * frames-source ([topic.frames]) -> segment-processor (canvas-store[, pending store])
 *     -> masks-sink ([topic.masks]) | dead-letter-sink ([topic.dlq])
 * </pre>
 */
public final class CanvasFlowTopology {

    /**
     * Kafka's no-argument {@code new Topology()} builds a throwaway StreamsConfig from no settings,
     * which logs a WARN about {@code processing.exception.handler.global.enabled} on every start of
     * serve. These settings set only that flag (and the two a StreamsConfig requires, which a
     * topology does not use), so the topology overrides nothing the application's own settings say.
     */
    private static final TopologyConfig QUIET_TOPOLOGY_CONFIG =
            new TopologyConfig(
                    new StreamsConfig(
                            Map.of(
                                    StreamsConfig.APPLICATION_ID_CONFIG, "canvasflow",
                                    StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092",
                                    StreamsConfig
                                                    .PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG,
                                            true)));

    /** Name of the source node. */
    public static final String FRAMES_SOURCE = "frames-source";

    /** Name of the segmenting processor node. */
    public static final String SEGMENT_PROCESSOR = "segment-processor";

    /** Name of the masks sink node. */
    public static final String MASKS_SINK = "masks-sink";

    /** Name of the dead-letter sink node. */
    public static final String DLQ_SINK = "dead-letter-sink";

    /** Streams config key of the {@link CanvasFlowConfig} object the handlers read. */
    public static final String CONFIG_OBJECT = "canvasflow.config";

    /** Streams config key of the {@link CanvasFlowMetrics} object the handlers count into. */
    public static final String METRICS_OBJECT = "canvasflow.metrics";

    /** Room for the Avro envelope around the largest accepted image. */
    private static final int RECORD_OVERHEAD_BYTES = 1024 * 1024;

    private CanvasFlowTopology() {}

    /**
     * Builds the topology with a model per camera.
     *
     * @param config the settings
     * @param models which model segments which camera, shared by all stream threads
     * @param metrics where to count
     * @param clock the wall clock in epoch milliseconds
     * @return the topology
     */
    public static Topology buildTopology(
            CanvasFlowConfig config,
            ModelRouter models,
            CanvasFlowMetrics metrics,
            LongSupplier clock) {
        // Each processor's supplier declares the stores it uses (ProcessorSupplier.stores());
        // each task gets its own core, as the segmenter's per-camera maps are not thread-safe.
        Supplier<SegmentationCore> cores =
                () -> new SegmentationCore(config, models, metrics, clock);
        ProcessorSupplier<String, Frame, String, SpecificRecord> supplier =
                config.processingMode() == ProcessingMode.LATEST_ONLY
                        ? LatestOnlyProcessor.supplier(config, cores)
                        : SegmentProcessor.supplier(config, cores);
        Topology topology = new Topology(QUIET_TOPOLOGY_CONFIG);
        topology.addSource(
                FRAMES_SOURCE,
                Topics.FRAMES.keySerde().deserializer(),
                new TimedDeserializer<>(
                        Topics.FRAMES.valueSerde().deserializer(), metrics::deserialised),
                config.framesTopic());
        topology.addProcessor(SEGMENT_PROCESSOR, supplier, FRAMES_SOURCE);
        addSink(topology, MASKS_SINK, Topics.MASKS.withName(config.masksTopic()));
        addSink(topology, DLQ_SINK, Topics.FRAMES_DLQ.withName(config.dlqTopic()));
        return topology;
    }

    /** A sink of the segment processor into a topic, with the topic's serdes. */
    private static <K, V> void addSink(Topology topology, String name, Topic<K, V> topic) {
        topology.addSink(
                name,
                topic.name(),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer(),
                SEGMENT_PROCESSOR);
    }

    /**
     * The Kafka Streams configuration, counting handler metrics into the global registry.
     *
     * @param config the settings
     * @return Streams properties
     */
    public static Properties streamsConfig(CanvasFlowConfig config) {
        return streamsConfig(config, CanvasFlowMetrics.global());
    }

    /**
     * The Kafka Streams configuration: CanvasFlow's defaults that a user may replace (the
     * dead-letter producer's request size, {@link BoundedRocksDbConfig}), the passed-through Kafka
     * properties, then CanvasFlow's (application id, bootstrap servers, state directory, threads,
     * standby replicas, processing guarantee), the dead-letter topic and the three exception
     * handlers.
     *
     * @param config the settings
     * @param metrics where the exception handlers count
     * @return Streams properties
     */
    public static Properties streamsConfig(CanvasFlowConfig config, CanvasFlowMetrics metrics) {
        Properties props = new Properties();
        // A dead letter carries its frame: let one as large as the largest accepted frame through.
        Map<String, String> user = config.kafkaProperties();
        clientDefault(
                props,
                user,
                StreamsConfig.PRODUCER_PREFIX,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Integer.toString(maxMessageBytes(config)));
        // And the changelogs Kafka Streams creates take them too: latest-only's pending store
        // holds whole frames, and a broker's default limit (about 1 MB) refused a larger one
        // every time the thread that wrote it was replaced.
        props.put(
                StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG),
                Integer.toString(maxMessageBytes(config)));
        // Bounded RocksDB memory for the small, hot stores; kafka.rocksdb.config.setter replaces
        // it.
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class);
        // A killed instance's partitions wait for its session to time out before another takes
        // them: Kafka's 45 s default kept a restarted serve REBALANCING for about a minute. 10 s
        // (heartbeats every 3 s) still rides out a GC pause; kafka.session.timeout.ms replaces it.
        clientDefault(
                props,
                user,
                StreamsConfig.CONSUMER_PREFIX,
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                10_000);
        clientDefault(
                props,
                user,
                StreamsConfig.CONSUMER_PREFIX,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                3_000);
        // A frame takes 15-60 ms, not the microseconds Kafka's defaults assume. A stream thread
        // processes what one poll brought (up to 1,000 records) before it commits, and the open
        // transaction must commit within transaction.timeout.ms (10 s): measured with 512 cameras
        // on 512 partitions, a serve that started behind by 300 first frames (60 ms each) spent
        // 18 s on one poll's records, was fenced (InvalidProducerEpochException), rebalanced and
        // fell behind again, and no mask ever became readable. 20 records a poll keep a pass
        // to about a second; kafka.max.poll.records replaces it.
        clientDefault(
                props,
                user,
                StreamsConfig.CONSUMER_PREFIX,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                20);
        props.putAll(user);
        String instance = StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        if (!StaticMembership.setByKafka(config.kafkaProperties())) {
            StaticMembership.instanceId(
                            config.settings().get(CanvasFlowConfig.INSTANCE_ID), config.stateDir())
                    .ifPresent(id -> props.put(instance, id));
        }
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        if (!config.bootstrapServers().isBlank()) {
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        }
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.numStreamThreads());
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.numStandbyReplicas());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.dlqTopic());
        props.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class);
        props.put(
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterProcessingHandler.class);
        props.put(
                StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndFailProductionHandler.class);
        // No global stores today; set it so that one added later is covered too. Kafka Streams'
        // partition assignor builds its own StreamsConfig from the main consumer's settings, which
        // warns on every start unless the flag is there too.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(
                StreamsConfig.mainConsumerPrefix(
                        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
                true);
        props.put(CONFIG_OBJECT, config);
        props.put(METRICS_OBJECT, metrics);
        return props;
    }

    /**
     * Sets a default for Kafka Streams' consumers or producers under their prefix, unless the user
     * gave the property, prefixed or not. Kafka Streams lets a prefixed key win over the plain one,
     * so a default set only with the prefix beat the user's {@code session.timeout.ms=60000}.
     */
    private static void clientDefault(
            Properties props, Map<String, String> user, String prefix, String key, Object value) {
        if (!user.containsKey(key) && !user.containsKey(prefix + key)) {
            props.put(prefix + key, value);
        }
    }

    /**
     * Record size limit for the frames and dead-letter topics when CanvasFlow creates them.
     *
     * @param config the settings
     * @return {@code max.message.bytes} in bytes
     */
    static int maxMessageBytes(CanvasFlowConfig config) {
        return (int)
                Math.min(
                        Integer.MAX_VALUE,
                        (long) Math.max(config.frameMaxBytes(), config.dlqOriginalMaxBytes())
                                + RECORD_OVERHEAD_BYTES);
    }

    /**
     * The largest request serve's producer sends: {@code max.request.size}, ours unless the Kafka
     * property {@code producer.max.request.size} or a plain {@code max.request.size} replaces it,
     * as {@link #clientDefault} lets them (the prefixed one wins, as in Kafka Streams).
     *
     * @param config the settings
     * @return the size in bytes
     */
    static int producerMaxRequestSize(CanvasFlowConfig config) {
        Map<String, String> user = config.kafkaProperties();
        String set = user.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        if (set == null) {
            set = user.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        }
        return set == null ? maxMessageBytes(config) : Integer.parseInt(set.trim());
    }
}
