package io.canvasflow.topology;

import io.canvasflow.schemas.avro.DeadLetterReason;

/** A frame that cannot be segmented, with the dead-letter reason that says why. */
public final class InvalidFrameException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final DeadLetterReason reason;

    /**
     * Creates the exception.
     *
     * @param reason the dead-letter reason
     * @param message what was expected and what was found
     */
    public InvalidFrameException(DeadLetterReason reason, String message) {
        this(reason, message, null);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param reason the dead-letter reason
     * @param message what was expected and what was found
     * @param cause the underlying failure, or null
     */
    public InvalidFrameException(DeadLetterReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Why the frame was rejected. */
    public DeadLetterReason reason() {
        return reason;
    }
}
