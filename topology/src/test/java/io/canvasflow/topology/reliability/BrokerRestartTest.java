package io.canvasflow.topology.reliability;

import static io.canvasflow.topology.reliability.Fixtures.everyFrame;
import static io.canvasflow.topology.reliability.Fixtures.sequences;
import static io.canvasflow.topology.reliability.Fixtures.unexpectedResets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.topology.CanvasFlowApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The only broker, on a persistent data directory, is stopped for a few seconds and started again
 * on the same ports while the application (exactly-once) segments eight live cameras. The
 * application recovers by itself and nothing is lost or duplicated.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BrokerRestartTest {

    private static final Fixtures.Workload LOAD = Fixtures.EIGHT_LIVE_CAMERAS;
    private static final Duration OUTAGE = Duration.ofSeconds(12);
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir Path dir;

    @Test
    void shouldRecoverByItselfAndLoseNothingWhenTheBrokerRestarts() throws Exception {
        try (EmbeddedKafkaBroker kafka =
                        Fixtures.crashBroker().optDataDir(dir.resolve("kafka")).build();
                StateRecorder states = new StateRecorder()) {
            // Given a running application and live cameras
            kafka.start();
            Fixtures.createTopics(kafka, LOAD.partitions());
            try (TopicRecorder<MaskEvent> masks = TopicRecorder.masks(kafka);
                    TopicRecorder<DeadLetter> deadLetters = TopicRecorder.deadLetters(kafka);
                    CanvasFlowApp app =
                            CanvasFlowApp.start(
                                    Fixtures.config(
                                            Fixtures.settings(
                                                    kafka.bootstrapServers(),
                                                    "canvasflow-broker-restart",
                                                    dir.resolve("state"))),
                                    Fixtures.model())) {
                states.watch(app.streams());
                Fixtures.await("the application runs", TIMEOUT, () -> Fixtures.hasActiveTasks(app));
                long brokerBack;
                int masksAtStop;
                try (CameraPublisher cameras = CameraPublisher.aheadOfMasks(kafka, LOAD, masks)) {
                    Fixtures.awaitMasksOfEveryCamera(
                            masks, LOAD.total() / 3, LOAD.cameras(), TIMEOUT);

                    // When the broker stops in the middle of the stream and comes back later
                    masksAtStop = masks.size();
                    kafka.stop();
                    Thread.sleep(OUTAGE.toMillis());
                    kafka.start();
                    brokerBack = System.nanoTime();
                    cameras.awaitDone(TIMEOUT);
                }

                // Then every frame has exactly one mask, in order per camera
                List<MaskEvent> all =
                        masks.awaitValues(LOAD.total(), TIMEOUT, Duration.ofSeconds(3));
                long firstAfter =
                        masks.received().stream()
                                .skip(masksAtStop)
                                .filter(r -> r.arrivedNanos() > brokerBack)
                                .mapToLong(r -> r.arrivedNanos() - brokerBack)
                                .min()
                                .orElse(-1);
                Fixtures.report(
                        "broker-restart",
                        String.format(
                                "broker restart: %d masks before the stop; first mask %d ms after"
                                        + " the broker was back after a %d s outage; %d frames,"
                                        + " %d masks; Kafka Streams states %s; failed stream"
                                        + " threads %.0f",
                                masksAtStop,
                                TimeUnit.NANOSECONDS.toMillis(firstAfter),
                                OUTAGE.toSeconds(),
                                LOAD.total(),
                                all.size(),
                                states.seen(),
                                StateRecorder.failedThreads(app.streams())));
                assertEquals(everyFrame(LOAD.cameras(), LOAD.frames()), sequences(all));
                // And no canvas was lost
                assertEquals(List.of(), unexpectedResets(all));
                assertEquals(List.of(), deadLetters.values());
                // And the application recovered by itself: running, never in error
                assertEquals(KafkaStreams.State.RUNNING, app.streams().state());
                assertFalse(app.stopped().isDone(), "the application stopped");
                Set<KafkaStreams.State> failed = new TreeSet<>(states.seen());
                failed.retainAll(
                        Set.of(
                                KafkaStreams.State.PENDING_ERROR,
                                KafkaStreams.State.ERROR,
                                KafkaStreams.State.PENDING_SHUTDOWN,
                                KafkaStreams.State.NOT_RUNNING));
                assertEquals(Set.of(), failed, "states the application went through");
            }
        }
    }
}
