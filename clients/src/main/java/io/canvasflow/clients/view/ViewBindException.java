package io.canvasflow.clients.view;

/** The viewer could not listen where it was told to: the port is taken or the address not ours. */
public final class ViewBindException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ViewBindException(String message, Throwable cause) {
        super(message, cause);
    }
}
