package io.canvasflow.topology;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The client properties Kafka Streams sets for its own consumers and producers whatever it is
 * given: a value given for one was replaced with an ERROR or WARN line from Kafka, or with no word
 * at all ({@code group.id}), and {@code --print-config} showed a value nobody used.
 *
 * <p>The lists are kafka-streams 4.3's {@code StreamsConfig}, where they are private (read with
 * {@code javap -p -c -constants}): {@code NON_CONFIGURABLE_CONSUMER_DEFAULT_CONFIGS}
 * (enable.auto.commit, group.protocol, allow.auto.create.topics), {@code
 * NON_CONFIGURABLE_CONSUMER_EOS_CONFIGS} (isolation.level) and {@code
 * NON_CONFIGURABLE_PRODUCER_EOS_CONFIGS} (enable.idempotence, transactional.id, and
 * max.in.flight.requests.per.connection, which Kafka Streams checks rather than replaces), and the
 * values its {@code get*Configs} methods put over the user's: {@code group.id} (the application id)
 * and each client's {@code client.id}. Without a prefix, {@code group.protocol} and {@code
 * client.id} are Kafka Streams' own properties, and taken.
 */
final class StreamsOwned {

    /** The prefixes of Kafka Streams' consumers' properties, the unprefixed name first. */
    private static final List<String> CONSUMERS =
            List.of(
                    "",
                    StreamsConfig.CONSUMER_PREFIX,
                    StreamsConfig.MAIN_CONSUMER_PREFIX,
                    StreamsConfig.RESTORE_CONSUMER_PREFIX,
                    StreamsConfig.GLOBAL_CONSUMER_PREFIX);

    /** The prefixes of its producers' properties, the unprefixed name first. */
    private static final List<String> PRODUCERS = List.of("", StreamsConfig.PRODUCER_PREFIX);

    /** The prefixes of each of its clients' properties. */
    private static final List<String> CLIENTS =
            List.of(
                    StreamsConfig.CONSUMER_PREFIX,
                    StreamsConfig.MAIN_CONSUMER_PREFIX,
                    StreamsConfig.RESTORE_CONSUMER_PREFIX,
                    StreamsConfig.GLOBAL_CONSUMER_PREFIX,
                    StreamsConfig.PRODUCER_PREFIX,
                    StreamsConfig.ADMIN_CLIENT_PREFIX);

    private static final String EXACTLY_ONCE =
            "with processing.guarantee " + StreamsConfig.EXACTLY_ONCE_V2 + " Kafka Streams' ";

    /** Consumer properties it sets, with who decides them instead. */
    private static final Map<String, String> CONSUMER =
            Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG,
                    "the consumer group is the setting application.id",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    "Kafka Streams commits its consumers' offsets itself, with its tasks",
                    ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                    "Kafka Streams' consumers never create topics");

    private StreamsOwned() {}

    /**
     * Why a Kafka property given to Kafka Streams would be replaced, or null when it is used.
     *
     * @param name the property, perhaps with a Streams client prefix ({@code kafka.} removed)
     * @param exactlyOnce whether processing.guarantee is exactly_once_v2
     * @return what decides its value instead, for the refusal
     */
    static String decider(String name, boolean exactlyOnce) {
        for (String prefix : CONSUMERS) {
            if (!name.startsWith(prefix)) {
                continue;
            }
            String bare = name.substring(prefix.length());
            if (CONSUMER.containsKey(bare)) {
                return CONSUMER.get(bare);
            }
            if (exactlyOnce && bare.equals(ConsumerConfig.ISOLATION_LEVEL_CONFIG)) {
                return EXACTLY_ONCE + "consumers read committed records only";
            }
            if (!prefix.isEmpty() && bare.equals(ConsumerConfig.GROUP_PROTOCOL_CONFIG)) {
                return "Kafka Streams chooses its consumers' protocol from "
                        + StreamsConfig.GROUP_PROTOCOL_CONFIG
                        + " without a prefix";
            }
        }
        for (String prefix : PRODUCERS) {
            if (!name.startsWith(prefix)) {
                continue;
            }
            String bare = name.substring(prefix.length());
            if (bare.equals(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
                return "Kafka Streams names its producers' transactions from application.id, and"
                        + " processing.guarantee decides whether there are any";
            }
            if (exactlyOnce && bare.equals(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)) {
                return EXACTLY_ONCE + "producers are idempotent";
            }
        }
        if (CLIENTS.stream().anyMatch(p -> name.equals(p + CommonClientConfigs.CLIENT_ID_CONFIG))) {
            return "Kafka Streams names each of its clients from "
                    + StreamsConfig.CLIENT_ID_CONFIG
                    + " without a prefix";
        }
        return null;
    }
}
