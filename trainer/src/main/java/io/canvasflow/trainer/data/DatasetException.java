package io.canvasflow.trainer.data;

/** A dataset on disk is missing, incomplete or unreadable; the message names the path. */
public final class DatasetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
