package io.canvasflow.schemas;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;

/**
 * Why a Kafka client failed, in words a user can act on: above all why Kafka could not make one
 * from a command's properties. Kafka wraps the reason ("Failed to construct kafka consumer", then
 * perhaps a ClassCastException whose message is only the class), so the chain is read down to what
 * went wrong.
 */
public final class KafkaClientFailure {

    private KafkaClientFailure() {}

    /**
     * The reason, when the exception is about making a client.
     *
     * @param e what Kafka threw
     * @return the reason, or null when {@code e} is not a refusal of the client's properties (a
     *     failure while the client runs, say)
     */
    public static String reason(KafkaException e) {
        boolean construction = false;
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            boolean wrapper =
                    message != null
                            && (message.startsWith("Failed to construct kafka")
                                    || message.startsWith("Failed to create new"));
            construction |= wrapper || t instanceof ConfigException;
            if (t instanceof ClassCastException) {
                parts.add("a class that is not the kind Kafka expects (" + message + ")");
            } else if (message != null && !wrapper && !parts.contains(message)) {
                parts.add(message);
            }
        }
        if (!construction) {
            return null;
        }
        return parts.isEmpty() ? e.getClass().getSimpleName() : String.join(": ", parts);
    }

    /**
     * Any Kafka client failure in one line: why the client could not be made, or the message and,
     * where it adds something, its cause's ("Error deserializing ... at offset 5" names the record,
     * its cause what is wrong with it).
     *
     * @param e what the client threw
     * @return the line
     */
    public static String describe(RuntimeException e) {
        String reason = e instanceof KafkaException k ? reason(k) : null;
        if (reason != null) {
            return reason;
        }
        String message = String.valueOf(e.getMessage());
        Throwable cause = e.getCause();
        if (cause == null || cause.getMessage() == null || message.contains(cause.getMessage())) {
            return message;
        }
        return message + ": " + cause.getMessage();
    }
}
