package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.StoreNames;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.testsupport.CanvasFlowTopics;
import io.canvasflow.testsupport.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What latest-only mode writes to the pending-frames changelog: a frame still pending at a commit
 * is logged, and one parked and segmented between two commits is not. The topology test driver
 * commits after every record and every punctuation, so the second needs a real broker.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PendingChangelogTest {

    private static final String APPLICATION_ID = "canvasflow-pending";
    private static final int FRAMES = 5;
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    /** A changelog record as a test compares it: the camera, and the frame's number or null. */
    record Logged(String camera, Long sequence) {}

    @TempDir Path dir;

    @Test
    void shouldLogNoFrameParkedAndSegmentedWithinOneCommitInterval() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            // Given a latest-only serve whose only commit is the one it makes when it stops
            kafka.createTopics(CanvasFlowTopics.withPartitions(1));
            CanvasFlowConfig config =
                    CanvasFlowConfig.fromMap(
                            Map.of(
                                    CanvasFlowConfig.BOOTSTRAP_SERVERS,
                                    kafka.bootstrapServers(),
                                    CanvasFlowConfig.APPLICATION_ID,
                                    APPLICATION_ID,
                                    CanvasFlowConfig.STATE_DIR,
                                    dir.toString(),
                                    CanvasFlowConfig.HTTP_PORT,
                                    "0",
                                    CanvasFlowConfig.PROCESSING_MODE,
                                    "latest-only",
                                    CanvasFlowConfig.PROCESSING_GUARANTEE,
                                    "at_least_once",
                                    "commit.interval.ms",
                                    "600000"));
            try (CanvasFlowApp app = CanvasFlowApp.start(config, TestModel.source())) {
                await("serve runs", () -> app.streams().state() == KafkaStreams.State.RUNNING);

                // When a camera's frames arrive one at a time, each segmented before the next
                try (KafkaProducer<String, byte[]> producer =
                        new KafkaProducer<>(
                                kafka.clientConfig(),
                                new StringSerializer(),
                                new ByteArraySerializer())) {
                    for (long seq = 1; seq <= FRAMES; seq++) {
                        Frame frame = TestFrames.jpeg("cam-a", seq, 64, 48);
                        producer.send(
                                new ProducerRecord<>(
                                        Topics.FRAMES.name(),
                                        "cam-a",
                                        AvroSerdes.frame().serialize(frame)));
                        producer.flush();
                        long processed = seq;
                        await("frame " + seq + " is segmented", () -> processed(app) == processed);
                    }
                }
            }

            // Then the changelog holds one tombstone of the camera, written at the commit, and
            // none of its frames
            assertEquals(List.of(new Logged("cam-a", null)), changelog(kafka));
        }
    }

    @Test
    void shouldLogAFrameStillPendingAtTheCommitAndATombstoneOnceItIsSegmented() {
        try (TopologyHarness t =
                new TopologyHarness(dir, Map.of(CanvasFlowConfig.PROCESSING_MODE, "latest-only"))) {
            TestOutputTopic<String, Frame> changelog =
                    t.driver.createOutputTopic(
                            changelogOf(t.config.applicationId()),
                            new StringDeserializer(),
                            AvroSerdes.frame().deserializer());

            // Given a frame parked and committed before the next drain
            t.frames.pipeInput("cam-a", TestFrames.jpeg("cam-a", 1, 64, 48));
            List<Logged> atCommit = logged(changelog.readRecordsToList());

            // When it is drained
            t.advanceTo(t.wallClock().plus(LatestOnlyProcessor.DRAIN_INTERVAL));

            // Then the commit logged the frame, for a restore to find, and the drain's commit its
            // tombstone
            assertEquals(List.of(new Logged("cam-a", 1L)), atCommit);
            assertEquals(List.of(new Logged("cam-a", null)), logged(changelog.readRecordsToList()));
        }
    }

    private static List<Logged> changelog(EmbeddedKafkaBroker kafka) {
        List<ConsumerRecord<String, Frame>> records =
                TopicReader.readFromBeginning(
                        kafka.bootstrapServers(),
                        changelogOf(APPLICATION_ID),
                        new StringDeserializer(),
                        AvroSerdes.frame().deserializer(),
                        1,
                        DEADLINE);
        return logged(records.stream().map(r -> new TestRecord<>(r.key(), r.value())).toList());
    }

    private static String changelogOf(String applicationId) {
        return applicationId + "-" + StoreNames.PENDING_FRAMES_STORE + "-changelog";
    }

    private static List<Logged> logged(List<TestRecord<String, Frame>> records) {
        return records.stream()
                .map(r -> new Logged(r.key(), r.value() == null ? null : r.value().getSequence()))
                .toList();
    }

    private static double processed(CanvasFlowApp app) {
        return app.metrics().registry().get("canvasflow.frames.processed").counter().count();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
