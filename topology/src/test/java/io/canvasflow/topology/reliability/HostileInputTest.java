package io.canvasflow.topology.reliability;

import static io.canvasflow.topology.reliability.Fixtures.H;
import static io.canvasflow.topology.reliability.Fixtures.W;
import static io.canvasflow.topology.reliability.Fixtures.how;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.DeadLetterReason;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.testsupport.Bytes;
import io.canvasflow.topology.CanvasFlowApp;
import io.canvasflow.topology.CanvasFlowConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of hostile records on a real broker, exactly-once, each between good frames of two
 * cameras and mostly keyed by them: every bad record lands in {@code frames-dlq} with its reason (a
 * duplicate is counted, an out-of-order frame is segmented from zero without touching the newer
 * canvas), every good frame is segmented and seeded as if nothing had happened, and the application
 * never restarts a stream thread.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HostileInputTest {

    private static final String A = "good-a";
    private static final String B = "good-b";
    private static final int MAX_BYTES = 64 * 1024;
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    @TempDir Path dir;

    /** A hostile record and the camera and reason its dead letter must carry. */
    private record Bad(
            String what, String key, byte[] value, String camera, DeadLetterReason reason) {}

    /**
     * A dead letter as compared: where the record was, the camera, the reason and the original
     * value's length and digest (null when it was not kept).
     */
    private record Letter(long offset, String camera, DeadLetterReason reason, String value) {}

    @Test
    void shouldDeadLetterEveryHostileRecordAndSegmentEveryGoodFrameWithoutRestarting()
            throws Exception {
        List<Bad> corpus = corpus();
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start();
                StateRecorder states = new StateRecorder()) {
            // Given one partition, so that the order of everything is known, and a running app
            Fixtures.createTopics(kafka, 1);
            Map<String, String> settings =
                    Fixtures.settings(
                            kafka.bootstrapServers(), "canvasflow-hostile", dir.resolve("state"));
            settings.put(CanvasFlowConfig.FRAME_MAX_BYTES, Integer.toString(MAX_BYTES));
            try (TopicRecorder<MaskEvent> masks = TopicRecorder.masks(kafka);
                    TopicRecorder<DeadLetter> deadLetters = TopicRecorder.deadLetters(kafka);
                    CanvasFlowApp app =
                            CanvasFlowApp.start(Fixtures.config(settings), Fixtures.model());
                    KafkaProducer<String, byte[]> producer = Fixtures.producer(kafka)) {
                states.watch(app.streams());
                Fixtures.await("the application runs", TIMEOUT, () -> Fixtures.hasActiveTasks(app));
                Set<String> threads = threadNames(app);

                // When each hostile record follows a good frame of each camera
                List<Letter> expectedLetters = new ArrayList<>();
                List<String> expectedMasks = new ArrayList<>();
                long seq = 0;
                for (Bad bad : corpus) {
                    seq++;
                    for (String camera : List.of(A, B)) {
                        send(producer, camera, AvroSerdes.frame().serialize(frame(camera, seq)));
                        expectedMasks.add(
                                camera
                                        + (seq == 1
                                                ? " #1 reset FIRST_FRAME"
                                                : " #" + seq + " seeded"));
                    }
                    long offset = send(producer, bad.key(), bad.value());
                    boolean kept = bad.value() != null && bad.value().length <= MAX_BYTES;
                    expectedLetters.add(
                            new Letter(
                                    offset,
                                    bad.camera(),
                                    bad.reason(),
                                    kept ? Bytes.digest(bad.value()) : null));
                }
                // and camera A's latest frame comes again, camera B's third-latest comes late,
                // then both cameras go on
                send(producer, A, AvroSerdes.frame().serialize(frame(A, seq)));
                send(producer, B, AvroSerdes.frame().serialize(frame(B, seq - 2)));
                expectedMasks.add(B + " #" + (seq - 2) + " reset OUT_OF_ORDER");
                for (String camera : List.of(A, B)) {
                    send(producer, camera, AvroSerdes.frame().serialize(frame(camera, seq + 1)));
                    expectedMasks.add(camera + " #" + (seq + 1) + " seeded");
                }

                // Then every hostile record has its dead letter, with its reason and bytes
                List<DeadLetter> letters =
                        deadLetters.awaitValues(corpus.size(), TIMEOUT, Duration.ofSeconds(1));
                List<Letter> actualLetters = new ArrayList<>();
                for (DeadLetter d : letters) {
                    assertFalse(d.getMessage().isBlank(), "a dead letter says what was wrong");
                    assertEquals(Topics.FRAMES.name(), d.getSourceTopic());
                    actualLetters.add(
                            new Letter(
                                    d.getSourceOffset(),
                                    d.getCameraId(),
                                    d.getReason(),
                                    d.getOriginalValue() == null
                                            ? null
                                            : Bytes.digest(Bytes.of(d.getOriginalValue()))));
                }
                assertEquals(describe(corpus, expectedLetters), describe(corpus, actualLetters));
                // And every good frame has its mask, seeded as if nothing had happened; the
                // duplicate has none, the late frame one from zero that leaves B's canvas alone
                List<MaskEvent> all =
                        masks.awaitValues(expectedMasks.size(), TIMEOUT, Duration.ofSeconds(2));
                assertEquals(
                        expectedMasks,
                        all.stream().map(m -> m.getCameraId() + " " + how(m)).toList());
                // And the metrics count them
                assertEquals(1.0, app.metrics().duplicates(), "duplicates counted");
                Map<DeadLetterReason, Double> counted = new TreeMap<>();
                Map<DeadLetterReason, Double> expectedCounts = new TreeMap<>();
                for (Bad bad : corpus) {
                    expectedCounts.merge(bad.reason(), 1.0, Double::sum);
                    counted.put(bad.reason(), app.metrics().deadLetters(bad.reason()));
                }
                assertEquals(expectedCounts, counted);
                // And no stream thread died or was replaced: the application never restarted
                assertEquals(0.0, StateRecorder.failedThreads(app.streams()), "failed threads");
                assertEquals(threads, threadNames(app));
                assertEquals(KafkaStreams.State.RUNNING, app.streams().state());
                // (a rebalance is not a restart; an error or a shutdown would be)
                Set<KafkaStreams.State> failed = new TreeSet<>(states.seen());
                failed.removeAll(
                        Set.of(
                                KafkaStreams.State.CREATED,
                                KafkaStreams.State.REBALANCING,
                                KafkaStreams.State.RUNNING));
                assertEquals(Set.of(), failed, "states the application went through");
            }
        }
    }

    /** The hostile records, each with the dead letter it must cause. */
    private static List<Bad> corpus() {
        byte[] frame = AvroSerdes.frame().serialize(frame(A, 999));
        byte[] random = new byte[300];
        new Random(7).nextBytes(random);
        byte[] otherFingerprint = Arrays.copyOf(frame, frame.length);
        otherFingerprint[5] ^= 0x5a;
        byte[] mask =
                AvroSerdes.maskEvent()
                        .serialize(
                                MaskEvent.newBuilder()
                                        .setCameraId(B)
                                        .setSequence(1)
                                        .setCaptureTimestamp(Fixtures.T0)
                                        .setProcessedTimestamp(Fixtures.T0)
                                        .setMaskWidth(W)
                                        .setMaskHeight(H)
                                        .setClassMap(ByteBuffer.allocate(0))
                                        .setClassFractions(List.of())
                                        .setClassNames(List.of())
                                        .setIterations(0)
                                        .setSeeded(false)
                                        .setModelId("m")
                                        .setModelVersion("v")
                                        .setModelMillis(0)
                                        .setEndToEndLatencyMillis(0)
                                        .build());
        byte[] jpeg = Fixtures.encode(Fixtures.street(0), "jpg");
        byte[] png = Fixtures.encode(Fixtures.street(0), "png");
        String longId = "x".repeat(10 * 1024);
        return List.of(
                new Bad(
                        "a truncated frame",
                        A,
                        Arrays.copyOf(frame, frame.length / 2),
                        A,
                        DeadLetterReason.NOT_A_FRAME),
                new Bad(
                        "three bytes of a frame's header",
                        A,
                        Arrays.copyOf(frame, 3),
                        A,
                        DeadLetterReason.NOT_A_FRAME),
                new Bad("no bytes", A, new byte[0], A, DeadLetterReason.NOT_A_FRAME),
                new Bad("a tombstone", A, null, A, DeadLetterReason.NOT_A_FRAME),
                new Bad("random bytes", B, random, B, DeadLetterReason.NOT_A_FRAME),
                new Bad(
                        "a frame with another schema's fingerprint",
                        B,
                        otherFingerprint,
                        B,
                        DeadLetterReason.UNKNOWN_SCHEMA),
                new Bad("a mask event", B, mask, B, DeadLetterReason.UNKNOWN_SCHEMA),
                bad(
                        "a JPEG header with a garbage body",
                        frame(A, W, H, ImageEncoding.JPEG, Fixtures.jpegHeaderWithGarbageBody()),
                        DeadLetterReason.UNDECODABLE_IMAGE),
                bad(
                        "a PNG sent as JPEG",
                        frame(A, W, H, ImageEncoding.JPEG, png),
                        DeadLetterReason.UNDECODABLE_IMAGE),
                bad(
                        "no image bytes",
                        frame(A, W, H, ImageEncoding.JPEG, new byte[0]),
                        DeadLetterReason.UNDECODABLE_IMAGE),
                bad(
                        "a 64x48 frame whose PNG claims 100000x100000 pixels",
                        frame(A, W, H, ImageEncoding.PNG, Fixtures.pngClaiming(100_000, 100_000)),
                        DeadLetterReason.IMAGE_TOO_LARGE),
                bad(
                        "a frame and PNG of 100000x100000 pixels",
                        frame(
                                A,
                                100_000,
                                100_000,
                                ImageEncoding.PNG,
                                Fixtures.pngClaiming(100_000, 100_000)),
                        DeadLetterReason.IMAGE_TOO_LARGE),
                bad(
                        "a zero width",
                        frame(A, 0, H, ImageEncoding.JPEG, jpeg),
                        DeadLetterReason.BAD_DIMENSIONS),
                bad(
                        "a negative height",
                        frame(A, W, -H, ImageEncoding.JPEG, jpeg),
                        DeadLetterReason.BAD_DIMENSIONS),
                bad(
                        "80x60 declared for a 64x48 JPEG",
                        frame(A, 80, 60, ImageEncoding.JPEG, jpeg),
                        DeadLetterReason.DIMENSION_MISMATCH),
                bad(
                        "1000 RGB24 bytes for 64x48",
                        frame(A, W, H, ImageEncoding.RGB24, new byte[1000]),
                        DeadLetterReason.DIMENSION_MISMATCH),
                new Bad(
                        "an image over frame.max.bytes (its bytes are not kept)",
                        A,
                        AvroSerdes.frame()
                                .serialize(
                                        frame(
                                                A,
                                                W,
                                                H,
                                                ImageEncoding.RGB24,
                                                new byte[MAX_BYTES + 1])),
                        A,
                        DeadLetterReason.IMAGE_TOO_LARGE),
                bad(
                        "an empty camera id",
                        frame("", W, H, ImageEncoding.JPEG, jpeg),
                        null,
                        DeadLetterReason.MISSING_CAMERA_ID),
                bad(
                        "a blank camera id",
                        frame("  ", W, H, ImageEncoding.JPEG, jpeg),
                        null,
                        DeadLetterReason.MISSING_CAMERA_ID),
                bad(
                        "a camera id of 10 KB",
                        frame(longId, W, H, ImageEncoding.JPEG, jpeg),
                        null,
                        DeadLetterReason.CAMERA_ID_TOO_LONG),
                new Bad(
                        "a frame without a key",
                        null,
                        AvroSerdes.frame().serialize(frame(A, W, H, ImageEncoding.JPEG, jpeg)),
                        A,
                        DeadLetterReason.MISSING_CAMERA_ID),
                new Bad(
                        "a frame of camera A keyed by camera B",
                        B,
                        AvroSerdes.frame().serialize(frame(A, W, H, ImageEncoding.JPEG, jpeg)),
                        A,
                        DeadLetterReason.OTHER));
    }

    /** A frame keyed by its camera id, whose dead letter names that camera. */
    private static Bad bad(String what, Frame frame, DeadLetterReason reason) {
        return bad(what, frame, frame.getCameraId(), reason);
    }

    private static Bad bad(String what, Frame frame, String camera, DeadLetterReason reason) {
        return new Bad(
                what, frame.getCameraId(), AvroSerdes.frame().serialize(frame), camera, reason);
    }

    private static Frame frame(String camera, long sequence) {
        return Fixtures.frame(camera, sequence);
    }

    /** A hostile frame; its sequence never matters, as it never reaches the canvas store. */
    private static Frame frame(
            String camera, int width, int height, ImageEncoding encoding, byte[] image) {
        return Fixtures.frame(camera, 999, width, height, encoding, image);
    }

    /** The letters, each with the corpus entry it is for, one per line. */
    private static String describe(List<Bad> corpus, List<Letter> letters) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < letters.size(); i++) {
            out.append(i < corpus.size() ? corpus.get(i).what() : "(extra)")
                    .append(": ")
                    .append(letters.get(i))
                    .append('\n');
        }
        return out.toString();
    }

    private static long send(KafkaProducer<String, byte[]> producer, String key, byte[] value)
            throws Exception {
        return producer.send(new ProducerRecord<>(Topics.FRAMES.name(), key, value)).get().offset();
    }

    private static Set<String> threadNames(CanvasFlowApp app) {
        Set<String> out = new TreeSet<>();
        app.streams().metadataForLocalThreads().stream()
                .map(ThreadMetadata::threadName)
                .forEach(out::add);
        return out;
    }
}
