package io.canvasflow.clients;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a {@link MaskFollower}'s consumer starts: its configuration, then a subscription (with a
 * group) or every partition assigned and sought to the beginning, or to the end of the masks and a
 * little into the past of the frames ({@link MaskFollower#FRAME_LOOKBACK}) when following live.
 *
 * @param bootstrapServers the Kafka bootstrap servers, for messages
 * @param masksTopic the masks topic
 * @param framesTopic the frames topic to read too, or null when no overlays are drawn
 * @param groupId the consumer group, or null to assign every partition
 * @param fromBeginning whether to start at the earliest offsets
 * @param stopping true once the follower is asked to stop
 * @param clusterWait the longest wait for the cluster's first answer ({@link #clusterWait(Map)})
 */
record FollowerStart(
        String bootstrapServers,
        String masksTopic,
        String framesTopic,
        String groupId,
        boolean fromBeginning,
        BooleanSupplier stopping,
        Duration clusterWait) {

    private static final Logger LOG = LoggerFactory.getLogger(MaskFollower.class);
    private static final Duration FRAMES_WAIT = Duration.ofSeconds(10);

    /** The least time the cluster gets to answer, however little of the follower's is left. */
    private static final Duration MIN_CLUSTER_WAIT = Duration.ofSeconds(1);

    /** See {@link MaskFollower#consumerConfig}. */
    static Map<String, Object> consumerConfig(
            String bootstrapServers,
            String groupId,
            boolean fromBeginning,
            Map<String, ?> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "canvasflow-masks");
        config.put(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, FramePublisher.MAX_REQUEST_BYTES);
        if (groupId == null) {
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        } else {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            config.put(
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        }
        config.putAll(overrides);
        return config;
    }

    /**
     * Whether Kafka makes a consumer of this configuration, asked without a broker: types, ranges,
     * classes and combinations, as the consumer's constructor checks them. Commands ask before they
     * write or listen, so that a bad property is not found only once they have started.
     *
     * @param config the follower's configuration ({@link #consumerConfig})
     * @return one sentence, or null when Kafka takes it
     */
    static String consumerConfigProblem(Map<String, Object> config) {
        Map<String, Object> full = withDeserializers(config);
        try {
            new QuietConsumerConfig(full);
            return null;
        } catch (KafkaException e) {
            return ClientRefusal.sentence(full, e, ConsumerConfig.configDef(), "consumer");
        }
    }

    /**
     * How long a consumer of this configuration blocks at most on a call without a timeout of its
     * own ({@code default.api.timeout.ms}): the longest the follower waits for the cluster's first
     * answer.
     *
     * @param config a configuration Kafka takes ({@link #consumerConfigProblem} said null)
     * @return the time
     */
    static Duration clusterWait(Map<String, Object> config) {
        return Duration.ofMillis(
                new QuietConsumerConfig(withDeserializers(config))
                        .getInt(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG));
    }

    /** The follower hands the consumer its deserializers, which replace any configured ones. */
    private static Map<String, Object> withDeserializers(Map<String, Object> config) {
        Map<String, Object> full = new HashMap<>(config);
        full.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        full.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return full;
    }

    /** A consumer configuration parsed without logging every value at INFO. */
    private static final class QuietConsumerConfig extends ConsumerConfig {
        QuietConsumerConfig(Map<String, Object> config) {
            super(config, false);
        }
    }

    /**
     * Subscribes, or assigns every partition and seeks to where following starts, once the cluster
     * has answered; false when the masks topic did not appear before the deadline or a stop.
     *
     * @throws TimeoutException when the cluster did not answer ({@link #requireCluster})
     */
    boolean position(KafkaConsumer<String, byte[]> kafka, Deadline deadline) {
        requireCluster(kafka, deadline);
        List<String> topics = new ArrayList<>(List.of(masksTopic));
        if (framesTopic != null) {
            topics.add(framesTopic);
        }
        if (groupId != null) {
            kafka.subscribe(topics);
            return true;
        }
        List<TopicPartition> maskPartitions = partitions(kafka, masksTopic, deadline);
        if (maskPartitions.isEmpty()) {
            return false;
        }
        // Masks exist, so frames should too; do not wait long for a topic the masks do not need.
        Deadline framesDeadline =
                new Deadline(
                        System.nanoTime(),
                        Math.min(deadline.remainingNanos(), FRAMES_WAIT.toNanos()));
        List<TopicPartition> framePartitions =
                framesTopic == null ? List.of() : partitions(kafka, framesTopic, framesDeadline);
        List<TopicPartition> all = new ArrayList<>(maskPartitions);
        all.addAll(framePartitions);
        kafka.assign(all);
        if (fromBeginning) {
            kafka.seekToBeginning(all);
            return true;
        }
        kafka.seekToEnd(maskPartitions);
        if (!framePartitions.isEmpty()) {
            long since = System.currentTimeMillis() - MaskFollower.FRAME_LOOKBACK.toMillis();
            Map<TopicPartition, Long> query = new HashMap<>();
            framePartitions.forEach(p -> query.put(p, since));
            List<TopicPartition> atEnd = new ArrayList<>();
            for (Map.Entry<TopicPartition, OffsetAndTimestamp> e :
                    kafka.offsetsForTimes(query).entrySet()) {
                if (e.getValue() == null) {
                    atEnd.add(e.getKey());
                } else {
                    kafka.seek(e.getKey(), e.getValue().offset());
                }
            }
            kafka.seekToEnd(atEnd);
        }
        return true;
    }

    /**
     * Fails unless the cluster answers a metadata request within {@link #clusterWait}, or what is
     * left of the follower's time (a second at least): a follower of no cluster (nothing at the
     * address, or a broker its security settings do not reach) would otherwise wait for its topic
     * and end with no masks, as if none had come.
     */
    private void requireCluster(KafkaConsumer<String, byte[]> kafka, Deadline deadline) {
        long left = Math.max(MIN_CLUSTER_WAIT.toNanos(), deadline.remainingNanos());
        boolean byDuration = left < clusterWait.toNanos();
        try {
            kafka.listTopics(Duration.ofNanos(byDuration ? left : clusterWait.toNanos()));
        } catch (TimeoutException e) {
            Duration bound = byDuration ? Duration.ofNanos(deadline.nanos()) : clusterWait;
            throw new TimeoutException(
                    "no Kafka broker at "
                            + bootstrapServers
                            + " answered within "
                            + (byDuration
                                    ? "the follower's duration of "
                                    : ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG + " of ")
                            + (bound.toMillis() % 1000 == 0
                                    ? bound.toSeconds() + " s"
                                    : bound.toMillis() + " ms")
                            + "; check the bootstrap servers, that the cluster is up and the"
                            + " security settings",
                    e);
        }
    }

    /**
     * The topic's partitions, waiting for the topic to exist (or for the cluster, should it stop
     * answering) until the deadline or a stop.
     */
    private List<TopicPartition> partitions(
            KafkaConsumer<String, byte[]> kafka, String topic, Deadline deadline) {
        boolean loggedTopic = false;
        boolean loggedCluster = false;
        while (!stopping.getAsBoolean() && !deadline.passed()) {
            List<PartitionInfo> infos;
            try {
                infos = kafka.partitionsFor(topic, Duration.ofSeconds(2));
            } catch (TimeoutException e) {
                if (!loggedCluster) {
                    LOG.warn("Kafka at {} stopped answering; waiting for it", bootstrapServers);
                    loggedCluster = true;
                }
                infos = null;
            }
            if (infos != null && !infos.isEmpty()) {
                return infos.stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
            }
            if (infos != null && !loggedTopic) {
                LOG.info("waiting for the topic {} to exist at {}", topic, bootstrapServers);
                loggedTopic = true;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                // The caller sees the interrupt and stops.
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }

    /** A time limit measured from a start; {@code Long.MAX_VALUE} nanoseconds means none. */
    record Deadline(long startNanos, long nanos) {
        boolean passed() {
            return System.nanoTime() - startNanos >= nanos;
        }

        long remainingNanos() {
            return Math.max(0, nanos - (System.nanoTime() - startNanos));
        }
    }
}
