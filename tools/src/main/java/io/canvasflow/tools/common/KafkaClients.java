package io.canvasflow.tools.common;

import io.canvasflow.clients.FramePublisher;
import io.canvasflow.clients.MaskFollower;
import io.canvasflow.schemas.KafkaTopics;
import io.canvasflow.topology.CanvasFlowConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Client configurations for the replay's own consumers, producers and admin client: the same
 * cluster and security settings as the topology (the Kafka properties passed through {@link
 * CanvasFlowConfig}), with the CanvasFlow clients' defaults.
 */
public final class KafkaClients {

    private KafkaClients() {}

    /**
     * A consumer that assigns partitions itself: {@code read_committed}, no group, no commits.
     *
     * @param config the settings, with bootstrap servers
     * @param clientId the client id
     * @return the configuration
     */
    public static Map<String, Object> consumer(CanvasFlowConfig config, String clientId) {
        Map<String, Object> c =
                MaskFollower.consumerConfig(
                        config.bootstrapServers(),
                        null,
                        true,
                        passThrough(config, ConsumerConfig.configNames()));
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return c;
    }

    /**
     * An idempotent producer with the frame publisher's settings.
     *
     * @param config the settings, with bootstrap servers
     * @param clientId the client id
     * @return the configuration
     */
    public static Map<String, Object> producer(CanvasFlowConfig config, String clientId) {
        Map<String, Object> p =
                FramePublisher.producerConfig(
                        config.bootstrapServers(),
                        passThrough(config, ProducerConfig.configNames()));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return p;
    }

    /**
     * An admin client.
     *
     * @param config the settings, with bootstrap servers
     * @return the configuration
     */
    public static Map<String, Object> admin(CanvasFlowConfig config) {
        Map<String, Object> a = passThrough(config, AdminClientConfig.configNames());
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return a;
    }

    /**
     * Creates a frames topic unless it exists, with room for large frames and the configured
     * replication.
     *
     * @param config the settings, with bootstrap servers
     * @param name the topic
     * @param partitions its partitions
     * @throws IllegalStateException when it cannot be created
     */
    public static void createTopic(CanvasFlowConfig config, String name, int partitions) {
        createTopic(
                config,
                name,
                partitions,
                Map.of(
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                        Integer.toString(FramePublisher.MAX_REQUEST_BYTES)));
    }

    /**
     * Creates a topic with these topic configs unless it exists, with the configured replication,
     * and waits until its partitions have leaders ({@link KafkaTopics#createIfAbsent}).
     *
     * @param config the settings, with bootstrap servers
     * @param name the topic
     * @param partitions its partitions
     * @param configs its topic configs, for example {@code cleanup.policy=compact}
     * @throws IllegalStateException when it cannot be created
     */
    public static void createTopic(
            CanvasFlowConfig config, String name, int partitions, Map<String, String> configs) {
        NewTopic topic = new NewTopic(name, partitions, config.topicReplication()).configs(configs);
        KafkaTopics.createIfAbsent(admin(config), List.of(topic), Duration.ofSeconds(60));
    }

    private static Map<String, Object> passThrough(CanvasFlowConfig config, Set<String> names) {
        Map<String, Object> out = new HashMap<>();
        config.kafkaProperties()
                .forEach(
                        (k, v) -> {
                            if (names.contains(k)
                                    && !k.equals(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                                out.put(k, v);
                            }
                        });
        return out;
    }
}
