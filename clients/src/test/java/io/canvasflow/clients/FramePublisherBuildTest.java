package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * What {@link FramePublisher.Builder#build} refuses, and what it leaves when it fails: no broker.
 * The topic check ({@link FramePublisherTopicTest}) is turned off where it would refuse first.
 */
class FramePublisherBuildTest {

    @Test
    void shouldRefuseProducerSettingsKafkaRefusesInOneSentence() {
        // Given settings Kafka makes no producer of: a value of the wrong type, a combination
        // idempotence refuses, and bootstrap servers that are no address
        String servers = "127.0.0.1:9";

        // When each is built
        List<String> refusals =
                List.of(
                        refusal(servers, Map.of("max.request.size", "abc")),
                        refusal(servers, Map.of("acks", "1")),
                        refusal("not a host", Map.of()));

        // Then each is one IllegalArgumentException sentence naming the servers and the property
        assertEquals(
                List.of(
                        "the Kafka client settings for 127.0.0.1:9 make no client: Invalid value"
                                + " abc for configuration max.request.size: Not a number of type"
                                + " INT; check the producer properties it names",
                        "the Kafka client settings for 127.0.0.1:9 make no client: Must set acks"
                                + " to all in order to use the idempotent producer. Otherwise we"
                                + " cannot guarantee idempotence.; check the producer properties"
                                + " it names",
                        "the Kafka client settings for not a host make no client: Invalid url in"
                                + " bootstrap.servers: not a host; check the producer properties"
                                + " it names"),
                refusals);
    }

    @Test
    void shouldRefuseANegativeTopicLimitAndASizeLargerThanAnyCamera() {
        // Given a negative topic limit, and resize boxes beyond the largest side (8192)
        FramePublisher.Builder limit = builder().optTopicLimit(-5);
        FramePublisher.Builder resize = builder().optResize(100000, 100000);
        FramePublisher.Builder fit = builder().optFitWithin(640, 8193);

        // When they are built, then each is refused in one sentence
        assertEquals(
                List.of(
                        "expected a topic limit (max.message.bytes) of 0 or more but found -5",
                        "expected a resize width and height from 1 to 8192 but found 100000x100000",
                        "expected a resize width and height from 1 to 8192 but found 640x8193"),
                List.of(
                        assertThrows(IllegalArgumentException.class, limit::build).getMessage(),
                        assertThrows(IllegalArgumentException.class, resize::build).getMessage(),
                        assertThrows(IllegalArgumentException.class, fit::build).getMessage()));
    }

    @Test
    void shouldCloseTheProducerAndNameTheServersWhenATransactionalStartTimesOut() throws Exception {
        // Given a transactional publisher of a cluster where nothing listens, allowed 1 s to start
        String servers = "127.0.0.1:" + freePort();
        FramePublisher.Builder builder =
                FramePublisher.builder()
                        .setBootstrapServers(servers)
                        // past the topic check, which would refuse at once: no broker there
                        .optCheckTopic(false)
                        .optTransactionalId("tx-nobody")
                        .optProducerProperties(
                                Map.of("max.block.ms", 1000, "client.id", "publisher-nobody"));

        // When it is built
        TimeoutException timeout = assertThrows(TimeoutException.class, builder::build);

        // Then it says so in one sentence naming the servers, and its producer is closed: no
        // network thread is left trying to reach the cluster
        assertEquals(
                "the Kafka cluster at "
                        + servers
                        + " did not start transactional id tx-nobody within max.block.ms (1000"
                        + " ms): no broker answers there, or its transaction coordinator is not"
                        + " available; check the bootstrap servers and that the cluster is up",
                timeout.getMessage());
        assertEquals(List.of(), producerThreads("publisher-nobody"));
    }

    /** Kafka producer network threads of a client id that are still alive. */
    private static List<String> producerThreads(String clientId) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.contains("kafka-producer-network-thread | " + clientId))
                .toList();
    }

    private static String refusal(String servers, Map<String, ?> properties) {
        FramePublisher.Builder builder =
                FramePublisher.builder()
                        .setBootstrapServers(servers)
                        // settings Kafka refuses without a cluster: not the check's "no broker"
                        .optCheckTopic(false)
                        .optProducerProperties(properties);
        return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
    }

    private static FramePublisher.Builder builder() {
        return FramePublisher.builder().setBootstrapServers("127.0.0.1:9");
    }

    /** A loopback port nothing listens on. */
    static int freePort() throws Exception {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }
}
