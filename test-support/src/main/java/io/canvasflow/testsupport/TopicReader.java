package io.canvasflow.testsupport;

import io.canvasflow.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a topic from the beginning, as the tests' one consume loop (Confluent's {@code
 * IntegrationTestUtils.waitUntilMinKeyValueRecordsReceived}): every partition, no consumer group,
 * {@code read_committed} (what a reader of an exactly-once application sees), until the expected
 * number of records has come or the timeout has passed, then a little longer so that a record too
 * many shows. The caller asserts on what comes back.
 */
public final class TopicReader {

    /** How long to go on reading after the expected count, for duplicates. */
    public static final Duration SETTLE = Duration.ofSeconds(1);

    private TopicReader() {}

    /**
     * Reads one of CanvasFlow's topics from the beginning, with its own deserializers.
     *
     * @param bootstrapServers the cluster
     * @param topic the topic, which must exist
     * @param expected how many records to wait for
     * @param timeout how long to wait for them at most
     * @return every record read, in the order read (per partition, offset order)
     */
    public static <K, V> List<ConsumerRecord<K, V>> readFromBeginning(
            String bootstrapServers, Topic<K, V> topic, int expected, Duration timeout) {
        return readFromBeginning(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                topic,
                expected,
                timeout);
    }

    /**
     * {@link #readFromBeginning(String, Topic, int, Duration)} with a client configuration: the
     * cluster and its security settings.
     *
     * @param client {@code bootstrap.servers} and any other consumer property
     * @param topic the topic, which must exist
     * @param expected how many records to wait for
     * @param timeout how long to wait for them at most
     * @return every record read, in the order read (per partition, offset order)
     */
    public static <K, V> List<ConsumerRecord<K, V>> readFromBeginning(
            Map<String, ?> client, Topic<K, V> topic, int expected, Duration timeout) {
        return readFromBeginning(
                client,
                topic.name(),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer(),
                expected,
                timeout);
    }

    /**
     * Reads {@code topic} from the beginning.
     *
     * @param bootstrapServers the cluster
     * @param topic the topic, which must exist
     * @param keys the key deserializer
     * @param values the value deserializer
     * @param expected how many records to wait for
     * @param timeout how long to wait for them at most
     * @return every record read, in the order read (per partition, offset order)
     */
    public static <K, V> List<ConsumerRecord<K, V>> readFromBeginning(
            String bootstrapServers,
            String topic,
            Deserializer<K> keys,
            Deserializer<V> values,
            int expected,
            Duration timeout) {
        return readFromBeginning(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                topic,
                keys,
                values,
                expected,
                timeout);
    }

    /**
     * {@link #readFromBeginning(String, String, Deserializer, Deserializer, int, Duration)} with a
     * client configuration: the cluster and its security settings.
     *
     * @param client {@code bootstrap.servers} and any other consumer property
     * @param topic the topic, which must exist
     * @param keys the key deserializer
     * @param values the value deserializer
     * @param expected how many records to wait for
     * @param timeout how long to wait for them at most
     * @return every record read, in the order read (per partition, offset order)
     */
    public static <K, V> List<ConsumerRecord<K, V>> readFromBeginning(
            Map<String, ?> client,
            String topic,
            Deserializer<K> keys,
            Deserializer<V> values,
            int expected,
            Duration timeout) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, keys, values)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, timeout).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            long settle = System.nanoTime() + SETTLE.toNanos();
            while (System.nanoTime() < settle) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
