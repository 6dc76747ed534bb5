package io.canvasflow.kafka;

/**
 * A data folder a broker must not use (another broker holds it, or it is not a broker's folder):
 * one sentence that says why and what to do, a refusal rather than a failed start.
 */
public final class DataDirRefusedException extends IllegalStateException {

    DataDirRefusedException(String message) {
        super(message);
    }
}
