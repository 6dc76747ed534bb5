package io.canvasflow.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A fixed offset range per partition of a topic, taken once, so that every reader sees exactly the
 * same records even while producers keep appending: the whole topic as it is when taken ({@link
 * #WHOLE}), or a range other bounds resolve (replay's offsets and times). No consumer group is
 * used. Read it pushed, partition by partition in offset order ({@link #read}), or pulled ({@link
 * #open}) where the reader goes at its own pace (a labelling teacher).
 */
public final class TopicSnapshot {

    /** The longest a snapshot waits for a just-committed transaction's markers. */
    static final Duration MARKERS_WAIT = Duration.ofSeconds(2);

    /** Turns a range into offsets per partition. */
    @FunctionalInterface
    public interface Bounds {
        /**
         * Resolves the range as the topic is now.
         *
         * @param consumer a consumer connected to the cluster
         * @param partitions the topic's partitions
         * @return per partition, {@code {start, end}} with {@code start <= end}, end exclusive
         */
        Map<TopicPartition, long[]> resolve(
                org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
                List<TopicPartition> partitions);
    }

    /** Every record the topic has now: each partition from its beginning to its end offset. */
    public static final Bounds WHOLE =
            (consumer, partitions) -> {
                Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                Map<TopicPartition, long[]> ranges = new LinkedHashMap<>();
                partitions.forEach(tp -> ranges.put(tp, new long[] {begin.get(tp), end.get(tp)}));
                return ranges;
            };

    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final Map<TopicPartition, long[]> ranges;

    private TopicSnapshot(String topic, Map<TopicPartition, long[]> ranges) {
        this.topic = topic;
        this.ranges = Collections.unmodifiableMap(new LinkedHashMap<>(ranges));
    }

    /**
     * A consumer configuration for reading a snapshot of a frames topic: no group, committed
     * records only, fetches sized for frames, and timeouts that let a command fail within seconds;
     * the cluster's own settings ({@code bootstrap.servers}, security) win.
     *
     * @param cluster the cluster's client settings
     * @return a new map
     */
    public static Map<String, Object> consumerConfig(Map<String, ?> cluster) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        config.putAll(cluster);
        return config;
    }

    /**
     * Resolves a range of a topic to offsets. Asking never creates the topic, whatever the
     * cluster's {@code auto.create.topics.enable} says.
     *
     * @param consumerConfig a consumer configuration without a group
     * @param topic the topic
     * @param bounds the records to take, for example {@link #WHOLE}
     * @return the snapshot
     * @throws IllegalArgumentException in one sentence when the topic does not exist, or the
     *     cluster does not answer within the configuration's {@code default.api.timeout.ms}
     * @throws org.apache.kafka.common.KafkaException when the consumer cannot be made or the
     *     cluster refuses the request
     */
    public static TopicSnapshot take(
            Map<String, Object> consumerConfig, String topic, Bounds bounds) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        Object servers = config.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        try (KafkaConsumer<byte[], byte[]> consumer = bytesConsumer(config)) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic);
            } catch (TimeoutException e) {
                throw new IllegalArgumentException(
                        "the cluster at "
                                + servers
                                + " did not say in time whether the topic "
                                + topic
                                + " exists; check the address and the security settings",
                        e);
            }
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException(
                        "the topic " + topic + " does not exist at " + servers);
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            partitions.sort(Comparator.comparingInt(TopicPartition::partition));
            // Assigned, though never polled: a consumer asked for the offsets of partitions it is
            // not assigned logs a WARN per answer ("Not updating ... as it is no longer assigned")
            consumer.assign(partitions);
            awaitMarkers(consumer, config, partitions);
            return new TopicSnapshot(topic, bounds.resolve(consumer, partitions));
        }
    }

    /**
     * Waits, up to {@link #MARKERS_WAIT}, until the committed end of each partition reaches its
     * whole end: a transaction's commit returns before its markers are written to the partitions,
     * so a snapshot taken right after it (a {@code label} run, then {@code train}) could end before
     * its records. A transaction still open elsewhere keeps the two apart; the snapshot then ends
     * at the committed end, after the wait.
     */
    private static void awaitMarkers(
            KafkaConsumer<byte[], byte[]> committed,
            Map<String, Object> config,
            List<TopicPartition> partitions) {
        Map<String, Object> uncommitted = new HashMap<>(config);
        uncommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> all = bytesConsumer(uncommitted)) {
            all.assign(partitions);
            Map<TopicPartition, Long> ends = all.endOffsets(partitions);
            long deadline = System.nanoTime() + MARKERS_WAIT.toNanos();
            while (!committed.endOffsets(partitions).equals(ends) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
     * Opens a reader that the caller polls until {@link Reader#atEnd()}. Records the cluster
     * deleted since the snapshot was taken (retention) are skipped: the reader starts at the
     * earliest that is left.
     *
     * @param consumerConfig a consumer configuration without a group
     * @param keys the key deserializer
     * @param values the value deserializer
     * @return the reader; close it
     */
    public <K, V> Reader<K, V> open(
            Map<String, Object> consumerConfig, Deserializer<K> keys, Deserializer<V> values) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new Reader<>(new KafkaConsumer<>(config, keys, values));
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
        if (perPartitionLimit <= 0) {
            return 0;
        }
        Map<TopicPartition, Long> taken = new HashMap<>();
        long read = 0;
        try (Reader<byte[], byte[]> reader =
                open(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            long lastProgress = System.nanoTime();
            while (!reader.atEnd()) {
                List<ConsumerRecord<byte[], byte[]>> records = reader.poll(POLL);
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    long n = taken.getOrDefault(tp, 0L);
                    if (n < perPartitionLimit) {
                        handler.accept(record);
                        taken.put(tp, n + 1);
                        read++;
                    }
                    if (n + 1 >= perPartitionLimit) {
                        reader.finish(tp);
                    }
                }
                if (reader.moved()) {
                    lastProgress = System.nanoTime();
                } else if (!reader.atEnd() && System.nanoTime() - lastProgress > idle.toNanos()) {
                    throw new IllegalStateException(
                            "no records came from "
                                    + reader.pending
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

    /**
     * One pass over the snapshot at the caller's pace: each poll returns the next records inside
     * the range, partition by partition in offset order.
     *
     * @param <K> the key type
     * @param <V> the value type
     */
    public final class Reader<K, V> implements AutoCloseable {

        private final KafkaConsumer<K, V> consumer;
        private final List<TopicPartition> pending = new ArrayList<>();
        private long lastPositions = -1;
        private boolean moved;

        private Reader(KafkaConsumer<K, V> consumer) {
            this.consumer = consumer;
            ranges.forEach(
                    (tp, r) -> {
                        if (r[1] > r[0]) {
                            pending.add(tp);
                        }
                    });
            try {
                consumer.assign(pending);
                pending.forEach(tp -> consumer.seek(tp, ranges.get(tp)[0]));
            } catch (RuntimeException e) {
                consumer.close();
                throw e;
            }
        }

        /** Whether every partition has been read to the end of its range. */
        public boolean atEnd() {
            return pending.isEmpty();
        }

        /**
         * The next records inside the range, waiting at most {@code timeout}; none once at the end.
         */
        public List<ConsumerRecord<K, V>> poll(Duration timeout) {
            if (pending.isEmpty()) {
                return List.of();
            }
            ConsumerRecords<K, V> records = consumer.poll(timeout);
            List<ConsumerRecord<K, V>> inside = new ArrayList<>();
            for (TopicPartition tp : records.partitions()) {
                long end = ranges.get(tp)[1];
                for (ConsumerRecord<K, V> record : records.records(tp)) {
                    if (record.offset() < end) {
                        inside.add(record);
                    }
                }
            }
            List<TopicPartition> done = new ArrayList<>();
            long positions = 0;
            for (TopicPartition tp : pending) {
                long position = consumer.position(tp);
                positions += position;
                if (position >= ranges.get(tp)[1]) {
                    done.add(tp);
                }
            }
            // a stretch of aborted records, or transaction markers, moves the position on without
            // a record to return
            moved = !records.isEmpty() || !done.isEmpty() || positions != lastPositions;
            lastPositions = positions;
            done.forEach(this::finish);
            return inside;
        }

        /**
         * Whether the last {@link #poll} got anywhere: it returned records, or the read moved on
         * past records a committed read skips (aborted ones), or finished a partition. A reader
         * that waits for records judges idleness by this, not by records returned.
         *
         * @return whether the last poll moved
         */
        public boolean moved() {
            return moved;
        }

        /** Stops reading every partition: the caller has what it wanted. */
        public void finishAll() {
            List.copyOf(pending).forEach(this::finish);
        }

        /** Stops reading a partition before the end of its range. */
        public void finish(TopicPartition tp) {
            if (pending.remove(tp)) {
                consumer.pause(List.of(tp));
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
