package io.canvasflow.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaPreflightTest {

    @Test
    void shouldSayInOneSentenceThatSecuritySettingsMakeNoClient() throws Exception {
        // Given something listening, and a SASL protocol with no JAAS login configured
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String servers = "127.0.0.1:" + listener.getLocalPort();
            Map<String, Object> client =
                    Map.of("bootstrap.servers", servers, "security.protocol", "SASL_PLAINTEXT");

            // When the command checks the cluster
            KafkaPreflight.FailedException e =
                    assertThrows(
                            KafkaPreflight.FailedException.class,
                            () ->
                                    KafkaPreflight.requireTopics(
                                            client, List.of("frames"), Duration.ofSeconds(2), ""));

            // Then it is one sentence naming the address, Kafka's reason and what to check,
            // where each command's own client used to fail with a stack trace
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "the Kafka client settings for "
                                            + servers
                                            + " make no client:"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("JAAS"), e.getMessage());
            assertTrue(e.getMessage().endsWith("sasl.* and ssl.* settings"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    @Test
    void shouldNameAStoreFileThatIsNotThereBeforeKafkaLogsItsOwnTrace() {
        Map<String, Object> client =
                Map.of(
                        "bootstrap.servers", "127.0.0.1:1",
                        "security.protocol", "SSL",
                        "ssl.truststore.location", "/no/such/truststore.jks");

        KafkaPreflight.FailedException e =
                assertThrows(
                        KafkaPreflight.FailedException.class,
                        () -> KafkaPreflight.check(client, List.of(), Duration.ofSeconds(2)));

        assertEquals(
                "ssl.truststore.location /no/such/truststore.jks is not a file this user can read;"
                        + " fix the path",
                e.getMessage());
    }

    @Test
    void shouldSayNothingListensWhenNoBrokerIsThere() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Map<String, Object> client = Map.of("bootstrap.servers", "127.0.0.1:" + port);

        KafkaPreflight.FailedException e =
                assertThrows(
                        KafkaPreflight.FailedException.class,
                        () -> KafkaPreflight.check(client, List.of(), Duration.ofSeconds(2)));

        assertTrue(
                e.getMessage().startsWith("no Kafka broker at 127.0.0.1:" + port), e.getMessage());
    }
}
