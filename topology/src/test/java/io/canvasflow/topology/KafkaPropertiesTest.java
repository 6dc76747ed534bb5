package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaPropertiesTest {

    @Test
    void shouldRefuseATopicPropertyThatIsNoKafkaTopicConfigNamingTheNearSetting() {
        // Given misspelt CanvasFlow settings under topic., which Kafka Streams would have given
        // its changelog as topic configs, after serve had made its topics
        List<String> keys =
                List.of(
                        "topic.frame",
                        "topic.create",
                        "topic.partition",
                        "topic.dql",
                        "kafka.topic.mask",
                        "topic.replication.factor");

        // When each is given
        Map<String, String> said = refusals(keys, "x");

        // Then each is one sentence naming it, with the setting it was most likely meant as
        String config = " is not a Kafka topic config (topic.NAME sets NAME on the topics Kafka";
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(
                "topic.frame",
                "unknown setting 'topic.frame': it is not a CanvasFlow setting, and frame"
                        + config
                        + " Streams creates); did you mean topic.frames?");
        expected.put(
                "topic.create",
                "unknown setting 'topic.create': it is not a CanvasFlow setting, and create"
                        + config
                        + " Streams creates); did you mean topics.create?");
        expected.put(
                "topic.partition",
                "unknown setting 'topic.partition': it is not a CanvasFlow setting, and partition"
                        + config
                        + " Streams creates); did you mean topic.partitions?");
        expected.put(
                "topic.dql",
                "unknown setting 'topic.dql': it is not a CanvasFlow setting, and dql"
                        + config
                        + " Streams creates); did you mean topic.dlq?");
        expected.put(
                "kafka.topic.mask",
                "unknown setting 'kafka.topic.mask': it is not a CanvasFlow setting, and mask"
                        + config
                        + " Streams creates); did you mean kafka.topic.masks?");
        expected.put(
                "topic.replication.factor",
                "unknown setting 'topic.replication.factor': it is not a CanvasFlow setting, and"
                        + " replication.factor"
                        + config
                        + " Streams creates); correct it (`canvasflow serve --print-settings`"
                        + " lists the settings)");
        assertEquals(expected, said);
    }

    @Test
    void shouldPassKafkaTopicConfigsUnderTopic() {
        // Given real topic configs for Kafka Streams' topics, with and without kafka.
        Map<String, String> given =
                Map.of(
                        "topic.cleanup.policy", "compact",
                        "topic.min.insync.replicas", "2",
                        "kafka.topic.segment.ms", "600000");

        // When the configuration is built
        CanvasFlowConfig config = CanvasFlowConfig.fromMap(given);

        // Then they are Kafka properties, as given
        assertEquals(
                Map.of(
                        "topic.cleanup.policy", "compact",
                        "topic.min.insync.replicas", "2",
                        "topic.segment.ms", "600000"),
                config.kafkaProperties());
    }

    @Test
    void shouldRefuseAClientPropertyOneLetterFromOneTheClientDefines() {
        // Given misspellings under Streams' client prefixes and kafka.
        List<String> keys =
                List.of(
                        "consumer.max.poll.record",
                        "main.consumer.sesion.timeout.ms",
                        "restore.consumer.fetch.max.byte",
                        "producer.lingr.ms",
                        "admin.request.timout.ms",
                        "kafka.sesion.timeout.ms");

        // When each is given
        Map<String, String> said = refusals(keys, "5");

        // Then each is refused naming the client's property it is near
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(
                "consumer.max.poll.record",
                "unknown setting 'consumer.max.poll.record': Kafka's consumer has no property"
                        + " max.poll.record; did you mean consumer.max.poll.records?");
        expected.put(
                "main.consumer.sesion.timeout.ms",
                "unknown setting 'main.consumer.sesion.timeout.ms': Kafka's consumer has no"
                        + " property sesion.timeout.ms; did you mean"
                        + " main.consumer.session.timeout.ms?");
        expected.put(
                "restore.consumer.fetch.max.byte",
                "unknown setting 'restore.consumer.fetch.max.byte': Kafka's consumer has no"
                        + " property fetch.max.byte; did you mean"
                        + " restore.consumer.fetch.max.bytes?");
        expected.put(
                "producer.lingr.ms",
                "unknown setting 'producer.lingr.ms': Kafka's producer has no property lingr.ms;"
                        + " did you mean producer.linger.ms?");
        expected.put(
                "admin.request.timout.ms",
                "unknown setting 'admin.request.timout.ms': Kafka's admin client has no property"
                        + " request.timout.ms; did you mean admin.request.timeout.ms?");
        expected.put(
                "kafka.sesion.timeout.ms",
                "unknown setting 'kafka.sesion.timeout.ms': Kafka Streams and its clients have no"
                        + " property sesion.timeout.ms; did you mean kafka.session.timeout.ms?");
        assertEquals(expected, said);
    }

    @Test
    void shouldPassClientPropertiesAndThePluginsOwnNamesKafkaPassesOn() {
        // Given real client properties under each prefix, and names only a plugin reads (an
        // interceptor's, a serde's, a config provider's), which Kafka passes to them
        Map<String, String> given = new LinkedHashMap<>();
        given.put("consumer.max.poll.records", "50");
        given.put("main.consumer.session.timeout.ms", "30000");
        given.put("global.consumer.fetch.max.bytes", "1000000");
        given.put("producer.ssl.keystore.location", "/etc/kafka/keystore.jks");
        given.put("admin.retries", "3");
        given.put("sasl.jaas.config", "x required;");
        given.put("kafka.schema.registry.url", "http://registry:8081");
        given.put("consumer.audit.interceptor.topic", "audit");
        given.put("kafka.config.providers", "file");
        given.put(
                "kafka.config.providers.file.class",
                "org.apache.kafka.common.config.provider.FileConfigProvider");
        given.put("group.protocol", "classic");
        given.put("client.id", "cams");

        // When the configuration is built
        CanvasFlowConfig config = CanvasFlowConfig.fromMap(given);

        // Then every one is a Kafka property, as given (without kafka.)
        Map<String, String> expected = new LinkedHashMap<>();
        given.forEach((k, v) -> expected.put(SettingNames.unprefixed(k), v));
        assertEquals(expected, config.kafkaProperties());
    }

    @Test
    void shouldRefuseTheClientPropertiesKafkaStreamsSetsItselfByName() {
        // Given properties Kafka Streams replaces for its clients, with and without a prefix
        List<String> keys =
                List.of(
                        "group.id",
                        "main.consumer.group.id",
                        "enable.auto.commit",
                        "allow.auto.create.topics",
                        "consumer.group.protocol",
                        "isolation.level",
                        "restore.consumer.isolation.level",
                        "enable.idempotence",
                        "producer.transactional.id",
                        "producer.client.id");

        // When each is given under exactly_once_v2, serve's default
        Map<String, String> said = refusals(keys, "x");

        // Then each is refused, naming what decides it instead
        String set = " is set by Kafka Streams and cannot be replaced: ";
        String eos = "with processing.guarantee exactly_once_v2 Kafka Streams' ";
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(
                "group.id",
                "Kafka property group.id"
                        + set
                        + "the consumer group is the setting application.id; remove it");
        expected.put(
                "main.consumer.group.id",
                "Kafka property main.consumer.group.id"
                        + set
                        + "the consumer group is the setting application.id; remove it");
        expected.put(
                "enable.auto.commit",
                "Kafka property enable.auto.commit"
                        + set
                        + "Kafka Streams commits its consumers' offsets itself, with its tasks;"
                        + " remove it");
        expected.put(
                "allow.auto.create.topics",
                "Kafka property allow.auto.create.topics"
                        + set
                        + "Kafka Streams' consumers never create topics; remove it");
        expected.put(
                "consumer.group.protocol",
                "Kafka property consumer.group.protocol"
                        + set
                        + "Kafka Streams chooses its consumers' protocol from group.protocol"
                        + " without a prefix; remove it");
        expected.put(
                "isolation.level",
                "Kafka property isolation.level"
                        + set
                        + eos
                        + "consumers read committed records only; remove it");
        expected.put(
                "restore.consumer.isolation.level",
                "Kafka property restore.consumer.isolation.level"
                        + set
                        + eos
                        + "consumers read committed records only; remove it");
        expected.put(
                "enable.idempotence",
                "Kafka property enable.idempotence"
                        + set
                        + eos
                        + "producers are idempotent; remove it");
        expected.put(
                "producer.transactional.id",
                "Kafka property producer.transactional.id"
                        + set
                        + "Kafka Streams names its producers' transactions from application.id,"
                        + " and processing.guarantee decides whether there are any; remove it");
        expected.put(
                "producer.client.id",
                "Kafka property producer.client.id"
                        + set
                        + "Kafka Streams names each of its clients from client.id without a"
                        + " prefix; remove it");
        assertEquals(expected, said);
    }

    @Test
    void shouldTakeTheExactlyOnceClientPropertiesUnderAtLeastOnce() {
        // Given at_least_once, where Kafka Streams leaves its clients' isolation and idempotence
        Map<String, String> given =
                Map.of(
                        "processing.guarantee", "at_least_once",
                        "isolation.level", "read_committed",
                        "producer.enable.idempotence", "false");

        // When the configuration is built
        CanvasFlowConfig config = CanvasFlowConfig.fromMap(given);

        // Then they are used
        assertEquals(
                Map.of("isolation.level", "read_committed", "producer.enable.idempotence", "false"),
                config.kafkaProperties());
    }

    /** Each key's refusal, alone in a configuration with this value, by key. */
    private static Map<String, String> refusals(List<String> keys, String value) {
        Map<String, String> said = new LinkedHashMap<>();
        for (String key : keys) {
            said.put(
                    key,
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> CanvasFlowConfig.fromMap(Map.of(key, value)),
                                    key)
                            .getMessage());
        }
        return said;
    }
}
