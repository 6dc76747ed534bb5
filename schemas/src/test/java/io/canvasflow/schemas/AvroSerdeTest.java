package io.canvasflow.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class AvroSerdeTest {

    private static <T extends SpecificRecord> T roundTrip(Serde<T> serde, T record) {
        byte[] bytes = serde.serializer().serialize("any-topic", record);
        return serde.deserializer().deserialize("any-topic", bytes);
    }

    @Test
    void shouldRoundTripFrame() {
        Frame frame = SampleRecords.frame();

        Frame read = roundTrip(AvroSerdes.frame(), frame);

        assertEquals(frame, read);
    }

    @Test
    void shouldRoundTripFrameWithDefaultsForOptionalFields() {
        Frame frame = SampleRecords.frame();
        frame.setGroundTruth(null);
        frame.setMetadata(Map.of());

        Frame read = roundTrip(AvroSerdes.frame(), frame);

        assertEquals(frame, read);
    }

    @Test
    void shouldRoundTripMaskEvent() {
        MaskEvent mask = SampleRecords.maskEvent();

        assertEquals(mask, roundTrip(AvroSerdes.maskEvent(), mask));
    }

    @Test
    void shouldRoundTripSkippedMaskEventWithoutResetReason() {
        MaskEvent skipped = SampleRecords.maskEvent();
        skipped.setSkipped(true);
        skipped.setSeeded(true);
        skipped.setResetReason(null);
        skipped.setClassMap(ByteBuffer.allocate(0));

        assertEquals(skipped, roundTrip(AvroSerdes.maskEvent(), skipped));
    }

    @Test
    void shouldRoundTripCanvasState() {
        assertEquals(
                SampleRecords.canvasState(),
                roundTrip(AvroSerdes.canvasState(), SampleRecords.canvasState()));
    }

    @Test
    void shouldRoundTripDeadLetter() {
        assertEquals(
                SampleRecords.deadLetter(),
                roundTrip(AvroSerdes.deadLetter(), SampleRecords.deadLetter()));
    }

    @Test
    void shouldDefaultDeadLetterOptionalFieldsToNull() {
        DeadLetter letter = SampleRecords.deadLetter();
        letter.setCameraId(null);
        letter.setOriginalKey(null);
        letter.setOriginalValue(null);

        assertEquals(letter, roundTrip(AvroSerdes.deadLetter(), letter));
    }

    @Test
    void shouldMapNullToNullBothWays() {
        assertNull(AvroSerdes.frame().serializer().serialize(Topics.FRAMES.name(), null));
        assertNull(AvroSerdes.frame().deserializer().deserialize(Topics.FRAMES.name(), null));
    }

    @Test
    void shouldWriteSingleObjectHeaderWithSchemaFingerprint() {
        byte[] bytes = AvroSerdes.frame().serialize(SampleRecords.frame());

        assertArrayEquals(new byte[] {(byte) 0xC3, 0x01}, Arrays.copyOf(bytes, 2));
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(KnownSchemas.fingerprint(Frame.getClassSchema()), fingerprint);
    }

    @Test
    void shouldRejectGarbageBytesNamingTheMissingMarker() {
        byte[] garbage =
                "this is not avro at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        MalformedRecordException e =
                assertThrows(
                        MalformedRecordException.class,
                        () -> AvroSerdes.frame().deserialize(garbage));

        assertEquals(
                "expected a single-object-encoded io.canvasflow.schemas.avro.Frame starting with"
                        + " marker C3 01 but found 74 68",
                e.getMessage());
    }

    @Test
    void shouldRejectBytesShorterThanTheHeader() {
        MalformedRecordException e =
                assertThrows(
                        MalformedRecordException.class,
                        () -> AvroSerdes.frame().deserialize(new byte[] {(byte) 0xC3, 0x01, 7}));

        assertEquals(
                "expected a single-object-encoded io.canvasflow.schemas.avro.Frame of at least 10"
                        + " header bytes but found 3 bytes",
                e.getMessage());
    }

    @Test
    void shouldRejectTruncatedFrame() {
        byte[] whole = AvroSerdes.frame().serialize(SampleRecords.frame());
        byte[] truncated = Arrays.copyOf(whole, whole.length - 20);

        MalformedRecordException e =
                assertThrows(
                        MalformedRecordException.class,
                        () -> AvroSerdes.frame().deserialize(truncated));

        assertTrue(
                e.getMessage()
                        .startsWith(
                                "expected the body of a single-object-encoded"
                                        + " io.canvasflow.schemas.avro.Frame"),
                e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void shouldRejectMaskEventGivenToFrameSerdeNamingBothSchemas() {
        byte[] maskBytes = AvroSerdes.maskEvent().serialize(SampleRecords.maskEvent());

        UnknownSchemaException e =
                assertThrows(
                        UnknownSchemaException.class,
                        () ->
                                AvroSerdes.frame()
                                        .deserializer()
                                        .deserialize(Topics.FRAMES.name(), maskBytes));

        assertEquals(
                "expected a single-object-encoded io.canvasflow.schemas.avro.Frame (fingerprint "
                        + KnownSchemas.hex(AvroSerdes.frame().fingerprint())
                        + ") but found fingerprint "
                        + KnownSchemas.hex(AvroSerdes.maskEvent().fingerprint())
                        + " (a io.canvasflow.schemas.avro.MaskEvent)",
                e.getMessage());
        assertEquals(Optional.of("io.canvasflow.schemas.avro.MaskEvent"), e.foundSchemaName());
        assertEquals(AvroSerdes.maskEvent().fingerprint(), e.foundFingerprint());
        assertEquals(AvroSerdes.frame().fingerprint(), e.expectedFingerprint());
    }

    @Test
    void shouldRejectUnknownFingerprintAsNotACanvasflowSchema() {
        byte[] bytes = AvroSerdes.frame().serialize(SampleRecords.frame());
        ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(0x1234L);

        UnknownSchemaException e =
                assertThrows(
                        UnknownSchemaException.class, () -> AvroSerdes.frame().deserialize(bytes));

        assertTrue(
                e.getMessage()
                        .endsWith(
                                "but found fingerprint 0x0000000000001234 (not a known CanvasFlow"
                                        + " schema)"),
                e.getMessage());
        assertEquals(Optional.empty(), e.foundSchemaName());
    }

    @Test
    void shouldRejectCorruptLengthPrefixWithoutAllocatingIt() {
        byte[] header = Arrays.copyOf(AvroSerdes.frame().serialize(SampleRecords.frame()), 10);
        // cameraId claims 1 GiB (zig-zag varint) but nothing follows.
        byte[] corrupt = Arrays.copyOf(header, 15);
        System.arraycopy(
                new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08},
                0,
                corrupt,
                10,
                5);

        assertRefused(
                () -> AvroSerdes.frame().deserialize(corrupt),
                "the record is truncated (EOFException)");
    }

    @Test
    void shouldRejectTrailingBytesAfterTheRecord() {
        byte[] whole = AvroSerdes.canvasState().serialize(SampleRecords.canvasState());
        byte[] padded = Arrays.copyOf(whole, whole.length + 3);

        assertRefused(
                () -> AvroSerdes.canvasState().deserialize(padded),
                "the record is followed by unread bytes");
    }

    /** Decoding throws a {@link MalformedRecordException} whose message ends as given. */
    private static void assertRefused(Executable decoding, String ending) {
        MalformedRecordException e = assertThrows(MalformedRecordException.class, decoding);
        assertTrue(e.getMessage().endsWith(ending), e.getMessage());
    }
}
