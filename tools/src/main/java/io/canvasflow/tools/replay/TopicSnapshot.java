package io.canvasflow.tools.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A fixed offset range per partition of a topic, taken once, so that every replay mode reads
 * exactly the same records even while producers keep appending. Records are read as raw bytes,
 * partition by partition, in offset order.
 */
public final class TopicSnapshot {

    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final Map<TopicPartition, long[]> ranges;

    private TopicSnapshot(String topic, Map<TopicPartition, long[]> ranges) {
        this.topic = topic;
        this.ranges = Collections.unmodifiableMap(new LinkedHashMap<>(ranges));
    }

    /**
     * Resolves a range of a topic to offsets.
     *
     * @param consumerConfig a consumer configuration without a group
     * @param topic the topic
     * @param range the records to take
     * @return the snapshot
     * @throws IllegalArgumentException when the topic does not exist
     */
    public static TopicSnapshot take(
            Map<String, Object> consumerConfig, String topic, FrameRange range) {
        try (KafkaConsumer<byte[], byte[]> consumer = bytesConsumer(consumerConfig)) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            } catch (TimeoutException e) {
                infos = List.of();
            }
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException(
                        "the topic "
                                + topic
                                + " does not exist at "
                                + consumerConfig.get("bootstrap.servers"));
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            partitions.sort(Comparator.comparingInt(TopicPartition::partition));
            return new TopicSnapshot(topic, range.resolve(consumer, partitions));
        }
    }

    /** The topic. */
    public String topic() {
        return topic;
    }

    /** The topic's partition count. */
    public int partitions() {
        return ranges.size();
    }

    /**
     * Reads every record of the snapshot.
     *
     * @param consumerConfig a consumer configuration without a group
     * @param handler called for each record, partition by partition in offset order
     * @param idle how long to wait for records that should be there before giving up
     * @return the records read
     * @throws IllegalStateException when the records stop coming before the end of the range
     */
    public long read(
            Map<String, Object> consumerConfig,
            Consumer<ConsumerRecord<byte[], byte[]>> handler,
            Duration idle) {
        return read(consumerConfig, Long.MAX_VALUE, handler, idle);
    }

    /**
     * Reads the first records of the snapshot, at most {@code count} of each partition, and returns
     * the first {@code count} of them in record timestamp order, as a live topic would have
     * delivered them.
     *
     * @param consumerConfig a consumer configuration without a group
     * @param count how many records
     * @param idle how long to wait for records that should be there
     * @return up to {@code count} records
     */
    public List<ConsumerRecord<byte[], byte[]>> head(
            Map<String, Object> consumerConfig, int count, Duration idle) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        read(consumerConfig, count, records::add, idle);
        records.sort(
                Comparator.comparingLong(ConsumerRecord<byte[], byte[]>::timestamp)
                        .thenComparingInt(ConsumerRecord::partition)
                        .thenComparingLong(ConsumerRecord::offset));
        return new ArrayList<>(records.subList(0, Math.min(count, records.size())));
    }

    private long read(
            Map<String, Object> consumerConfig,
            long perPartitionLimit,
            Consumer<ConsumerRecord<byte[], byte[]>> handler,
            Duration idle) {
        Map<TopicPartition, Long> taken = new HashMap<>();
        List<TopicPartition> pending = new ArrayList<>();
        ranges.forEach(
                (tp, r) -> {
                    if (r[1] > r[0]) {
                        pending.add(tp);
                    }
                });
        if (pending.isEmpty()) {
            return 0;
        }
        long read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = bytesConsumer(consumerConfig)) {
            consumer.assign(pending);
            pending.forEach(tp -> consumer.seek(tp, ranges.get(tp)[0]));
            long lastProgress = System.nanoTime();
            while (!pending.isEmpty()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                for (TopicPartition tp : records.partitions()) {
                    long end = ranges.get(tp)[1];
                    for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                        long n = taken.getOrDefault(tp, 0L);
                        if (record.offset() < end && n < perPartitionLimit) {
                            handler.accept(record);
                            taken.put(tp, n + 1);
                            read++;
                        }
                    }
                }
                if (!records.isEmpty()) {
                    lastProgress = System.nanoTime();
                }
                List<TopicPartition> done = new ArrayList<>();
                for (TopicPartition tp : pending) {
                    if (consumer.position(tp) >= ranges.get(tp)[1]
                            || taken.getOrDefault(tp, 0L) >= perPartitionLimit) {
                        done.add(tp);
                    }
                }
                if (!done.isEmpty()) {
                    consumer.pause(done);
                    pending.removeAll(done);
                }
                if (!pending.isEmpty() && System.nanoTime() - lastProgress > idle.toNanos()) {
                    throw new IllegalStateException(
                            "no records came from "
                                    + pending
                                    + " for "
                                    + idle.toSeconds()
                                    + " s although the range is not read to its end");
                }
            }
        }
        return read;
    }

    private static KafkaConsumer<byte[], byte[]> bytesConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(
                config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
