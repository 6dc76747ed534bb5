package io.canvasflow.topology.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.KafkaTopics;
import io.canvasflow.schemas.StoreNames;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.DeadLetterReason;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.testsupport.Bytes;
import io.canvasflow.topology.CanvasFlowApp;
import io.canvasflow.topology.CanvasFlowConfig;
import io.canvasflow.topology.CanvasFlowTopology;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topics made by hand, or by an earlier run, with record size limits lower than CanvasFlow's
 * records: a record over such a limit used to fail the stream thread, and every thread that
 * replaced it, so that its partition never moved again. Serve now fits itself to the limits at
 * start.
 *
 * <ul>
 *   <li>A dead-letter topic with a small {@code max.message.bytes}: the large bad record is
 *       dead-lettered without its bytes, a small one with them, and the frames after both are
 *       segmented.
 *   <li>A masks topic with a small {@code max.message.bytes}: a frame whose mask event it would
 *       refuse is dead-lettered, saying to set {@code mask.size} smaller.
 *   <li>Latest-only mode's pending-frames changelog made with a limit lower than a frame (Kafka
 *       Streams sets a changelog's configs only when it creates one): serve raises it, and the
 *       frame is segmented.
 * </ul>
 *
 * <p>Each is segmented by the stream thread that started.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TopicLimitsTest {

    private static final String CAMERA = "cam-1";
    private static final int DLQ_LIMIT = 200_000;
    private static final String OLD_CHANGELOG_APP = "canvasflow-old-changelog";
    private static final int OLD_LIMIT = 100_000;
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    @TempDir Path dir;

    @Test
    void shouldDeadLetterARecordTooLargeForTheTopicWithoutItsBytesAndGoOn() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            // Given topics made by hand, the dead-letter topic taking records of 200 kB
            createTopics(kafka, Topics.FRAMES_DLQ.name(), DLQ_LIMIT);
            // (whose limit is read topic by topic: a topic that does not exist is left out)
            List<String> problems = new ArrayList<>();
            assertEquals(
                    Map.of(Topics.FRAMES_DLQ.name(), DLQ_LIMIT),
                    KafkaTopics.maxMessageBytes(
                            kafka.clientConfig(),
                            List.of(Topics.FRAMES_DLQ.name(), "no-such-topic"),
                            TIMEOUT,
                            problems::add));
            assertEquals(List.of(), problems);
            Map<String, String> settings =
                    Fixtures.settings(
                            kafka.bootstrapServers(), "canvasflow-small-dlq", dir.resolve("s"));
            settings.put(CanvasFlowConfig.TOPICS_CREATE, "false");
            try (TopicRecorder<MaskEvent> masks = TopicRecorder.masks(kafka);
                    TopicRecorder<DeadLetter> deadLetters = TopicRecorder.deadLetters(kafka);
                    CanvasFlowApp app =
                            CanvasFlowApp.start(Fixtures.config(settings), Fixtures.model());
                    KafkaProducer<String, byte[]> producer = Fixtures.producer(kafka)) {
                Fixtures.await("the application runs", TIMEOUT, () -> Fixtures.hasActiveTasks(app));

                // When a camera's record of 300 kB random bytes comes, then one of 100 kB, each
                // before a good frame
                byte[] large = random(300_000, 1);
                byte[] small = random(100_000, 2);
                send(producer, large);
                send(producer, AvroSerdes.frame().serialize(Fixtures.frame(CAMERA, 1)));
                send(producer, small);
                send(producer, AvroSerdes.frame().serialize(Fixtures.frame(CAMERA, 2)));

                // Then the large one is dead-lettered without its bytes, the small one with them
                List<DeadLetter> letters =
                        deadLetters.awaitValues(2, TIMEOUT, Duration.ofSeconds(1));
                assertEquals(DeadLetterReason.NOT_A_FRAME, letters.get(0).getReason());
                assertNull(letters.get(0).getOriginalValue());
                assertTrue(
                        letters.get(0)
                                .getMessage()
                                .endsWith("(original value of 300000 bytes not kept)"),
                        letters.get(0).getMessage());
                assertEquals(
                        Bytes.digest(small),
                        Bytes.digest(Bytes.of(letters.get(1).getOriginalValue())));
                // And both frames are segmented, by the stream thread that started
                assertEquals(
                        List.of(1L, 2L),
                        masks.awaitValues(2, TIMEOUT, Duration.ofSeconds(1)).stream()
                                .map(MaskEvent::getSequence)
                                .toList());
                assertEquals(0.0, StateRecorder.failedThreads(app.streams()), "failed threads");
            }
        }
    }

    @Test
    void shouldRaiseAnEarlierChangelogsLimitAndSegmentAFrameOverIt() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            // Given the topics, and a pending-frames changelog left with a 100 kB limit
            Fixtures.createTopics(kafka, 1);
            String changelog =
                    OLD_CHANGELOG_APP + "-" + StoreNames.PENDING_FRAMES_STORE + "-changelog";
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
                    Fixtures.settings(
                            kafka.bootstrapServers(), OLD_CHANGELOG_APP, dir.resolve("s"));
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

    @Test
    void shouldDeadLetterAFrameWhoseMaskTheMasksTopicWouldRefuseAndGoOn() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            // Given a masks topic made by hand taking records of 4,000 bytes, and 2048x2048 masks
            // (a PNG of at least 4 kB: deflate compresses at most about 1,000 to 1)
            createTopics(kafka, Topics.MASKS.name(), 4000);
            Map<String, String> settings =
                    Fixtures.settings(kafka.bootstrapServers(), "canvasflow-small-masks", dir);
            settings.put(CanvasFlowConfig.MASK_SIZE, "2048x2048");
            // (short camera ids leave the room over the floor: 4,000 - 1,056 of framing)
            settings.put(CanvasFlowConfig.CAMERA_ID_MAX_LENGTH, "8");
            try (TopicRecorder<DeadLetter> deadLetters = TopicRecorder.deadLetters(kafka);
                    CanvasFlowApp app =
                            CanvasFlowApp.start(Fixtures.config(settings), Fixtures.model());
                    KafkaProducer<String, byte[]> producer = Fixtures.producer(kafka)) {
                Fixtures.await("the application runs", TIMEOUT, () -> Fixtures.hasActiveTasks(app));

                // When two frames come
                send(producer, AvroSerdes.frame().serialize(Fixtures.frame(CAMERA, 1)));
                send(producer, AvroSerdes.frame().serialize(Fixtures.frame(CAMERA, 2)));

                // Then both are dead-lettered, saying what to change, by the thread that started
                List<DeadLetter> letters =
                        deadLetters.awaitValues(2, TIMEOUT, Duration.ofSeconds(1));
                for (DeadLetter letter : letters) {
                    assertEquals(DeadLetterReason.PROCESSING_ERROR, letter.getReason());
                    assertTrue(
                            letter.getMessage().contains("set mask.size smaller"),
                            letter.getMessage());
                }
                assertEquals(0.0, StateRecorder.failedThreads(app.streams()), "failed threads");
            }
        }
    }

    /** The frames, masks and dead-letter topics with a partition each, one of them limited. */
    private static void createTopics(EmbeddedKafkaBroker kafka, String limited, int limit) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name :
                List.of(Topics.FRAMES.name(), Topics.MASKS.name(), Topics.FRAMES_DLQ.name())) {
            NewTopic topic = new NewTopic(name, 1, (short) 1);
            topics.add(
                    name.equals(limited)
                            ? topic.configs(
                                    Map.of(
                                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                            Integer.toString(limit)))
                            : topic);
        }
        KafkaTopics.createIfAbsent(kafka.clientConfig(), topics, TIMEOUT);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void send(KafkaProducer<String, byte[]> producer, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(Topics.FRAMES.name(), CAMERA, value)).get();
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
