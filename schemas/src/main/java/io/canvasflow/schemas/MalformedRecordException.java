package io.canvasflow.schemas;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Thrown when bytes are not a well-formed single-object-encoded Avro record: too short for the
 * header, a wrong marker, or a body that cannot be decoded (for example because it is truncated).
 */
public class MalformedRecordException extends SerializationException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was expected and what was found
     */
    public MalformedRecordException(String message) {
        super(message);
    }

    /**
     * Creates the exception with the decoding failure that caused it.
     *
     * @param message what was expected and what was found
     * @param cause the underlying decoding failure
     */
    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
