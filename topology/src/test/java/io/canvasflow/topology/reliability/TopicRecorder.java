package io.canvasflow.topology.reliability;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.MaskEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a whole topic from the beginning in a background thread with a {@code read_committed}
 * consumer (no consumer group), keeping every record with the moment it arrived: what a downstream
 * reader of an exactly-once application sees. It keeps reading across a broker restart.
 *
 * @param <V> the value type
 */
final class TopicRecorder<V> implements AutoCloseable {

    /** Records the masks topic. */
    static TopicRecorder<MaskEvent> masks(EmbeddedKafkaBroker kafka) {
        return new TopicRecorder<>(
                kafka, Topics.MASKS.name(), AvroSerdes.maskEvent().deserializer());
    }

    /** Records the dead-letter topic. */
    static TopicRecorder<DeadLetter> deadLetters(EmbeddedKafkaBroker kafka) {
        return new TopicRecorder<>(
                kafka, Topics.FRAMES_DLQ.name(), AvroSerdes.deadLetter().deserializer());
    }

    /** A record as read, with its arrival time on {@link System#nanoTime()}'s clock. */
    record Received<V>(String key, V value, int partition, long offset, long arrivedNanos) {}

    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<V> values;
    private final String topic;
    private final List<Received<V>> received = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    TopicRecorder(EmbeddedKafkaBroker kafka, String topic, Deserializer<V> values) {
        Map<String, Object> props = kafka.clientConfig();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        this.consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.values = values;
        this.topic = topic;
        List<TopicPartition> partitions = List.of();
        // A topic created a moment ago may not be in this broker's metadata yet: ask again.
        for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                partitions.isEmpty() && System.nanoTime() < deadline; ) {
            partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
        }
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " has no partitions after 30 s");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "recorder-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                List<Received<V>> batch = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    batch.add(
                            new Received<>(
                                    r.key(),
                                    values.deserialize(topic, r.value()),
                                    r.partition(),
                                    r.offset(),
                                    System.nanoTime()));
                }
                if (!batch.isEmpty()) {
                    synchronized (received) {
                        received.addAll(batch);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** How many records have been read so far. */
    int size() {
        check();
        synchronized (received) {
            return received.size();
        }
    }

    /** Everything read so far, in arrival order. */
    List<Received<V>> received() {
        check();
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The values read so far, in arrival order. */
    List<V> values() {
        return received().stream().map(Received::value).toList();
    }

    /** The values read so far, transformed. */
    <T> List<T> values(Function<V, T> f) {
        return values().stream().map(f).toList();
    }

    /**
     * Waits until {@code expected} records have been read, then a moment longer so that a duplicate
     * beyond them would be seen too.
     *
     * @return everything read
     */
    List<V> awaitValues(int expected, Duration timeout, Duration settle)
            throws InterruptedException {
        Fixtures.await(
                expected + " records on " + topic,
                timeout,
                () -> size() >= expected,
                () -> " (read " + size() + ")");
        Thread.sleep(settle.toMillis());
        return values();
    }

    private void check() {
        if (failure != null) {
            throw new IllegalStateException("reading " + topic + " failed", failure);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The values of a list of received records. */
    static <V> List<V> valuesOf(List<Received<V>> records) {
        List<V> out = new ArrayList<>(records.size());
        records.forEach(r -> out.add(r.value()));
        return out;
    }
}
