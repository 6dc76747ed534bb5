package io.canvasflow.registry;

/** A registry operation that cannot be done, with one sentence saying why and what to do. */
public final class ModelRegistryException extends RuntimeException {

    /**
     * Creates the exception.
     *
     * @param message one sentence naming the thing and what to do
     */
    public ModelRegistryException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message one sentence naming the thing and what to do
     * @param cause what failed underneath
     */
    public ModelRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
