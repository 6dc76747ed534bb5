package io.canvasflow.topology.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.KafkaTopics;
import io.canvasflow.schemas.StoreNames;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.topology.CanvasFlowApp;
import io.canvasflow.topology.CanvasFlowConfig;
import io.canvasflow.topology.CanvasFlowTopology;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Latest-only mode's pending-frames changelog made earlier with a limit lower than a frame (Kafka
 * Streams sets a changelog's configs only when it creates one): a frame over it used to fail every
 * stream thread that met it. Serve now raises the changelog's limit at start, and the frame is
 * segmented by the thread that started.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PendingChangelogLimitTest {

    private static final String APP = "canvasflow-old-changelog";
    private static final int OLD_LIMIT = 100_000;
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    @TempDir Path dir;

    @Test
    void shouldRaiseAnEarlierChangelogsLimitAndSegmentAFrameOverIt() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            // Given the topics, and a pending-frames changelog left with a 100 kB limit
            Fixtures.createTopics(kafka, 1);
            String changelog = APP + "-" + StoreNames.PENDING_FRAMES_STORE + "-changelog";
            KafkaTopics.createIfAbsent(
                    kafka.clientConfig(),
                    List.of(
                            new NewTopic(changelog, 1, (short) 1)
                                    .configs(
                                            Map.of(
                                                    TopicConfig.CLEANUP_POLICY_CONFIG,
                                                    TopicConfig.CLEANUP_POLICY_COMPACT,
                                                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                                    Integer.toString(OLD_LIMIT)))),
                    TIMEOUT);
            Map<String, String> settings =
                    Fixtures.settings(kafka.bootstrapServers(), APP, dir.resolve("s"));
            settings.put(CanvasFlowConfig.PROCESSING_MODE, "latest-only");
            CanvasFlowConfig config = Fixtures.config(settings);
            try (TopicRecorder<MaskEvent> masks = TopicRecorder.masks(kafka);
                    CanvasFlowApp app = CanvasFlowApp.start(config, Fixtures.model());
                    KafkaProducer<String, byte[]> producer = Fixtures.producer(kafka)) {
                Fixtures.await("the application runs", TIMEOUT, () -> Fixtures.hasActiveTasks(app));

                // When a frame of noise, a PNG of about 360 kB, comes
                byte[] png = Fixtures.encode(noise(400, 300), "png");
                producer.send(
                                Fixtures.record(
                                        Topics.FRAMES.name(),
                                        Fixtures.frame(
                                                "cam-1", 1, 400, 300, ImageEncoding.PNG, png)))
                        .get();

                // Then the changelog takes it, and it is segmented by the thread that started
                assertEquals(
                        List.of(1L),
                        masks.awaitValues(1, TIMEOUT, Duration.ofSeconds(1)).stream()
                                .map(MaskEvent::getSequence)
                                .toList());
                assertEquals(0.0, StateRecorder.failedThreads(app.streams()), "failed threads");
                assertEquals(
                        Integer.parseInt(
                                CanvasFlowTopology.streamsConfig(config)
                                        .getProperty(
                                                StreamsConfig.topicPrefix(
                                                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG))),
                        KafkaTopics.maxMessageBytes(
                                        kafka.clientConfig(), List.of(changelog), TIMEOUT, p -> {})
                                .get(changelog));
            }
        }
    }

    private static BufferedImage noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(3);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }
}
