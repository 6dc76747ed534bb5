package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.DeadLetterReason;
import java.util.Arrays;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeadLetterRoomTest {

    /** The brokers' default max.message.bytes, which topics created by others often keep. */
    private static final int BROKER_DEFAULT = 1_048_588;

    @Test
    void shouldLeaveTheSettingsAloneWhenTheTopicHoldsEveryDeadLetter() {
        // Given topics as serve creates them: frame.max.bytes and a megabyte more
        CanvasFlowConfig config = CanvasFlowConfig.defaults();
        int created = CanvasFlowTopology.maxMessageBytes(config);

        // Then a dead letter keeps every original up to frame.max.bytes
        assertEquals(
                config.frameMaxBytes(),
                DeadLetterRoom.fit(config, created, created).dlqOriginalMaxBytes());
    }

    @Test
    void shouldKeepOnlyTheOriginalsTheTopicHoldsWhenItKeepsTheBrokersDefault() {
        // Given frames and dead-letter topics at the brokers' default, under frame.max.bytes
        CanvasFlowConfig config = CanvasFlowConfig.defaults();

        // When the settings are fitted
        CanvasFlowConfig fitted = DeadLetterRoom.fit(config, BROKER_DEFAULT, BROKER_DEFAULT);

        // Then a dead letter keeps what leaves room for its envelope, and nothing else changes
        assertEquals(
                BROKER_DEFAULT - DeadLetterRoom.envelopeBytes(config),
                fitted.dlqOriginalMaxBytes());
        assertEquals(config.frameMaxBytes(), fitted.frameMaxBytes());
    }

    @Test
    void shouldFitWhenZeroIsSetAsWellAsWhenNothingIs() {
        CanvasFlowConfig config =
                CanvasFlowConfig.defaults().with(CanvasFlowConfig.DLQ_ORIGINAL_MAX_BYTES, "0");

        assertEquals(
                BROKER_DEFAULT - DeadLetterRoom.envelopeBytes(config),
                DeadLetterRoom.fit(config, BROKER_DEFAULT, BROKER_DEFAULT).dlqOriginalMaxBytes());
    }

    @Test
    void shouldRefuseAnOriginalLimitSetAboveWhatTheTopicHolds() {
        CanvasFlowConfig config =
                CanvasFlowConfig.defaults()
                        .with(CanvasFlowConfig.DLQ_ORIGINAL_MAX_BYTES, "1048576");

        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () -> DeadLetterRoom.fit(config, BROKER_DEFAULT, BROKER_DEFAULT));

        assertTrue(
                e.getMessage()
                        .startsWith(
                                "dlq.original.max.bytes is 1048576 but the dead-letter topic"
                                        + " frames-dlq takes records of at most 1048588 bytes"),
                e.getMessage());
        // and one set within it stands
        CanvasFlowConfig within = config.with(CanvasFlowConfig.DLQ_ORIGINAL_MAX_BYTES, "500000");
        assertEquals(
                500_000,
                DeadLetterRoom.fit(within, BROKER_DEFAULT, BROKER_DEFAULT).dlqOriginalMaxBytes());
    }

    @Test
    void shouldFitTheLargestDeadLetterIntoTheTopicItWasFittedTo() {
        // Given the fitted settings and the largest dead letter they allow: an original at the
        // limit, the longest key and message kept, the longest topic name and camera id
        CanvasFlowConfig config =
                DeadLetterRoom.fit(CanvasFlowConfig.defaults(), BROKER_DEFAULT, BROKER_DEFAULT);
        int kept = config.dlqOriginalMaxBytes();
        byte[] value = new byte[kept];
        Arrays.fill(value, (byte) 0xff);
        String camera = "\u20ac".repeat(config.cameraIdMaxLength());
        DeadLetter letter =
                DeadLetters.of(
                        "t".repeat(249),
                        Integer.MAX_VALUE,
                        Long.MAX_VALUE,
                        camera,
                        DeadLetterReason.PROCESSING_ERROR,
                        "\u20ac".repeat(100_000),
                        new byte[DeadLetters.KEY_MAX_BYTES],
                        value,
                        kept,
                        Long.MAX_VALUE);

        ProducerRecord<byte[], byte[]> record = DeadLetters.record("frames-dlq", letter);

        // Then the original is kept, the message cut, and the record (with Kafka's batch header
        // and record framing, well under a kilobyte) fits the topic
        assertEquals(kept, letter.getOriginalValue().remaining());
        assertEquals(DeadLetters.MESSAGE_MAX_CHARS + 3, letter.getMessage().length());
        int size = record.key().length + record.value().length + 1024;
        assertTrue(size <= BROKER_DEFAULT, size + " bytes");
        // and a larger original is not kept, and says so
        DeadLetter larger =
                DeadLetters.of(
                        "frames",
                        0,
                        1,
                        "cam",
                        DeadLetterReason.NOT_A_FRAME,
                        "not a frame",
                        null,
                        new byte[kept + 1],
                        kept,
                        0);
        assertNull(larger.getOriginalValue());
        assertTrue(
                larger.getMessage()
                        .endsWith("(original value of " + (kept + 1) + " bytes not kept)"));
    }
}
