package io.canvasflow.topology.reliability;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.avro.MaskEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * {@code serve} (exactly-once, in a child JVM) segmenting two cameras, one per partition: frames 1
 * to 5, a stop the test chooses, then frames 6 to 8 for a new {@code serve} on the same state
 * directory. Its logs are {@code target/reliability/NAME-1.log} and {@code NAME-2.log}.
 */
final class StopAndStartAgain {

    static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Path LOGS = Path.of("target", "reliability");

    private StopAndStartAgain() {}

    /** How the test stops the first {@code serve}. */
    interface Stop {
        void stop(ChildServe first) throws Exception;
    }

    /**
     * What came of it.
     *
     * @param cameras the two cameras
     * @param masks every mask, once all 16 frames have one
     * @param restarted what the second {@code serve} had written by then
     */
    record Outcome(List<String> cameras, List<MaskEvent> masks, List<String> restarted) {}

    /**
     * Runs it on a broker of its own.
     *
     * @param name the application id, and the start of the logs' names
     * @param stateDir the state directory of both runs
     * @param stop stops the first run once its first 10 masks are out
     */
    static Outcome run(String name, Path stateDir, Stop stop) throws Exception {
        try (EmbeddedKafkaBroker kafka = Fixtures.crashBroker().build().start()) {
            Fixtures.createTopics(kafka, 2);
            List<String> cameras = Fixtures.cameras(2, 1);
            Map<String, String> settings =
                    Fixtures.settings(kafka.bootstrapServers(), name, stateDir);
            try (TopicRecorder<MaskEvent> masks = TopicRecorder.masks(kafka);
                    KafkaProducer<String, byte[]> producer = Fixtures.producer(kafka)) {
                try (ChildServe first =
                        ChildServe.start(
                                Fixtures.modelDir(), settings, LOGS.resolve(name + "-1.log"))) {
                    Fixtures.publish(producer, cameras, 1, 5);
                    Fixtures.await(
                            "10 masks", TIMEOUT, () -> masks.size() >= 10, () -> first.logTail(40));
                    stop.stop(first);
                }
                Fixtures.publish(producer, cameras, 6, 8);
                try (ChildServe again =
                        ChildServe.start(
                                Fixtures.modelDir(), settings, LOGS.resolve(name + "-2.log"))) {
                    List<MaskEvent> all = masks.awaitValues(16, TIMEOUT, Duration.ofSeconds(2));
                    return new Outcome(cameras, all, again.output());
                }
            }
        }
    }
}
