package io.canvasflow.topology;

import io.canvasflow.registry.ModelRegistryClient;
import io.canvasflow.registry.ModelRegistryException;
import io.canvasflow.schemas.KafkaTopics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics {@code serve --create-topics} makes. A failure within one creation request deletes
 * what that request made ({@link KafkaTopics#createIfAbsent}); a failed start after it leaves them.
 */
final class ServeTopics {

    private static final Logger LOG = LoggerFactory.getLogger(ServeTopics.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ServeTopics() {}

    /**
     * Creates the frames, masks and dead-letter topics where absent.
     *
     * @return the topics it created
     * @throws IllegalStateException when a topic cannot be created; it then leaves none made
     */
    static List<String> create(CanvasFlowConfig config) {
        Map<String, String> large =
                Map.of(
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                        Integer.toString(CanvasFlowTopology.maxMessageBytes(config)));
        List<NewTopic> topics =
                List.of(config.framesTopic(), config.masksTopic(), config.dlqTopic()).stream()
                        .map(
                                name ->
                                        new NewTopic(
                                                        name,
                                                        config.topicPartitions(),
                                                        config.topicReplication())
                                                .configs(large))
                        .toList();
        List<String> created = KafkaTopics.createIfAbsent(admin(config), topics, TIMEOUT);
        created.forEach(name -> LOG.info("created topic {}", name));
        return created;
    }

    /**
     * Refuses, before any topic is made, a record size setting that a topic serve is about to
     * create could not hold: it makes them with {@link CanvasFlowTopology#maxMessageBytes}, so
     * {@link MaskRoom} and {@link DeadLetterRoom} can say now what they would say once it exists,
     * instead of after the topics are made. A topic that exists is fitted as the cluster has it,
     * once the topics are made.
     *
     * @param config the settings
     * @param existing the topics that exist
     * @throws IllegalStateException with one sentence naming the setting and what it may be
     */
    static void requireRoom(CanvasFlowConfig config, Set<String> existing) {
        int writable =
                Math.min(
                        CanvasFlowTopology.maxMessageBytes(config),
                        CanvasFlowTopology.producerMaxRequestSize(config));
        if (!existing.contains(config.masksTopic())) {
            MaskRoom.fit(config, writable);
        }
        if (!existing.contains(config.dlqTopic())) {
            DeadLetterRoom.requireFits(config, writable);
        }
    }

    /**
     * Creates the model registry's topics where absent.
     *
     * @return the topics it created
     * @throws IllegalStateException when a topic cannot be created
     */
    static List<String> createRegistry(CanvasFlowConfig config) {
        try {
            List<String> created =
                    ModelRegistryClient.createTopics(
                            admin(config),
                            FollowedModels.registryTopics(config),
                            config.topicReplication());
            created.forEach(name -> LOG.info("created topic {}", name));
            return created;
        } catch (ModelRegistryException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Says which topics a start created, when it then failed: they stay. Instances started together
     * race to create the topics, and the one that fails may be the one that made them, while
     * another instance, not yet a member of the group (it waits for its model too), or the models
     * Job is about to use them; nothing here can tell. What a setting refuses is refused before any
     * topic is made; a failure after is not the user's input.
     *
     * @param config the settings
     * @param created the topics that start created; none for nothing to say
     */
    static void sayCreated(CanvasFlowConfig config, List<String> created) {
        if (!created.isEmpty()) {
            LOG.info(
                    "serve did not start; the topics it created stay for the next start or another"
                            + " instance of {}: {}",
                    config.applicationId(),
                    String.join(", ", created));
        }
    }

    /** Admin client properties: the Kafka properties an admin takes, and the bootstrap servers. */
    static Map<String, Object> admin(CanvasFlowConfig config) {
        Map<String, Object> admin = new HashMap<>();
        config.kafkaProperties()
                .forEach(
                        (k, v) -> {
                            if (AdminClientConfig.configNames().contains(k)) {
                                admin.put(k, v);
                            } else if (k.startsWith(StreamsConfig.ADMIN_CLIENT_PREFIX)) {
                                admin.put(
                                        k.substring(StreamsConfig.ADMIN_CLIENT_PREFIX.length()), v);
                            }
                        });
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return admin;
    }
}
