package io.canvasflow.trainer.label;

import io.canvasflow.clients.FrameSource;
import io.canvasflow.clients.FrameSourceException;
import io.canvasflow.clients.ImageCodecs;
import io.canvasflow.clients.SourceFrame;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.trainer.data.SequenceRange;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * One camera's frames from a frames topic, in offset order (a camera's frames share a partition:
 * the topic is keyed by camera id), from the beginning to the end offsets at the time it opened,
 * committed records only. The frame's sequence number is its index.
 */
public final class TopicFrameSource implements FrameSource {

    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<String, Frame> consumer;
    private final String topic;
    private final String camera;
    private final SequenceRange range;
    private final Map<TopicPartition, Long> end;
    private final Deque<Frame> buffered = new ArrayDeque<>();

    /**
     * Opens the topic.
     *
     * @throws FrameSourceException naming the topic when it does not exist or Kafka is unreachable
     */
    public TopicFrameSource(
            String bootstrapServers, String topic, String camera, SequenceRange range) {
        this.topic = topic;
        this.camera = camera;
        this.range = range;
        this.consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false,
                                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                                16 << 20,
                                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                10_000,
                                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                15_000),
                        Topics.FRAMES.keySerde().deserializer(),
                        Topics.FRAMES.valueSerde().deserializer());
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic);
            if (infos == null || infos.isEmpty()) {
                throw new FrameSourceException(
                        "topic " + topic + " does not exist on " + bootstrapServers);
            }
            List<TopicPartition> partitions =
                    infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            end = consumer.endOffsets(partitions);
        } catch (KafkaException e) {
            consumer.close();
            throw new FrameSourceException(
                    "cannot read topic "
                            + topic
                            + " from "
                            + bootstrapServers
                            + ": "
                            + e.getMessage());
        } catch (FrameSourceException e) {
            consumer.close();
            throw e;
        }
    }

    @Override
    public java.util.Optional<SourceFrame> next() {
        while (buffered.isEmpty()) {
            if (reachedEnd()) {
                return java.util.Optional.empty();
            }
            for (ConsumerRecord<String, Frame> r : consumer.poll(POLL)) {
                Frame f = r.value();
                if (f != null
                        && camera.equals(f.getCameraId())
                        && range.contains(f.getSequence())) {
                    buffered.add(f);
                }
            }
        }
        Frame f = buffered.poll();
        try {
            return java.util.Optional.of(
                    new SourceFrame(
                            ImageCodecs.frameImage(f),
                            f.getSequence(),
                            f.getCaptureTimestamp(),
                            null));
        } catch (IllegalArgumentException e) {
            throw new FrameSourceException(
                    "frame "
                            + f.getSequence()
                            + " of camera "
                            + camera
                            + " in topic "
                            + topic
                            + " does not decode: "
                            + e.getMessage());
        }
    }

    private boolean reachedEnd() {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public double nativeFps() {
        return 10.0;
    }

    @Override
    public String description() {
        return "topic:" + topic + " camera " + camera;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
