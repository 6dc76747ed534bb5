package io.canvasflow.trainer.label;

/** A teacher cannot be used or gave nothing to learn from; the message says which and why. */
public final class TeacherException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TeacherException(String message) {
        super(message);
    }

    public TeacherException(String message, Throwable cause) {
        super(message, cause);
    }
}
