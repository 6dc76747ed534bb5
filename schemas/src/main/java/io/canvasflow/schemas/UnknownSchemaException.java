package io.canvasflow.schemas;

import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Thrown when bytes carry a well-formed single-object header whose schema fingerprint is not the
 * one the deserializer reads. When the fingerprint belongs to another CanvasFlow schema (a {@code
 * MaskEvent} on the frames topic, say) {@link #foundSchemaName()} names it, so a caller can tell "a
 * record of the wrong type" from "a schema nobody here knows".
 */
public class UnknownSchemaException extends SerializationException {

    private static final long serialVersionUID = 1L;

    private final long expectedFingerprint;
    private final long foundFingerprint;
    private final String foundSchemaName;

    /**
     * Creates the exception.
     *
     * @param expectedSchemaName full name of the schema the deserializer reads
     * @param expectedFingerprint its CRC-64-AVRO parsing fingerprint
     * @param foundFingerprint the fingerprint found in the record header
     * @param foundSchemaName full name of the CanvasFlow schema with that fingerprint, or null
     */
    public UnknownSchemaException(
            String expectedSchemaName,
            long expectedFingerprint,
            long foundFingerprint,
            String foundSchemaName) {
        super(
                String.format(
                        "expected a single-object-encoded %s (fingerprint %s) but found"
                                + " fingerprint %s (%s)",
                        expectedSchemaName,
                        KnownSchemas.hex(expectedFingerprint),
                        KnownSchemas.hex(foundFingerprint),
                        foundSchemaName == null
                                ? "not a known CanvasFlow schema"
                                : "a " + foundSchemaName));
        this.expectedFingerprint = expectedFingerprint;
        this.foundFingerprint = foundFingerprint;
        this.foundSchemaName = foundSchemaName;
    }

    /**
     * Returns the fingerprint the deserializer reads.
     *
     * @return the expected CRC-64-AVRO parsing fingerprint
     */
    public long expectedFingerprint() {
        return expectedFingerprint;
    }

    /**
     * Returns the fingerprint found in the record header.
     *
     * @return the found CRC-64-AVRO parsing fingerprint
     */
    public long foundFingerprint() {
        return foundFingerprint;
    }

    /**
     * Returns the full name of the CanvasFlow schema the found fingerprint belongs to.
     *
     * @return the name, or empty when the fingerprint is not a current CanvasFlow schema
     */
    public Optional<String> foundSchemaName() {
        return Optional.ofNullable(foundSchemaName);
    }
}
