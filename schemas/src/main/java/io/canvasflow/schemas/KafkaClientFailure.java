package io.canvasflow.schemas;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Why a Kafka client failed, in words a user can act on: above all why Kafka could not make one
 * from a command's properties. Kafka wraps the reason ("Failed to construct kafka consumer", then
 * perhaps a ClassCastException whose message is only the class), so the chain is read down to what
 * went wrong.
 */
public final class KafkaClientFailure {

    private static final String HIDDEN = "[hidden]";

    /** A token Kafka quotes in a message: 'like this'. */
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

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
     * where it adds something, its deepest cause's ("Error deserializing ... at offset 5" names the
     * record, its cause what is wrong with it).
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
        String deepest = null;
        for (Throwable t = e.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null) {
                deepest = t.getMessage();
            }
        }
        return deepest == null || message.contains(deepest) ? message : message + ": " + deepest;
    }

    /**
     * The values of the password-typed settings among a client's, which a message must not show.
     *
     * @param config the client's settings
     * @param definitions the client's setting definitions, e.g. {@code ConsumerConfig.configDef()}
     * @return the values
     */
    public static List<String> secrets(Map<String, ?> config, ConfigDef definitions) {
        Map<String, ConfigDef.ConfigKey> keys = definitions.configKeys();
        List<String> values = new ArrayList<>();
        config.forEach(
                (name, value) -> {
                    ConfigDef.ConfigKey key = keys.get(name);
                    if (value != null && key != null && key.type == ConfigDef.Type.PASSWORD) {
                        values.add(value.toString());
                    }
                });
        return values;
    }

    /**
     * The message with the words of the secret values hidden: Kafka's JAAS parser, for one, quotes
     * the token it stumbled on, which may be part of a password. A quoted token that is part of a
     * secret is hidden whatever its length; so is every piece of a secret of three characters or
     * more, split where Kafka's tokenizer may split it.
     *
     * @param message what Kafka said
     * @param secrets the values of the properties that hold secrets
     * @return the message, safe to print
     */
    public static String withoutSecrets(String message, Collection<String> secrets) {
        if (message == null || secrets.isEmpty()) {
            return message;
        }
        Matcher quoted = QUOTED.matcher(message);
        StringBuilder out = new StringBuilder();
        while (quoted.find()) {
            String token = quoted.group(1);
            boolean secret = !token.isEmpty() && secrets.stream().anyMatch(v -> v.contains(token));
            quoted.appendReplacement(
                    out, Matcher.quoteReplacement(secret ? "'" + HIDDEN + "'" : quoted.group()));
        }
        quoted.appendTail(out);
        List<String> pieces = new ArrayList<>();
        for (String value : secrets) {
            for (String piece : value.split("[^A-Za-z0-9_$-]+")) {
                if (piece.length() >= 3) {
                    pieces.add(piece);
                }
            }
        }
        // Longest first, so that a piece inside a longer one does not leave the rest showing.
        pieces.sort((a, b) -> b.length() - a.length());
        String hidden = out.toString();
        for (String piece : pieces) {
            hidden = hidden.replace(piece, HIDDEN);
        }
        return hidden;
    }
}
