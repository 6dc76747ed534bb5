package io.canvasflow.topology;

import static io.canvasflow.testsupport.Frames.frame;
import static io.canvasflow.topology.ParkedFrame.OFFSET;
import static io.canvasflow.topology.ParkedFrame.PARTITION;
import static io.canvasflow.topology.ParkedFrame.TIMESTAMP;
import static io.canvasflow.topology.TestFrames.T0;
import static io.canvasflow.topology.TestFrames.jpeg;
import static io.canvasflow.topology.TestFrames.jpegHeaderWithGarbageBody;
import static io.canvasflow.topology.TopologyHarness.Seen.reset;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.StoreNames;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.DeadLetterReason;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.schemas.avro.ResetReason;
import io.canvasflow.testsupport.Bytes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Latest-only mode's pending frames as they are parked and restored, end to end. */
class ParkedFrameTopologyTest {

    private static final int W = 64;
    private static final int H = 48;

    @TempDir Path stateDir;

    private TopologyHarness harness(Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.put(CanvasFlowConfig.PROCESSING_MODE, "latest-only");
        return new TopologyHarness(stateDir, all);
    }

    /** What a test checks of a dead letter: where from, why, and the frame it carries. */
    record Letter(int partition, long offset, String camera, DeadLetterReason reason, Frame frame) {

        static Letter of(DeadLetter d) {
            return new Letter(
                    d.getSourcePartition(),
                    d.getSourceOffset(),
                    d.getCameraId(),
                    d.getReason(),
                    AvroSerdes.frame().deserialize(Bytes.of(d.getOriginalValue())));
        }
    }

    private static Frame undecodable(String camera, Map<String, String> metadata) {
        Frame frame =
                frame(camera, 1, T0, W, H, ImageEncoding.JPEG, jpegHeaderWithGarbageBody(W, H));
        frame.setMetadata(new LinkedHashMap<>(metadata));
        return frame;
    }

    @Test
    void shouldDeadLetterAnEarlierVersionsPendingFrameWhoseEntriesDoNotParseAndServeTheOthers() {
        try (TopologyHarness t = harness(Map.of())) {
            // Given a pending frame as an earlier CanvasFlow stored it, with a producer's own
            // timestamp entry that does not parse and pixels that do not decode, and a frame of
            // another camera, sorted after it, arriving
            Map<String, String> entries =
                    Map.of(PARTITION, "3", OFFSET, "0", TIMESTAMP, "hello", "mine", "1");
            KeyValueStore<String, Frame> pending =
                    t.driver.getKeyValueStore(StoreNames.PENDING_FRAMES_STORE);
            pending.put("cam-u1", undecodable("cam-u1", entries));
            t.frames.pipeInput("cam-z18", jpeg("cam-z18", 1, W, H));

            // When the pending frames are drained, twice
            t.advanceTo(t.wallClock().plus(LatestOnlyProcessor.DRAIN_INTERVAL));
            t.advanceTo(t.wallClock().plus(LatestOnlyProcessor.DRAIN_INTERVAL));

            // Then the old frame has one dead letter, with its position and its frame, the entry
            // that did not parse kept, and has left the store; the other camera is served
            assertEquals(
                    List.of(
                            new Letter(
                                    3,
                                    0,
                                    "cam-u1",
                                    DeadLetterReason.UNDECODABLE_IMAGE,
                                    undecodable(
                                            "cam-u1", Map.of(TIMESTAMP, "hello", "mine", "1")))),
                    t.deadLetters.readValuesToList().stream().map(Letter::of).toList());
            assertEquals(null, pending.get("cam-u1"));
            assertEquals(List.of(reset("cam-z18", 1, 6, ResetReason.FIRST_FRAME)), t.seen());
        }
    }

    @Test
    void shouldGiveAProducersOwnSourceEntriesBackWithItsFrame() {
        try (TopologyHarness t = harness(Map.of())) {
            // Given a frame whose producer set entries under our names, and whose pixels do not
            // decode
            Frame sent =
                    undecodable("cam-b2", Map.of(TIMESTAMP, "hello", OFFSET, "7", "mine", "1"));

            // When it is parked and drained
            t.frames.pipeInput("cam-b2", sent);
            t.advanceTo(t.wallClock().plus(LatestOnlyProcessor.DRAIN_INTERVAL));

            // Then its dead letter carries the frame as it was sent, all three entries with it
            assertEquals(
                    List.of(new Letter(0, 0, "cam-b2", DeadLetterReason.UNDECODABLE_IMAGE, sent)),
                    t.deadLetters.readValuesToList().stream().map(Letter::of).toList());
        }
    }

    /** A frame of cam-a with a metadata entry of {@code pad} characters. */
    private static Frame padded(long sequence, int pad) {
        Frame frame = jpeg("cam-a", sequence, W, H);
        frame.setMetadata(new LinkedHashMap<>(Map.of("pad", "x".repeat(pad))));
        return frame;
    }

    /** The bytes of the changelog record of a frame parked from the frames topic at an offset. */
    private static long parkedBytes(Frame frame, long offset) {
        MockProcessorContext<String, Frame> context = new MockProcessorContext<>();
        context.setRecordMetadata(Topics.FRAMES.name(), 0, offset);
        Frame parked =
                ParkedFrame.park(
                        new Record<>("cam-a", frame, frame.getCaptureTimestamp().toEpochMilli()),
                        context.recordMetadata());
        return AvroSerdes.frame().serialize(parked).length
                + "cam-a".length()
                + MaskRoom.FRAMING_BYTES;
    }

    /** A frame of cam-a padded so that, parked from an offset, it takes {@code bytes}. */
    private static Frame paddedTo(long sequence, long offset, int bytes) {
        int start = bytes - 4096;
        return padded(
                sequence, start + (int) (bytes - parkedBytes(padded(sequence, start), offset)));
    }

    private static TestRecord<String, Frame> recordOf(Frame frame) {
        return new TestRecord<>("cam-a", frame, frame.getCaptureTimestamp());
    }

    @Test
    void shouldDeadLetterAFrameTooLargeToKeepPendingAndParkOneThatFits() {
        try (TopologyHarness t = harness(Map.of(CanvasFlowConfig.FRAME_MAX_BYTES, "100000"))) {
            // Given a frame whose parked form is one byte larger than the pending-frames
            // changelog takes (offset 0), and a later one that just fits (offset 1)
            int limit = ParkedFrame.maxRecordBytes(t.config);
            Frame tooLarge = paddedTo(1, 0, limit + 1);
            Frame fits = paddedTo(2, 1, limit);
            assertEquals(
                    List.of(limit + 1L, (long) limit),
                    List.of(parkedBytes(tooLarge, 0), parkedBytes(fits, 1)));

            // When they arrive and are drained
            t.frames.pipeInput(recordOf(tooLarge));
            t.frames.pipeInput(recordOf(fits));
            t.advanceTo(t.wallClock().plus(LatestOnlyProcessor.DRAIN_INTERVAL));

            // Then the first is dead-lettered on arrival with a sentence, never parked (no
            // skipped event), and the second is segmented
            assertEquals(
                    List.of(DeadLetterReason.PROCESSING_ERROR, 0L, true),
                    t.nextDeadLetter(
                            "kept as a pending frame, with its metadata and its record's headers,"
                                    + " it would take "
                                    + (limit + 1)
                                    + " bytes"));
            assertEquals(true, t.deadLetters.isEmpty());
            assertEquals(List.of(reset("cam-a", 2, 6, ResetReason.FIRST_FRAME)), t.seen());
        }
    }
}
