package io.canvasflow.clients;

/**
 * Thrown at the end of a source that skipped frames it could not read (an image folder's unreadable
 * files): every readable frame came before it, so a reader may keep what it made of them and then
 * say what was skipped.
 */
public final class SkippedFramesException extends FrameSourceException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message how many were skipped, of what, and the first
     */
    public SkippedFramesException(String message) {
        super(message);
    }
}
