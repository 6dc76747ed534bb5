package io.canvasflow.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for one generated Avro record type, in Avro single-object encoding: the marker
 * {@code C3 01}, the writer schema's 64-bit CRC-64-AVRO fingerprint (little-endian), then the
 * binary body. No schema registry is involved; the fingerprint alone identifies the schema.
 *
 * <p>Null bytes deserialize to null and a null record serializes to null (a tombstone). Bytes that
 * are not a record of this type fail with a {@link MalformedRecordException} or an {@link
 * UnknownSchemaException} whose message says what was expected and what was found. Instances are
 * immutable and thread-safe; obtain them from {@link AvroSerdes}.
 *
 * @param <T> the generated record type
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    /** Length of the single-object header: two marker bytes and an eight-byte fingerprint. */
    public static final int HEADER_LENGTH = 10;

    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;

    static {
        TrustedPackages.ensureTrusted();
    }

    private final Class<T> type;
    private final Schema schema;
    private final long fingerprint;
    private final Map<Long, Schema> writers = new HashMap<>();
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final Serializer<T> serializer = (topic, record) -> serialize(record);
    private final Deserializer<T> deserializer = (topic, bytes) -> deserialize(bytes);

    /**
     * Creates a serde from a generated class's encoder and decoder.
     *
     * @param type the generated record class
     * @param schema its schema ({@code getClassSchema()})
     * @param encoder its single-object encoder ({@code getEncoder()})
     * @param decoder its single-object decoder ({@code getDecoder()})
     */
    public AvroSerde(
            Class<T> type,
            Schema schema,
            BinaryMessageEncoder<T> encoder,
            BinaryMessageDecoder<T> decoder) {
        this.type = Objects.requireNonNull(type, "type");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.fingerprint = KnownSchemas.fingerprint(schema);
        writers.put(fingerprint, schema);
    }

    /**
     * Creates a serde that also reads records written with older versions of the schema (Avro
     * schema resolution turns them into the current class), so that a deployment can read what the
     * previous version wrote: masks on the topic, canvases in a store.
     *
     * @param type the generated record class
     * @param schema its schema ({@code getClassSchema()})
     * @param encoder its single-object encoder ({@code getEncoder()})
     * @param decoder its single-object decoder ({@code getDecoder()})
     * @param older earlier versions of the schema, oldest first
     */
    public AvroSerde(
            Class<T> type,
            Schema schema,
            BinaryMessageEncoder<T> encoder,
            BinaryMessageDecoder<T> decoder,
            List<Schema> older) {
        this(type, schema, encoder, decoder);
        for (Schema s : older) {
            decoder.addSchema(s);
            writers.put(KnownSchemas.fingerprint(s), s);
        }
    }

    /**
     * Returns the record class this serde reads and writes.
     *
     * @return the generated record class
     */
    public Class<T> type() {
        return type;
    }

    /**
     * Returns the schema this serde writes and expects.
     *
     * @return the writer and reader schema
     */
    public Schema schema() {
        return schema;
    }

    /**
     * Returns the fingerprint written in every record header.
     *
     * @return the schema's CRC-64-AVRO parsing fingerprint
     */
    public long fingerprint() {
        return fingerprint;
    }

    /**
     * Encodes a record.
     *
     * @param record the record, or null
     * @return its single-object encoding, or null for a null record
     * @throws SerializationException when the record cannot be encoded (a required field unset)
     */
    public byte[] serialize(T record) {
        if (record == null) {
            return null;
        }
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "could not encode a " + schema.getFullName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes a record.
     *
     * @param bytes a single-object encoding, or null
     * @return the record, or null for null bytes
     * @throws MalformedRecordException when the bytes are too short, lack the marker or the body
     *     cannot be decoded
     * @throws UnknownSchemaException when the header carries another schema's fingerprint
     */
    public T deserialize(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        checkHeader(bytes);
        try {
            checkBody(bytes);
            return decoder.decode(bytes);
        } catch (IOException | RuntimeException e) {
            throw new MalformedRecordException(
                    String.format(
                            "expected the body of a single-object-encoded %s (fingerprint %s) but"
                                    + " could not decode its %d bytes: %s",
                            schema.getFullName(),
                            KnownSchemas.hex(fingerprint),
                            bytes.length - HEADER_LENGTH,
                            describe(e)),
                    e);
        }
    }

    private void checkHeader(byte[] bytes) {
        if (bytes.length < HEADER_LENGTH) {
            throw new MalformedRecordException(
                    String.format(
                            "expected a single-object-encoded %s of at least %d header bytes but"
                                    + " found %d bytes",
                            schema.getFullName(), HEADER_LENGTH, bytes.length));
        }
        if (bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
            throw new MalformedRecordException(
                    String.format(
                            "expected a single-object-encoded %s starting with marker C3 01 but"
                                    + " found %02X %02X",
                            schema.getFullName(), bytes[0] & 0xFF, bytes[1] & 0xFF));
        }
        long found = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (!writers.containsKey(found)) {
            throw new UnknownSchemaException(
                    schema.getFullName(),
                    fingerprint,
                    found,
                    KnownSchemas.byFingerprint(found).map(Schema::getFullName).orElse(null));
        }
    }

    /**
     * Walks the body without building anything, so that a corrupt length prefix is an error here
     * instead of a gigabyte allocation inside the decoder, and trailing bytes are not ignored.
     */
    private void checkBody(byte[] bytes) throws IOException {
        BinaryDecoder body =
                DecoderFactory.get()
                        .binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, null);
        long writer = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        GenericDatumReader.skip(writers.get(writer), body);
        if (!body.isEnd()) {
            throw new IOException("the record is followed by unread bytes");
        }
    }

    /** Names the innermost cause; Avro wraps the EOFException of a truncated body. */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof java.io.EOFException) {
            return "the record is truncated (EOFException)";
        }
        String what = root.getClass().getSimpleName();
        return root.getMessage() == null ? what : what + ": " + root.getMessage();
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public String toString() {
        return "AvroSerde["
                + schema.getFullName()
                + ", fingerprint "
                + KnownSchemas.hex(fingerprint)
                + "]";
    }
}
