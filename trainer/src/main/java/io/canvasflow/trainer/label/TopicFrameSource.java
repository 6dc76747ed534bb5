package io.canvasflow.trainer.label;

import io.canvasflow.clients.FrameSource;
import io.canvasflow.clients.FrameSourceException;
import io.canvasflow.clients.ImageCodecs;
import io.canvasflow.clients.SourceFrame;
import io.canvasflow.schemas.KafkaClientFailure;
import io.canvasflow.schemas.TopicSnapshot;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.trainer.data.SequenceRange;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * One camera's frames from a frames topic, in offset order (a camera's frames share a partition:
 * the topic is keyed by camera id), from the beginning to the end offsets at the time it opened,
 * committed records only. The frame's sequence number is its index.
 */
public final class TopicFrameSource implements FrameSource {

    private static final Duration POLL = Duration.ofMillis(500);

    private final TopicSnapshot.Reader<String, Frame> scan;
    private final String topic;
    private final String camera;
    private final SequenceRange range;
    private final Deque<Frame> buffered = new ArrayDeque<>();

    /**
     * Opens the topic.
     *
     * @throws FrameSourceException naming the topic when it does not exist or Kafka is unreachable
     */
    public TopicFrameSource(
            Map<String, String> kafka, String topic, String camera, SequenceRange range) {
        this.topic = topic;
        this.camera = camera;
        this.range = range;
        Map<String, Object> config = TopicSnapshot.consumerConfig(kafka);
        try {
            this.scan =
                    TopicSnapshot.take(config, topic, TopicSnapshot.WHOLE)
                            .open(
                                    config,
                                    Topics.FRAMES.keySerde().deserializer(),
                                    Topics.FRAMES.valueSerde().deserializer());
        } catch (IllegalArgumentException e) {
            throw new FrameSourceException(e.getMessage(), e);
        } catch (KafkaException e) {
            throw new FrameSourceException(
                    "could not read topic " + topic + ": " + KafkaClientFailure.describe(e), e);
        }
    }

    @Override
    public Optional<SourceFrame> next() {
        while (buffered.isEmpty()) {
            if (scan.atEnd()) {
                return Optional.empty();
            }
            List<ConsumerRecord<String, Frame>> records;
            try {
                records = scan.poll(POLL);
            } catch (KafkaException e) {
                throw new FrameSourceException(
                        "could not read topic " + topic + ": " + KafkaClientFailure.describe(e), e);
            }
            boolean passed = false;
            for (ConsumerRecord<String, Frame> r : records) {
                Frame f = r.value();
                if (f != null && camera.equals(f.getCameraId())) {
                    if (range.contains(f.getSequence())) {
                        buffered.add(f);
                    } else if (f.getSequence() > range.to()) {
                        passed = true;
                    }
                }
            }
            if (passed) {
                // The camera's frames went past the range: what follows in the topic is not
                // wanted, and scanning it (days of other cameras' footage) would keep label's
                // open transaction waiting past its timeout.
                scan.finishAll();
            }
        }
        Frame f = buffered.poll();
        try {
            return Optional.of(
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
        scan.close();
    }
}
