package io.canvasflow.cli.options;

import io.canvasflow.schemas.KafkaClientFailure;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SslConfigs;

/**
 * Client settings no Kafka client can be made from, each said in one sentence: a key or trust store
 * that is not there, or what Kafka refused, with any password's words hidden.
 */
final class ClientSettingsProblems {

    private ClientSettingsProblems() {}

    /**
     * A key or trust store the settings name that this user cannot read, when the protocol uses
     * them (SSL, SASL_SSL): Kafka would say so too, but only after logging its own stack trace at
     * ERROR.
     *
     * @param client the client properties
     * @return one sentence, or null when there is no such store
     */
    static String missingStoreFile(Map<String, Object> client) {
        Object protocol = client.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        String p = protocol == null ? "" : protocol.toString().trim().toUpperCase(Locale.ROOT);
        if (!p.equals("SSL") && !p.equals("SASL_SSL")) {
            return null;
        }
        for (String key :
                List.of(
                        SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
                        SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG)) {
            Object value = client.get(key);
            String location = value == null ? "" : value.toString().trim();
            if (!location.isEmpty() && !readable(location)) {
                return key + " " + location + " is not a file this user can read; fix the path";
            }
        }
        return null;
    }

    /**
     * What Kafka said when it could not make a client, as one sentence.
     *
     * @param servers the bootstrap servers
     * @param refusal Kafka's exception
     * @param client the client properties, whose passwords are kept out of the sentence
     * @return the sentence
     */
    static String refused(String servers, KafkaException refusal, Map<String, Object> client) {
        String reason = KafkaClientFailure.describe(refusal);
        String lower = reason.toLowerCase(Locale.ROOT);
        boolean security =
                lower.contains("jaas")
                        || lower.contains("sasl")
                        || lower.contains("ssl")
                        || lower.contains("store");
        return "the Kafka client settings for "
                + servers
                + " make no client: "
                + KafkaClientFailure.withoutSecrets(
                        reason, KafkaClientFailure.secrets(client, AdminClientConfig.configDef()))
                + (security
                        ? "; check security.protocol and the sasl.* and ssl.* settings"
                        : lower.contains("not the kind kafka expects")
                                ? "; check the client properties that name classes"
                                : "; check the client properties it names");
    }

    private static boolean readable(String location) {
        try {
            return Files.isReadable(Path.of(location));
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
