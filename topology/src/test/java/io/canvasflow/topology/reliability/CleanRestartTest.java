package io.canvasflow.topology.reliability;

import static io.canvasflow.topology.reliability.Fixtures.everyFrame;
import static io.canvasflow.topology.reliability.Fixtures.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.avro.MaskEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code serve} (in a child JVM) stopped with SIGTERM under exactly-once keeps its state
 * directory: its next start restores nothing, and deletes nothing. (Kafka Streams 4.3 writes no
 * {@code .checkpoint} at a clean stop; a rule that took its absence for an unclean stop deleted
 * every task's state at every restart.)
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CleanRestartTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Path LOGS = Path.of("target", "reliability");

    @TempDir Path dir;

    @Test
    void shouldKeepTheStateOfACleanStopAndRestoreNothingAtTheNextStart() throws Exception {
        try (EmbeddedKafkaBroker kafka = Fixtures.crashBroker().build().start()) {
            // Given serve (exactly-once) segmenting two cameras, one per partition
            Fixtures.createTopics(kafka, 2);
            List<String> cameras = Fixtures.cameras(2, 1);
            Map<String, String> settings =
                    Fixtures.settings(kafka.bootstrapServers(), "clean-stop", dir);
            List<MaskEvent> all;
            try (TopicRecorder<MaskEvent> masks = TopicRecorder.masks(kafka);
                    KafkaProducer<String, byte[]> producer = Fixtures.producer(kafka)) {
                try (ChildServe first =
                        ChildServe.start(
                                Fixtures.modelDir(), settings, LOGS.resolve("clean-stop-1.log"))) {
                    Fixtures.publish(producer, cameras, 1, 5);
                    Fixtures.await(
                            "10 masks", TIMEOUT, () -> masks.size() >= 10, () -> first.logTail(40));

                    // When it is stopped with SIGTERM and started again on its state directory
                    first.terminate();
                    assertEquals(0, first.awaitExit(TIMEOUT), first.logTail(40));
                }
                Fixtures.publish(producer, cameras, 6, 8);
                try (ChildServe again =
                        ChildServe.start(
                                Fixtures.modelDir(), settings, LOGS.resolve("clean-stop-2.log"))) {
                    all = masks.awaitValues(16, TIMEOUT, Duration.ofSeconds(2));

                    // Then it deletes no task's state, and restores no changelog record
                    assertEquals(
                            List.of(),
                            again.output().stream()
                                    .filter(l -> l.contains("UncleanStop"))
                                    .toList());
                    assertEquals(
                            List.of(),
                            again.output().stream()
                                    .filter(l -> l.matches(".*restored [1-9][0-9]* changelog.*"))
                                    .toList());
                }
            }
            // And every frame has one mask, the first after the restart seeded from the kept
            // canvas
            assertEquals(everyFrame(cameras, 8), sequences(all));
            assertEquals(Fixtures.seeded(cameras, 6), Fixtures.howEach(all, 6));
        }
    }
}
