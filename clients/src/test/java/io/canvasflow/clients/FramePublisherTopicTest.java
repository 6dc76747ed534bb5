package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link FramePublisher.Builder#build} checks the cluster and the topic as {@code canvasflow
 * publish} does: the class javadoc's example against a fresh {@code canvasflow broker}, which
 * creates no topic on first use, blocked each send for 60 s with a WARN line a second.
 */
class FramePublisherTopicTest {

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafkaBroker.builder().build().start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRefuseAMissingTopicAtBuildInTheSentencePublishGives() {
        // Given the class javadoc's publisher, against a broker without the frames topic
        FramePublisher.Builder builder =
                FramePublisher.builder().setBootstrapServers(kafka.bootstrapServers());

        // When it is built
        long start = System.nanoTime();
        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, builder::build);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // Then it is refused within seconds, not the producer's 60 s, in publish's one sentence
        assertEquals(
                "topic frames does not exist at "
                        + kafka.bootstrapServers()
                        + "; start `canvasflow serve --create-topics` (it creates the frames,"
                        + " masks and dead-letter topics), or create it with kafka-topics.sh"
                        + " --create --topic frames",
                refused.getMessage());
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, took.toString());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRefuseAnAddressWhereNoBrokerListensInOneSentence() throws Exception {
        // Given a publisher of an address where nothing listens
        String servers = "127.0.0.1:" + FramePublisherBuildTest.freePort();
        FramePublisher.Builder builder = FramePublisher.builder().setBootstrapServers(servers);

        // When it is built
        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, builder::build);

        // Then it says so in one sentence naming the address
        assertEquals(
                "no Kafka broker at "
                        + servers
                        + ": nothing accepts connections there (start one with `canvasflow"
                        + " broker`, or pass the address of your cluster with"
                        + " --bootstrap-servers)",
                refused.getMessage());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReadTheTopicsLimitAndRefuseAFrameLargerThanItWithoutARequest() throws Exception {
        // Given a topic that takes records of up to 20,000 bytes, and a publisher of it
        kafka.createTopic("frames-small", 1, Map.of("max.message.bytes", "20000"));
        try (FramePublisher publisher =
                FramePublisher.builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .optTopic(Topics.FRAMES.withName("frames-small"))
                        .optJpegQuality(1f)
                        .build()) {

            // When a small frame and one of noise too large for the topic are published
            var small = publisher.publish("cam", 0, Instant.now(), noise(16, 16), null, Map.of());
            var large = publisher.publish("cam", 1, Instant.now(), noise(400, 300), null, Map.of());

            // Then the small one is sent and the large one refused by the publisher itself, as
            // publish's command refuses it: the limit build() read from the cluster
            assertEquals("frames-small", small.get().topic());
            ExecutionException failed = assertThrows(ExecutionException.class, large::get);
            assertEquals(
                    List.of(RecordTooLargeException.class, true),
                    List.of(
                            failed.getCause().getClass(),
                            failed.getCause()
                                    .getMessage()
                                    .endsWith("the 20000 the topic frames-small takes")));
        }
    }

    private static java.awt.image.BufferedImage noise(int width, int height) {
        return ImageCodecsTest.noise(width, height, 7);
    }
}
