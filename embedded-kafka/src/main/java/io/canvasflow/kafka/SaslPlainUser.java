package io.canvasflow.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one SASL/PLAIN user of an {@link EmbeddedKafkaBroker} built with {@link
 * EmbeddedKafkaBroker.Builder#optSaslPlain}: the broker's listener settings and a client's.
 *
 * @param user the user name
 * @param password its password
 */
record SaslPlainUser(String user, String password) {

    /** The listener name, which is also its security protocol. */
    static final String LISTENER = "SASL_PLAINTEXT";

    /**
     * @throws IllegalArgumentException when the user is blank or either holds a quote, which the
     *     JAAS line cannot carry
     */
    SaslPlainUser {
        if (Objects.requireNonNull(user, "user").isBlank()
                || user.contains("\"")
                || Objects.requireNonNull(password, "password").contains("\"")) {
            throw new IllegalArgumentException(
                    "expected a SASL user and password without quotes but found " + user);
        }
    }

    /** What a client sets to authenticate as this user. */
    Map<String, String> clientConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("security.protocol", LISTENER);
        config.put("sasl.mechanism", "PLAIN");
        config.put("sasl.jaas.config", login(false));
        return config;
    }

    /** What the broker sets: one user, no authorizer, so a client that authenticates may do all. */
    Map<String, String> brokerConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("sasl.enabled.mechanisms", "PLAIN");
        config.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        config.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", login(true));
        return config;
    }

    /** The user without the password, for logs. */
    @Override
    public String toString() {
        return "SaslPlainUser[" + user + "]";
    }

    /** A JAAS line for the PLAIN login module; the broker's own also lists its one user. */
    private String login(boolean broker) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + user
                + "\" password=\""
                + password
                + "\""
                + (broker ? " user_" + user + "=\"" + password + "\"" : "")
                + ";";
    }
}
