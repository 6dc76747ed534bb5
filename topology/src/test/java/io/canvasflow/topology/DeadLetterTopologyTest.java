package io.canvasflow.topology;

import static io.canvasflow.testsupport.Frames.frame;
import static io.canvasflow.topology.TestFrames.T0;
import static io.canvasflow.topology.TopologyHarness.Seen.reset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.DeadLetterReason;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ResetReason;
import io.canvasflow.testsupport.Bytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterTopologyTest {

    private static final int W = 64;
    private static final int H = 48;

    @TempDir Path stateDir;

    /**
     * A dead letter with its byte fields shown as length and digest, so that a failure prints a
     * readable difference; the message is checked apart.
     */
    record Letter(
            String topic,
            int partition,
            long offset,
            String camera,
            DeadLetterReason reason,
            String key,
            String value,
            Instant timestamp) {

        static Letter of(DeadLetter d) {
            assertFalse(d.getMessage().isBlank(), "a dead letter says what was wrong");
            return new Letter(
                    d.getSourceTopic(),
                    d.getSourcePartition(),
                    d.getSourceOffset(),
                    d.getCameraId(),
                    d.getReason(),
                    Bytes.digest(d.getOriginalKey() == null ? null : Bytes.of(d.getOriginalKey())),
                    Bytes.digest(
                            d.getOriginalValue() == null ? null : Bytes.of(d.getOriginalValue())),
                    d.getTimestamp());
        }

        Letter withTimestamp(Instant other) {
            return new Letter(topic, partition, offset, camera, reason, key, value, other);
        }
    }

    private static Letter expected(
            long offset,
            String camera,
            DeadLetterReason reason,
            byte[] key,
            byte[] value,
            Instant when) {
        return new Letter(
                Topics.FRAMES.name(),
                0,
                offset,
                camera,
                reason,
                Bytes.digest(key),
                Bytes.digest(value),
                when);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * At-least-once here only because of the test driver: under exactly-once its MockProducer
     * clears the records a deserialization handler sends before the driver commits them. The
     * end-to-end test checks the same path under exactly-once on a real broker.
     */
    @Test
    void shouldDeadLetterBytesThatAreNotAFrameWithTheOriginalBytes() {
        try (TopologyHarness t =
                new TopologyHarness(
                        stateDir, Map.of(CanvasFlowConfig.PROCESSING_GUARANTEE, "at_least_once"))) {
            // Given a truncated frame, random bytes and a record of another schema
            byte[] frameBytes = AvroSerdes.frame().serialize(TestFrames.jpeg("cam-1", 1, W, H));
            byte[] truncated = Arrays.copyOf(frameBytes, frameBytes.length / 2);
            byte[] random = new byte[300];
            new Random(7).nextBytes(random);
            byte[] mask =
                    AvroSerdes.maskEvent()
                            .serialize(
                                    new MaskEncoder(TestModel.source().spec())
                                            .skipped(TestFrames.jpeg("cam-1", 1, W, H), 0));
            // (the handler cannot see the driver's clock: it stamps dead letters with real time,
            // in whole milliseconds as Avro's timestamp-millis keeps it)
            Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

            // When they arrive on the frames topic
            t.rawFrames.pipeInput("cam-1", truncated);
            t.rawFrames.pipeInput("cam-2", random);
            t.rawFrames.pipeInput("cam-3", mask);
            t.send(TestFrames.jpeg("cam-4", 1, W, H));

            // Then each is dead-lettered with its bytes and reason, and the good frame is segmented
            Instant after = Instant.now();
            List<Letter> letters =
                    t.deadLetters.readValuesToList().stream().map(Letter::of).toList();
            assertTrue(
                    letters.stream()
                            .allMatch(
                                    l ->
                                            !l.timestamp().isBefore(before)
                                                    && !l.timestamp().isAfter(after)),
                    letters::toString);
            assertEquals(
                    List.of(
                            expected(
                                    0,
                                    "cam-1",
                                    DeadLetterReason.NOT_A_FRAME,
                                    utf8("cam-1"),
                                    truncated,
                                    null),
                            expected(
                                    1,
                                    "cam-2",
                                    DeadLetterReason.NOT_A_FRAME,
                                    utf8("cam-2"),
                                    random,
                                    null),
                            expected(
                                    2,
                                    "cam-3",
                                    DeadLetterReason.UNKNOWN_SCHEMA,
                                    utf8("cam-3"),
                                    mask,
                                    null)),
                    letters.stream().map(l -> l.withTimestamp(null)).toList());
            assertEquals(
                    List.of(reset("cam-4", 1, 6, ResetReason.FIRST_FRAME)),
                    t.masks.readValuesToList().stream().map(TopologyHarness.Seen::of).toList());
            assertEquals(2.0, t.metrics.deadLetters(DeadLetterReason.NOT_A_FRAME));
            assertEquals(1.0, t.metrics.deadLetters(DeadLetterReason.UNKNOWN_SCHEMA));
        }
    }

    @Test
    void shouldDeadLetterEveryKindOfBadFrameAndCarryOn() {
        try (TopologyHarness t =
                new TopologyHarness(stateDir, Map.of(CanvasFlowConfig.FRAME_MAX_BYTES, "65536"))) {
            // Given frames that are well-formed Avro but not acceptable
            byte[] jpeg = TestFrames.encode(TestFrames.street(W, H, 0), "jpg");
            String longId = "x".repeat(10 * 1024);
            List<Frame> bad =
                    List.of(
                            frame(
                                    "cam-1",
                                    1,
                                    T0,
                                    W,
                                    H,
                                    ImageEncoding.JPEG,
                                    TestFrames.jpegHeaderWithGarbageBody(W, H)),
                            frame(
                                    "cam-1",
                                    2,
                                    T0,
                                    W,
                                    H,
                                    ImageEncoding.PNG,
                                    TestFrames.pngClaiming(100_000, 100_000)),
                            frame("cam-1", 3, T0, 0, H, ImageEncoding.JPEG, jpeg),
                            frame("cam-1", 4, T0, W, -1, ImageEncoding.JPEG, jpeg),
                            frame("cam-1", 5, T0, 80, 60, ImageEncoding.JPEG, jpeg),
                            frame("cam-1", 6, T0, W, H, ImageEncoding.RGB24, new byte[100_000]),
                            frame("", 7, T0, W, H, ImageEncoding.JPEG, jpeg),
                            frame(longId, 8, T0, W, H, ImageEncoding.JPEG, jpeg));
            Instant now = t.wallClock();

            // When they arrive, followed by a good one
            for (Frame frame : bad) {
                t.frames.pipeInput(frame.getCameraId(), frame, T0);
            }
            t.send(TestFrames.jpeg("cam-1", 9, W, H));

            // Then each bad frame is dead-lettered with its reason, the original record and the
            // camera id when it is a valid one, and the good frame is segmented
            List<Letter> expected =
                    List.of(
                            expected(
                                    0,
                                    "cam-1",
                                    DeadLetterReason.UNDECODABLE_IMAGE,
                                    utf8("cam-1"),
                                    avro(bad.get(0)),
                                    now),
                            expected(
                                    1,
                                    "cam-1",
                                    DeadLetterReason.IMAGE_TOO_LARGE,
                                    utf8("cam-1"),
                                    avro(bad.get(1)),
                                    now),
                            expected(
                                    2,
                                    "cam-1",
                                    DeadLetterReason.BAD_DIMENSIONS,
                                    utf8("cam-1"),
                                    avro(bad.get(2)),
                                    now),
                            expected(
                                    3,
                                    "cam-1",
                                    DeadLetterReason.BAD_DIMENSIONS,
                                    utf8("cam-1"),
                                    avro(bad.get(3)),
                                    now),
                            expected(
                                    4,
                                    "cam-1",
                                    DeadLetterReason.DIMENSION_MISMATCH,
                                    utf8("cam-1"),
                                    avro(bad.get(4)),
                                    now),
                            // over frame.max.bytes: its bytes are not kept, so its dead letter is
                            // small
                            expected(
                                    5,
                                    "cam-1",
                                    DeadLetterReason.IMAGE_TOO_LARGE,
                                    utf8("cam-1"),
                                    null,
                                    now),
                            expected(
                                    6,
                                    null,
                                    DeadLetterReason.MISSING_CAMERA_ID,
                                    utf8(""),
                                    avro(bad.get(6)),
                                    now),
                            expected(
                                    7,
                                    null,
                                    DeadLetterReason.CAMERA_ID_TOO_LONG,
                                    utf8(longId),
                                    avro(bad.get(7)),
                                    now));
            List<DeadLetter> letters = t.deadLetters.readValuesToList();
            assertEquals(expected, letters.stream().map(Letter::of).toList());
            assertEquals(
                    "the frame declares 80x60 but its JPEG image is 64x48",
                    letters.get(4).getMessage());
            List<MaskEvent> masks = t.masks.readValuesToList();
            assertEquals(
                    List.of(reset("cam-1", 9, 6, ResetReason.FIRST_FRAME)),
                    masks.stream().map(TopologyHarness.Seen::of).toList());
        }
    }

    private static byte[] avro(Frame frame) {
        return AvroSerdes.frame().serialize(frame);
    }
}
