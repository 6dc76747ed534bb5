package io.canvasflow.topology.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve}'s exit status in a process of its own: 0 after a requested stop (SIGTERM, as from
 * {@code kill}, Docker or Kubernetes), once Kafka Streams has closed; 2 for bad settings.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ExitStatusTest {

    private static final Path LOGS = Path.of("target", "reliability");

    @TempDir Path dir;

    @Test
    void shouldExitZeroAfterAStopRequestedWithSigterm() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            // Given serve running
            Fixtures.createTopics(kafka, 2);
            Map<String, String> settings =
                    Fixtures.settings(
                            kafka.bootstrapServers(), "canvasflow-exit", dir.resolve("state"));
            try (ChildServe serve =
                    ChildServe.start(
                            Fixtures.modelDir(), settings, LOGS.resolve("exit-sigterm.log"))) {
                serve.awaitOwns("[0, 1]", Duration.ofSeconds(90));

                // When it is sent SIGTERM
                long sent = System.nanoTime();
                serve.terminate();
                int status = serve.awaitExit(Duration.ofSeconds(60));
                double seconds = (System.nanoTime() - sent) / 1e9;

                // Then it exits 0 soon, after Kafka Streams closed
                Fixtures.report(
                        "exit-status",
                        String.format(
                                "exit status: serve exited %d %.1f s after SIGTERM",
                                status, seconds));
                assertEquals(0, status, serve.logTail(40));
                assertTrue(
                        serve.output().stream()
                                .anyMatch(
                                        l ->
                                                l.contains(
                                                        "Kafka Streams state PENDING_SHUTDOWN ->"
                                                                + " NOT_RUNNING")),
                        "Kafka Streams closed" + serve.logTail(40));
                assertTrue(seconds < 30, seconds + " s to stop");
            }
        }
    }

    @Test
    void shouldExitTwoWithOneSentenceOnABadSetting() throws Exception {
        // Given a misspelt setting
        Map<String, String> settings =
                Map.of("bootstrap.servers", "127.0.0.1:1", "canvas.seeded.iteration", "3");

        // When serve starts with it
        try (ChildServe serve =
                ChildServe.start(
                        Fixtures.modelDir(), settings, LOGS.resolve("exit-bad-setting.log"))) {
            int status = serve.awaitExit(Duration.ofSeconds(60));

            // Then it exits 2 with one line naming the setting
            List<String> output = serve.output();
            assertEquals(2, status, serve.logTail(20));
            assertEquals(1, output.size(), serve.logTail(20));
            assertTrue(
                    output.get(0)
                            .startsWith(
                                    "canvasflow serve: unknown setting 'canvas.seeded.iteration'"),
                    output.get(0));
        }
    }
}
