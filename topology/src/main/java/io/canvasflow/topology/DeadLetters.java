package io.canvasflow.topology;

import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.UnknownSchemaException;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.DeadLetterReason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Builds {@link DeadLetter} records. The original bytes ride along when they fit under {@code
 * dlq.original.max.bytes}, and the key and message are bounded, so that a too-large record cannot
 * make its own dead letter too large for the dead-letter topic ({@link DeadLetterRoom}).
 */
public final class DeadLetters {

    /** Longest message a dead letter keeps, in characters; a longer one is cut. */
    static final int MESSAGE_MAX_CHARS = 2_000;

    /** Largest original key a dead letter keeps: a camera id is far shorter. */
    static final int KEY_MAX_BYTES = 16 * 1024;

    private DeadLetters() {}

    /**
     * The reason for a record the frame deserializer refused.
     *
     * @param e the deserialization failure
     * @return {@code UNKNOWN_SCHEMA} for a well-formed record of another schema, else {@code
     *     NOT_A_FRAME}
     */
    public static DeadLetterReason reasonOf(Exception e) {
        return e instanceof UnknownSchemaException
                ? DeadLetterReason.UNKNOWN_SCHEMA
                : DeadLetterReason.NOT_A_FRAME;
    }

    /**
     * Builds a dead letter.
     *
     * @param topic source topic
     * @param partition source partition, or -1 when unknown
     * @param offset source offset, or -1 when unknown
     * @param cameraId the camera, or null when unknown or itself invalid
     * @param reason why
     * @param message the sentence that says what was wrong
     * @param key the original key bytes, or null
     * @param value the original value bytes, or null
     * @param maxOriginalBytes original bytes larger than this are left out
     * @param nowMs when
     * @return the dead letter
     */
    public static DeadLetter of(
            String topic,
            int partition,
            long offset,
            String cameraId,
            DeadLetterReason reason,
            String message,
            byte[] key,
            byte[] value,
            int maxOriginalBytes,
            long nowMs) {
        boolean keepValue = value != null && value.length <= maxOriginalBytes;
        boolean keepKey = key != null && key.length <= Math.min(maxOriginalBytes, KEY_MAX_BYTES);
        String said =
                message != null && message.length() > MESSAGE_MAX_CHARS
                        ? message.substring(0, MESSAGE_MAX_CHARS) + "..."
                        : message;
        String detail =
                value != null && !keepValue
                        ? said + " (original value of " + value.length + " bytes not kept)"
                        : said;
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setCameraId(cameraId)
                .setReason(reason)
                .setMessage(detail == null ? reason.name() : detail)
                .setOriginalKey(keepKey ? ByteBuffer.wrap(key) : null)
                .setOriginalValue(keepValue ? ByteBuffer.wrap(value) : null)
                .setTimestamp(Instant.ofEpochMilli(nowMs))
                .build();
    }

    /**
     * Serializes a dead letter into a record for the dead-letter topic, keyed by camera id.
     *
     * @param dlqTopic the dead-letter topic
     * @param letter the dead letter
     * @return the serialized record
     */
    public static ProducerRecord<byte[], byte[]> record(String dlqTopic, DeadLetter letter) {
        byte[] key =
                letter.getCameraId() == null
                        ? null
                        : letter.getCameraId().getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(dlqTopic, key, AvroSerdes.deadLetter().serialize(letter));
    }

    /**
     * Reads a record key as a camera id when it is one.
     *
     * @param key the raw key
     * @param maxLength the longest valid camera id
     * @return the camera id, or null when the key is missing, empty or too long
     */
    public static String cameraIdOf(byte[] key, int maxLength) {
        if (key == null || key.length == 0 || key.length > 4 * maxLength) {
            return null;
        }
        String id = new String(key, StandardCharsets.UTF_8);
        return id.length() <= maxLength ? id : null;
    }
}
