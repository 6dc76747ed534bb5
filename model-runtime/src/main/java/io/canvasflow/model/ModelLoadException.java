package io.canvasflow.model;

/** A model artifact is missing, truncated, corrupt or does not match its description. */
public final class ModelLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with one sentence that says what was expected and where. */
    public ModelLoadException(String message) {
        super(message);
    }

    /** Creates the exception with one sentence and its cause. */
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
