package io.canvasflow.model;

/**
 * A seed canvas cannot seed this frame: its shape or model version differs from what the model
 * produces for the frame. The caller should reset to a zero canvas.
 */
public final class IncompatibleCanvasException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what was expected and what was found. */
    public IncompatibleCanvasException(String message) {
        super(message);
    }
}
