package io.canvasflow.topology.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A serve that crashed and is started again on its own state directory takes its partitions back at
 * once (static membership: the same {@code instance.id}), instead of waiting for the crashed
 * member's session to time out: with Kafka's 45 s default it sat REBALANCING for about a minute.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RestartTest {

    private static final String OWNS = "owns frames partitions [0, 1]";

    @TempDir Path dir;

    @Test
    void shouldTakeItsPartitionsBackSoonAfterACrash() throws Exception {
        Path logs = Path.of("target", "reliability");
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            Fixtures.createTopics(kafka, 2);
            // The product's own session timeout and membership, not the tests' short ones
            Map<String, String> settings =
                    Fixtures.settings(kafka.bootstrapServers(), "restart", dir.resolve("state"));
            settings.remove(StreamsConfig.consumerPrefix("session.timeout.ms"));
            settings.remove(StreamsConfig.consumerPrefix("heartbeat.interval.ms"));
            Path first = logs.resolve("restart-1.log");
            try (ChildServe crashed = ChildServe.start(Fixtures.modelDir(), settings, first)) {
                await(first, Duration.ofSeconds(90));
                crashed.kill();
            }
            Path second = logs.resolve("restart-2.log");
            long restarted = System.nanoTime();
            try (ChildServe again = ChildServe.start(Fixtures.modelDir(), settings, second)) {
                await(second, Duration.ofSeconds(90));
            }
            double seconds = (System.nanoTime() - restarted) / 1e9;
            Fixtures.report(
                    "restart",
                    String.format(
                            "restart: %.1f s from starting serve again after SIGKILL to owning its"
                                    + " partitions (JVM start and model load included)",
                            seconds));
            assertTrue(seconds < 20, seconds + " s to take its partitions back");
        }
    }

    private static void await(Path log, Duration timeout) throws InterruptedException {
        Fixtures.await(
                "\"" + OWNS + "\" in " + log,
                timeout,
                () -> lines(log).stream().anyMatch(l -> l.contains(OWNS)));
    }

    private static List<String> lines(Path log) {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return List.of();
        }
    }
}
