package io.canvasflow.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.schemas.avro.Frame;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same round trip as {@link EmbeddedKafkaBrokerTest}, against the official broker image.
 * Skipped where there is no Docker engine.
 */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersKafkaRoundTripTest {

    @Container private static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.3.1");

    @Test
    void shouldRoundTripFramesThroughContainerBroker() throws Exception {
        List<Frame> sent = FrameRoundTrip.frames(3);
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                KAFKA.getBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(FrameRoundTrip.FRAMES.name(), 2, (short) 1)))
                    .all()
                    .get();
        }

        FrameRoundTrip.produce(KAFKA.getBootstrapServers(), sent, 2);

        assertEquals(
                sent,
                FrameRoundTrip.sortedFrames(
                        FrameRoundTrip.consume(KAFKA.getBootstrapServers(), sent.size())));
    }
}
