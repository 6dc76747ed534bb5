package io.canvasflow.trainer.data;

import io.canvasflow.schemas.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * One pass over a whole topic, as it is when the scan opens: every partition from its beginning to
 * the end offsets of that moment, committed records only, no consumer group.
 *
 * @param <V> the value type
 */
public final class TopicScan<V> implements AutoCloseable {

    private final KafkaConsumer<String, V> consumer;
    private final Map<TopicPartition, Long> end;

    private TopicScan(KafkaConsumer<String, V> consumer, Map<TopicPartition, Long> end) {
        this.consumer = consumer;
        this.end = end;
    }

    /**
     * Opens the scan.
     *
     * @param kafka the cluster's client configuration: {@code bootstrap.servers} and any security
     *     settings, which win over the scan's own consumer settings
     * @param topic the topic
     * @throws DatasetException naming the topic and cluster when the topic does not exist or the
     *     cluster cannot be reached
     */
    public static <V> TopicScan<V> open(Map<String, String> kafka, Topic<String, V> topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        config.putAll(kafka);
        String bootstrapServers = kafka.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        KafkaConsumer<String, V> consumer;
        try {
            consumer =
                    new KafkaConsumer<>(
                            config,
                            topic.keySerde().deserializer(),
                            topic.valueSerde().deserializer());
        } catch (KafkaException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new DatasetException(
                    "Could not create a Kafka consumer for "
                            + bootstrapServers
                            + ": "
                            + cause.getMessage(),
                    e);
        }
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name());
            if (infos == null || infos.isEmpty()) {
                throw new DatasetException(
                        "Topic " + topic.name() + " does not exist on " + bootstrapServers);
            }
            List<TopicPartition> partitions =
                    infos.stream()
                            .map(p -> new TopicPartition(topic.name(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return new TopicScan<>(consumer, consumer.endOffsets(partitions));
        } catch (KafkaException e) {
            consumer.close();
            throw new DatasetException(
                    "Could not read topic "
                            + topic.name()
                            + " from "
                            + bootstrapServers
                            + ": "
                            + e.getMessage(),
                    e);
        } catch (DatasetException e) {
            consumer.close();
            throw e;
        }
    }

    /** Whether every partition has been read up to the end offsets of the scan's start. */
    public boolean atEnd() {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The next records, waiting at most {@code timeout}. */
    public ConsumerRecords<String, V> poll(Duration timeout) {
        return consumer.poll(timeout);
    }

    /** The end offsets the scan reads up to. */
    public Map<TopicPartition, Long> endOffsets() {
        return end;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
