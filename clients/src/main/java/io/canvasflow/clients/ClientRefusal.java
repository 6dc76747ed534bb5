package io.canvasflow.clients;

import io.canvasflow.schemas.KafkaClientFailure;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The one sentence a builder throws when Kafka makes no client of its settings: the follower's
 * consumer ({@link MaskFollower.Builder#build}) and the publisher's producer ({@link
 * FramePublisher.Builder#build}) say it alike, naming the servers and what Kafka refused, with the
 * words of any password hidden.
 */
final class ClientRefusal {

    private ClientRefusal() {}

    /**
     * The sentence.
     *
     * @param config the client's settings, bootstrap servers included
     * @param refusal what Kafka threw making the client, or parsing its settings
     * @param definitions the client's setting definitions, to find its passwords
     * @param kind "consumer" or "producer", the properties the user is told to check
     * @return one sentence
     */
    static String sentence(
            Map<String, ?> config, KafkaException refusal, ConfigDef definitions, String kind) {
        return "the Kafka client settings for "
                + config.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                + " make no client: "
                + KafkaClientFailure.withoutSecrets(
                        KafkaClientFailure.describe(refusal),
                        KafkaClientFailure.secrets(config, definitions))
                + "; check the "
                + kind
                + " properties it names";
    }
}
