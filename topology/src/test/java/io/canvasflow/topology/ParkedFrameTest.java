package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.junit.jupiter.api.Test;

class ParkedFrameTest {

    /** What {@link #seen} gives for a frame restored at its capture time, without headers. */
    private static List<Object> atCapture(Frame frame, int partition, long offset) {
        return List.of(
                "cam-a",
                frame,
                frame.getCaptureTimestamp().toEpochMilli(),
                List.of(),
                partition,
                offset);
    }

    /** A restored record as plain values: headers as key and bytes, so that they compare. */
    private static List<Object> seen(ParkedFrame.Restored restored) {
        Record<String, Frame> r = restored.record();
        return List.of(
                r.key(),
                r.value(),
                r.timestamp(),
                TestFrames.headers(r.headers(), Arrays::toString),
                restored.partition(),
                restored.offset());
    }

    /** A frame as the pending-frames store gives it back. */
    private static Frame stored(Frame frame) {
        return AvroSerdes.frame().deserialize(AvroSerdes.frame().serialize(frame));
    }

    private static Optional<RecordMetadata> at(int partition, long offset) {
        MockProcessorContext<String, Frame> context = new MockProcessorContext<>();
        context.setRecordMetadata(Topics.FRAMES.name(), partition, offset);
        return context.recordMetadata();
    }

    @Test
    void shouldRestoreTheRecordAFrameWasParkedFrom() {
        // Given a frame with metadata of its own, among it names of ours a producer set (and
        // one like their parked form), in a record with headers of every kind: binary, empty,
        // null, repeated, an empty key
        Frame frame = TestFrames.jpeg("cam-a", 7, 64, 48);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("fps", "25");
        metadata.put(ParkedFrame.HEADERS, "x!");
        metadata.put(ParkedFrame.TIMESTAMP, "hello");
        metadata.put(ParkedFrame.OFFSET, "7");
        metadata.put(ParkedFrame.OWN + "offset", "8");
        frame.setMetadata(metadata);
        Frame sent = stored(frame);
        Headers headers =
                new RecordHeaders()
                        .add("trace", "a:b,c".getBytes(StandardCharsets.UTF_8))
                        .add("bin", new byte[] {0, -1, 44, 58})
                        .add("empty", new byte[0])
                        .add("none", null)
                        .add("trace", "again".getBytes(StandardCharsets.UTF_8))
                        .add("", null);
        Record<String, Frame> record = new Record<>("cam-a", sent, 12345L, headers);

        // When it is parked and restored
        ParkedFrame.Restored restored =
                ParkedFrame.restore("cam-a", stored(ParkedFrame.park(record, at(3, 41))));

        // Then the record is as it arrived, the producer's entries with it, and knows where it
        // was read from
        assertEquals(
                List.of(
                        "cam-a",
                        frame,
                        12345L,
                        TestFrames.headers(headers, Arrays::toString),
                        3,
                        41L),
                seen(restored));
    }

    @Test
    void shouldRestoreAFrameParkedByAnEarlierVersionAtItsCaptureTime() {
        // Given a frame parked with its position only, as CanvasFlow did before it kept the rest
        Frame frame = TestFrames.jpeg("cam-a", 7, 64, 48);
        Frame parked = Frame.newBuilder(frame).build();
        parked.setMetadata(
                new LinkedHashMap<>(Map.of(ParkedFrame.PARTITION, "2", ParkedFrame.OFFSET, "9")));

        // When it is restored
        ParkedFrame.Restored restored = ParkedFrame.restore("cam-a", parked);

        // Then its record is dated at its capture and has no headers
        assertEquals(atCapture(frame, 2, 9L), seen(restored));
    }

    @Test
    void shouldTakeAnEntryThatDoesNotParseAsAbsentAndKeepIt() {
        // Given a frame parked by an earlier CanvasFlow, which kept a producer's own entries under
        // our names as they were: none of them parses
        Frame frame = TestFrames.jpeg("cam-a", 7, 64, 48);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(ParkedFrame.PARTITION, "p");
        metadata.put(ParkedFrame.OFFSET, "");
        metadata.put(ParkedFrame.TIMESTAMP, "hello");
        metadata.put(ParkedFrame.HEADERS, "x!");
        metadata.put("mine", "1");
        frame.setMetadata(metadata);
        Frame parked = stored(frame);

        // When it is restored
        ParkedFrame.Restored restored = ParkedFrame.restore("cam-a", parked);

        // Then it is not refused: its record is dated at its capture, has no headers and an
        // unknown position, and its frame keeps the entries
        assertEquals(atCapture(frame, -1, -1L), seen(restored));
    }
}
