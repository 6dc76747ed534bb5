package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** A follower whose cluster does not answer fails; it does not wait for a topic. No broker. */
class MaskFollowerNoClusterTest {

    @Test
    void shouldFailNamingTheServersWhenNoBrokerAnswers() throws Exception {
        // Given followers of an address where nothing listens: one for 2 s, one without a
        // duration whose consumer blocks 1.5 s at most
        String servers = "127.0.0.1:" + FramePublisherBuildTest.freePort();
        MaskFollower forTwoSeconds =
                MaskFollower.builder()
                        .setBootstrapServers(servers)
                        .optDuration(Duration.ofSeconds(2))
                        .build();
        MaskFollower withoutDuration =
                MaskFollower.builder()
                        .setBootstrapServers(servers)
                        .optConsumerProperties(Map.of("default.api.timeout.ms", 1500))
                        .build();

        // When they run
        List<String> failures =
                List.of(
                        assertThrows(TimeoutException.class, forTwoSeconds::run).getMessage(),
                        assertThrows(TimeoutException.class, withoutDuration::run).getMessage());

        // Then each fails with one sentence naming the servers and the time it gave them, rather
        // than waiting for a topic and returning no masks
        String check =
                "; check the bootstrap servers, that the cluster is up and the security settings";
        assertEquals(
                List.of(
                        "no Kafka broker at "
                                + servers
                                + " answered within the follower's duration of 2 s"
                                + check,
                        "no Kafka broker at "
                                + servers
                                + " answered within default.api.timeout.ms of 1500 ms"
                                + check),
                failures);
    }
}
