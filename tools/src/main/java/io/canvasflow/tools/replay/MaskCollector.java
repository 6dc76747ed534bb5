package io.canvasflow.tools.replay;

import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.avro.MaskEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a run's masks and dead-letter topics from the beginning on a thread of its own, with {@code
 * read_committed} (what a downstream consumer of an exactly-once application sees), and hands each
 * mask to a listener with the wall-clock time it became readable. Counts dead letters; a record
 * that does not deserialize is one warning line and is not handed on.
 */
public final class MaskCollector implements AutoCloseable {

    /**
     * A mask event and when this collector received it.
     *
     * @param mask the event
     * @param receivedMs wall-clock milliseconds when it was polled
     */
    public record Received(MaskEvent mask, long receivedMs) {}

    private static final Logger LOG = LoggerFactory.getLogger(MaskCollector.class);
    private static final Duration POLL = Duration.ofMillis(50);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String masksTopic;
    private final String dlqTopic;
    private final Consumer<Received> listener;
    private final Deserializer<MaskEvent> masks = AvroSerdes.maskEvent().deserializer();
    private final AtomicLong maskCount = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final Thread thread;
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile boolean stopping;
    private volatile RuntimeException failure;

    /**
     * Assigns every partition of both topics and starts reading.
     *
     * @param consumerConfig a consumer configuration without a group
     * @param masksTopic the masks topic
     * @param dlqTopic the dead-letter topic
     * @param listener called on the collector's thread for every mask, in partition order
     */
    public MaskCollector(
            Map<String, Object> consumerConfig,
            String masksTopic,
            String dlqTopic,
            Consumer<Received> listener) {
        this.consumer =
                new KafkaConsumer<>(
                        consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        this.masksTopic = masksTopic;
        this.dlqTopic = dlqTopic;
        this.listener = listener;
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            partitions.addAll(partitions(masksTopic));
            partitions.addAll(partitions(dlqTopic));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        this.thread = new Thread(this::loop, "mask-collector-" + masksTopic);
        thread.setDaemon(true);
        thread.start();
    }

    private List<TopicPartition> partitions(String topic) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the topic " + topic + " did not appear in 30 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + topic, e);
            }
        }
    }

    private void loop() {
        try {
            while (!stopping) {
                var records = consumer.poll(POLL);
                long now = System.currentTimeMillis();
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (record.topic().equals(dlqTopic)) {
                        deadLetters.incrementAndGet();
                        continue;
                    }
                    MaskEvent mask;
                    try {
                        mask = masks.deserialize(masksTopic, record.value());
                    } catch (RuntimeException e) {
                        LOG.warn(
                                "{}-{}@{} is not a mask event: {}",
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                e.toString());
                        continue;
                    }
                    listener.accept(new Received(mask, now));
                    maskCount.incrementAndGet();
                }
                if (!records.isEmpty()) {
                    lastProgressNanos = System.nanoTime();
                }
            }
        } catch (WakeupException | InterruptException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("the mask collector of {} failed", masksTopic, e);
        }
    }

    /** Masks received so far. */
    public long masks() {
        return maskCount.get();
    }

    /** Dead letters received so far. */
    public long deadLetters() {
        return deadLetters.get();
    }

    /**
     * Waits until a condition holds, as long as records keep coming.
     *
     * @param done the condition, checked every few milliseconds
     * @param idle how long without any record before giving up
     * @return true when the condition holds, false after {@code idle} without progress
     * @throws InterruptedException when interrupted
     * @throws IllegalStateException when the collector failed
     */
    public boolean await(BooleanSupplier done, Duration idle) throws InterruptedException {
        long start = System.nanoTime();
        while (!done.getAsBoolean()) {
            if (failure != null) {
                throw new IllegalStateException(
                        "the mask collector failed: " + failure.getMessage(), failure);
            }
            long since = System.nanoTime() - Math.max(start, lastProgressNanos);
            if (since > idle.toNanos()) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Stops reading and closes the consumer. */
    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
    }
}
