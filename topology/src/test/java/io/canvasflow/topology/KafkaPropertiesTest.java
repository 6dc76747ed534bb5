package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KafkaPropertiesTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("topicPropertiesThatAreNoTopicConfig")
    void shouldRefuseATopicPropertyThatIsNoKafkaTopicConfigNamingTheNearSetting(
            String key, String expected) {
        // Given a misspelt CanvasFlow setting under topic., which Kafka Streams would have given
        // its changelog as a topic config, after serve had made its topics
        // When it is given
        String said = refusal(key, "x");

        // Then it is one sentence naming it, with the setting it was most likely meant as
        assertEquals(expected, said);
    }

    static Stream<Arguments> topicPropertiesThatAreNoTopicConfig() {
        String config = " is not a Kafka topic config (topic.NAME sets NAME on the topics Kafka";
        return Stream.of(
                arguments(
                        "topic.frame",
                        "unknown setting 'topic.frame': it is not a CanvasFlow setting, and frame"
                                + config
                                + " Streams creates); did you mean topic.frames?"),
                arguments(
                        "topic.create",
                        "unknown setting 'topic.create': it is not a CanvasFlow setting, and create"
                                + config
                                + " Streams creates); did you mean topics.create?"),
                arguments(
                        "topic.partition",
                        "unknown setting 'topic.partition': it is not a CanvasFlow setting, and"
                                + " partition"
                                + config
                                + " Streams creates); did you mean topic.partitions?"),
                arguments(
                        "topic.dql",
                        "unknown setting 'topic.dql': it is not a CanvasFlow setting, and dql"
                                + config
                                + " Streams creates); did you mean topic.dlq?"),
                arguments(
                        "kafka.topic.mask",
                        "unknown setting 'kafka.topic.mask': it is not a CanvasFlow setting, and"
                                + " mask"
                                + config
                                + " Streams creates); did you mean kafka.topic.masks?"),
                arguments(
                        "topic.retention.m",
                        "unknown setting 'topic.retention.m': it is not a CanvasFlow setting, and"
                                + " retention.m"
                                + config
                                + " Streams creates); did you mean topic.retention.ms?"),
                arguments(
                        "topic.replication.factor",
                        "unknown setting 'topic.replication.factor': it is not a CanvasFlow"
                                + " setting, and replication.factor is a Kafka Streams or client"
                                + " property, not a topic config (topic.NAME sets NAME on the"
                                + " topics Kafka Streams creates); did you mean"
                                + " replication.factor?"));
    }

    @Test
    void shouldPassTopicConfigsThatOnlySomeBrokersTakeForTheBrokerToJudge() {
        // Given topic configs kafka-clients' TopicConfig does not list, which Confluent Server
        // (confluent.*) or the broker's own list (the replication throttles) takes, and no
        // setting or topic config is near
        Map<String, String> given = new LinkedHashMap<>();
        given.put("topic.confluent.placement.constraints", "{\"version\":1}");
        given.put("kafka.topic.confluent.value.schema.validation", "true");
        given.put("topic.leader.replication.throttled.replicas", "*");

        // When the configuration is built
        CanvasFlowConfig config = CanvasFlowConfig.fromMap(given);

        // Then they are Kafka properties, as given (without kafka.)
        assertEquals(
                Map.of(
                        "topic.confluent.placement.constraints", "{\"version\":1}",
                        "topic.confluent.value.schema.validation", "true",
                        "topic.leader.replication.throttled.replicas", "*"),
                config.kafkaProperties());
    }

    @Test
    void shouldPassThePropertiesKafkaReadsByTheirPrefixUnprefixed() {
        // Given properties Kafka reads by a prefix that no definition lists: Streams' client tags,
        // the clients' metrics context and JMX filter, a config provider's class and parameter
        Map<String, String> given = new LinkedHashMap<>();
        given.put("client.tag.zone", "eu-west-1a");
        given.put("metrics.context.resource.cluster.id", "abc");
        given.put("metrics.jmx.include", "kafka.streams.*");
        given.put("config.providers", "file");
        given.put(
                "config.providers.file.class",
                "org.apache.kafka.common.config.provider.FileConfigProvider");
        given.put("config.providers.file.param.allowed.paths", "/etc/kafka");
        given.put("producer.metrics.context.team", "vision");

        // When the configuration is built
        CanvasFlowConfig config = CanvasFlowConfig.fromMap(given);

        // Then every one is a Kafka property, as given
        assertEquals(given, config.kafkaProperties());
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientPropertiesOneLetterOff")
    void shouldRefuseAClientPropertyOneLetterFromOneTheClientDefines(String key, String expected) {
        // Given a misspelling under one of Streams' client prefixes or kafka.
        // When it is given
        String said = refusal(key, "5");

        // Then it is refused naming the client's property it is near
        assertEquals(expected, said);
    }

    static Stream<Arguments> clientPropertiesOneLetterOff() {
        return Stream.of(
                arguments(
                        "consumer.max.poll.record",
                        "unknown setting 'consumer.max.poll.record': Kafka's consumer has no"
                                + " property max.poll.record; did you mean"
                                + " consumer.max.poll.records?"),
                arguments(
                        "main.consumer.sesion.timeout.ms",
                        "unknown setting 'main.consumer.sesion.timeout.ms': Kafka's consumer has"
                                + " no property sesion.timeout.ms; did you mean"
                                + " main.consumer.session.timeout.ms?"),
                arguments(
                        "restore.consumer.fetch.max.byte",
                        "unknown setting 'restore.consumer.fetch.max.byte': Kafka's consumer has"
                                + " no property fetch.max.byte; did you mean"
                                + " restore.consumer.fetch.max.bytes?"),
                arguments(
                        "producer.lingr.ms",
                        "unknown setting 'producer.lingr.ms': Kafka's producer has no property"
                                + " lingr.ms; did you mean producer.linger.ms?"),
                arguments(
                        "admin.request.timout.ms",
                        "unknown setting 'admin.request.timout.ms': Kafka's admin client has no"
                                + " property request.timout.ms; did you mean"
                                + " admin.request.timeout.ms?"),
                arguments(
                        "kafka.sesion.timeout.ms",
                        "unknown setting 'kafka.sesion.timeout.ms': Kafka Streams and its clients"
                                + " have no property sesion.timeout.ms; did you mean"
                                + " kafka.session.timeout.ms?"));
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("propertiesKafkaStreamsSets")
    void shouldRefuseTheClientPropertiesKafkaStreamsSetsItselfByName(String key, String decidedBy) {
        // Given a property Kafka Streams replaces for its clients, with or without a prefix
        // When it is given under exactly_once_v2, serve's default
        String said = refusal(key, "x");

        // Then it is refused, naming what decides it instead
        assertEquals(
                "Kafka property "
                        + key
                        + " is set by Kafka Streams and cannot be replaced: "
                        + decidedBy,
                said);
    }

    static Stream<Arguments> propertiesKafkaStreamsSets() {
        String eos = "with processing.guarantee exactly_once_v2 Kafka Streams' ";
        return Stream.of(
                arguments(
                        "group.id", "the consumer group is the setting application.id; remove it"),
                arguments(
                        "main.consumer.group.id",
                        "the consumer group is the setting application.id; remove it"),
                arguments(
                        "enable.auto.commit",
                        "Kafka Streams commits its consumers' offsets itself, with its tasks;"
                                + " remove it"),
                arguments(
                        "allow.auto.create.topics",
                        "Kafka Streams' consumers never create topics; remove it"),
                arguments(
                        "consumer.group.protocol",
                        "Kafka Streams chooses its consumers' protocol from group.protocol"
                                + " without a prefix; remove it"),
                arguments(
                        "isolation.level",
                        eos + "consumers read committed records only; remove it"),
                arguments(
                        "restore.consumer.isolation.level",
                        eos + "consumers read committed records only; remove it"),
                arguments("enable.idempotence", eos + "producers are idempotent; remove it"),
                arguments(
                        "producer.transactional.id",
                        "Kafka Streams names its producers' transactions from application.id,"
                                + " and processing.guarantee decides whether there are any;"
                                + " remove it"),
                arguments(
                        "producer.client.id",
                        "Kafka Streams names each of its clients from client.id without a"
                                + " prefix; remove it"));
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

    /** The refusal of this key, alone in a configuration with this value. */
    private static String refusal(String key, String value) {
        return assertThrows(
                        IllegalArgumentException.class,
                        () -> CanvasFlowConfig.fromMap(Map.of(key, value)),
                        key)
                .getMessage();
    }
}
