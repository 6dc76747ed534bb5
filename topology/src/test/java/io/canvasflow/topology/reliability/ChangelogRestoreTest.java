package io.canvasflow.topology.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.StoreNames;
import io.canvasflow.schemas.avro.MaskEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The canvas changelog is created with small segments, so that the brokers' cleaner compacts it
 * while serve runs, and a serve killed after a while of frames restores the active segment and one
 * canvas per camera rather than every canvas it wrote (1 GiB segments: all of them).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChangelogRestoreTest {

    private static final String APP = "changelog-restore";
    private static final Path LOGS = Path.of("target", "reliability");
    private static final Pattern RESTORED =
            Pattern.compile("restored (\\d+) changelog records of (\\d+) partition");

    /** Frames of each camera: at 10 a second, past two of the test's segment.ms. */
    private static final int FRAMES = 300;

    /**
     * The test's segment.ms, through the Kafka property that replaces serve's 60 s, so that
     * segments roll within a 30 s run (serve's own 60 s is checked by ChangelogSegmentsTest).
     */
    private static final String SEGMENT_MS = "10000";

    @TempDir Path dir;

    @Test
    void shouldRestoreLessThanEveryCanvasAfterAKillOnceSegmentsRoll() throws Exception {
        // a cleaner that looks every second, not Kafka's 15 s, so a 30 s run sees it work
        try (EmbeddedKafkaBroker kafka =
                Fixtures.crashBroker()
                        .optConfig("log.cleaner.backoff.ms", "1000")
                        .build()
                        .start()) {
            Fixtures.createTopics(kafka, 2);
            List<String> cameras = Fixtures.cameras(2, 1);
            Map<String, String> settings =
                    Fixtures.settings(kafka.bootstrapServers(), APP, dir.resolve("state"));
            settings.put("topic.segment.ms", SEGMENT_MS);
            try (TopicRecorder<MaskEvent> masks = TopicRecorder.masks(kafka);
                    KafkaProducer<String, byte[]> producer = Fixtures.producer(kafka)) {
                int before;
                long offsets;
                try (ChildServe first =
                        ChildServe.start(
                                Fixtures.modelDir(), settings, LOGS.resolve(APP + "-1.log"))) {
                    first.awaitOwns("[0, 1]", Duration.ofSeconds(90));

                    // Then its changelogs have serve's segment settings, but the one a Kafka
                    // property topic.X replaces
                    assertEquals(
                            Map.of(
                                    "segment.bytes", "16777216",
                                    "segment.ms", SEGMENT_MS,
                                    "min.cleanable.dirty.ratio", "0.1"),
                            segmentSettings(kafka));

                    // When two cameras send 10 frames a second for 30 s, and serve is killed
                    for (int seq = 1; seq <= FRAMES; seq++) {
                        Fixtures.publish(producer, cameras, seq, seq);
                        Thread.sleep(100);
                    }
                    Fixtures.await(
                            "masks of every frame",
                            Duration.ofSeconds(60),
                            () -> masks.size() >= 2 * FRAMES,
                            () -> first.logTail(40));
                    before = masks.size();
                    first.kill();
                    offsets = endOffsets(kafka);
                }
                try (ChildServe again =
                        ChildServe.start(
                                Fixtures.modelDir(), settings, LOGS.resolve(APP + "-2.log"))) {
                    again.awaitOwns("[0, 1]", Duration.ofSeconds(90));
                    long restored =
                            again.output().stream()
                                    .map(RESTORED::matcher)
                                    .filter(Matcher::find)
                                    .mapToLong(m -> Long.parseLong(m.group(1)))
                                    .reduce((earlier, later) -> later) // the episode's total
                                    .orElse(0);
                    Fixtures.report(
                            APP,
                            String.format(
                                    "changelog restore: 2 cameras x %d frames at 10 frames/s,"
                                            + " %d masks, changelog end offsets %d, SIGKILL:"
                                            + " restored %d changelog records",
                                    FRAMES, before, offsets, restored));
                    // Then it restored what the cleaner had not compacted yet: the active segment
                    // (at most 10 s of canvases here) and at most one closed segment, not every
                    // canvas.
                    // Each canvas written takes an offset and so does its transaction's marker
                    // (one camera a partition), so every canvas is about half the offsets.
                    assertTrue(
                            restored > 0 && restored < offsets * 2 / 5,
                            "restored " + restored + " of " + offsets + " changelog offsets");
                }
            }
        }
    }

    /** The canvas changelog's end offsets, all partitions together. */
    private static long endOffsets(EmbeddedKafkaBroker kafka) throws Exception {
        String changelog = StoreNames.changelog(APP, StoreNames.CANVAS_STORE);
        Map<TopicPartition, OffsetSpec> latest =
                Map.of(
                        new TopicPartition(changelog, 0), OffsetSpec.latest(),
                        new TopicPartition(changelog, 1), OffsetSpec.latest());
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            return admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(o -> o.offset())
                    .sum();
        }
    }

    /** The segment settings of the canvas changelog, as the broker has them. */
    private static Map<String, String> segmentSettings(EmbeddedKafkaBroker kafka) throws Exception {
        ConfigResource topic =
                new ConfigResource(
                        ConfigResource.Type.TOPIC,
                        StoreNames.changelog(APP, StoreNames.CANVAS_STORE));
        Set<String> names = Set.of("segment.bytes", "segment.ms", "min.cleanable.dirty.ratio");
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            Config config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
            return config.entries().stream()
                    .filter(e -> names.contains(e.name()))
                    .collect(Collectors.toMap(e -> e.name(), e -> e.value()));
        }
    }
}
