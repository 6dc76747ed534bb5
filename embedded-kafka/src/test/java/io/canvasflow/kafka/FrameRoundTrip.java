package io.canvasflow.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.schemas.Topic;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.testsupport.Frames;
import io.canvasflow.testsupport.TestImages;
import io.canvasflow.testsupport.TopicReader;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Produces real Frame records to a broker and reads them back, for the broker tests. */
final class FrameRoundTrip {

    static final Topic<String, Frame> FRAMES = Topics.FRAMES;

    private FrameRoundTrip() {}

    /** A frame with a real JPEG image, a grayscale PNG ground truth and metadata. */
    static Frame frame(String cameraId, long sequence) {
        int width = 64;
        int height = 48;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(30, 90, 160));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(220, 200, (int) (sequence * 37 % 256)));
        g.fillOval(8 + (int) sequence, 8, 24, 24);
        g.dispose();
        BufferedImage truth = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 8; y < 32; y++) {
            for (int x = 8; x < 32; x++) {
                truth.getRaster().setSample(x, y, 0, 1);
            }
        }
        return Frame.newBuilder()
                .setCameraId(cameraId)
                .setSequence(sequence)
                .setCaptureTimestamp(Instant.ofEpochMilli(1_700_000_000_000L + sequence * 40))
                .setWidth(width)
                .setHeight(height)
                .setEncoding(ImageEncoding.JPEG)
                .setImage(ByteBuffer.wrap(TestImages.encode(image, "jpg")))
                .setGroundTruth(ByteBuffer.wrap(TestImages.encode(truth, "png")))
                .setMetadata(Map.of("source", "synthetic", "index", Long.toString(sequence)))
                .build();
    }

    /** Sends each frame, keyed by camera, to partition {@code index % partitions}. */
    static void produce(String bootstrapServers, List<Frame> frames, int partitions)
            throws ExecutionException, InterruptedException {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, Frame> producer =
                new KafkaProducer<>(
                        config, FRAMES.keySerde().serializer(), FRAMES.valueSerde().serializer())) {
            for (int i = 0; i < frames.size(); i++) {
                Frame frame = frames.get(i);
                producer.send(
                                new ProducerRecord<>(
                                        FRAMES.name(), i % partitions, frame.getCameraId(), frame))
                        .get();
            }
        }
    }

    /** Reads every partition from the beginning until {@code count} records have arrived. */
    static List<ConsumerRecord<String, Frame>> consume(String bootstrapServers, int count) {
        List<ConsumerRecord<String, Frame>> records =
                TopicReader.readFromBeginning(
                        bootstrapServers, FRAMES, count, Duration.ofSeconds(30));
        assertEquals(count, records.size(), "records read back");
        return records;
    }

    /** The frames of some records, in camera then sequence order. */
    static List<Frame> sortedFrames(List<ConsumerRecord<String, Frame>> records) {
        return Frames.sorted(records);
    }

    /** Frames from two cameras, in camera then sequence order. */
    static List<Frame> frames(int perCamera) {
        List<Frame> frames = new ArrayList<>();
        for (String camera : List.of("cam-a", "cam-b")) {
            for (long s = 0; s < perCamera; s++) {
                frames.add(frame(camera, s));
            }
        }
        return frames;
    }
}
