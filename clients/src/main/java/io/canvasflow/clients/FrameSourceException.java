package io.canvasflow.clients;

/** Thrown when a frame source cannot be opened or read; the message names the source. */
public class FrameSourceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was expected, and where
     */
    public FrameSourceException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what was expected, and where
     * @param cause the underlying failure
     */
    public FrameSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
