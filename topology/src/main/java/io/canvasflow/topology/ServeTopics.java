package io.canvasflow.topology;

import io.canvasflow.registry.ModelRegistryClient;
import io.canvasflow.registry.ModelRegistryException;
import io.canvasflow.schemas.KafkaTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics {@code serve --create-topics} makes, and their removal when serve then fails to start:
 * it deletes those it created in that start, and only those, so that nothing half-made stays.
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
     * Deletes the topics a start created, when it then failed, with one INFO line naming them;
     * never one that another instance or a publisher may use already. Instances started together
     * race to create the topics, and the failing one may be the one that won: so nothing is deleted
     * while the application's consumer group has a member, and a topic with a record in it stays
     * ({@link KafkaTopics#deleteIfUnwritten}). A failure of the clean-up is added to the start's
     * failure, never put in its place.
     *
     * @param config the settings
     * @param created the topics that start created; none for nothing to do
     * @param failure why the start failed
     */
    static void deleteCreated(CanvasFlowConfig config, List<String> created, Exception failure) {
        if (created.isEmpty()) {
            return;
        }
        try {
            if (groupHasMembers(config)) {
                LOG.info(
                        "serve did not start; it leaves the topics it created ({}): other"
                                + " instances of {} are running",
                        String.join(", ", created),
                        config.applicationId());
                return;
            }
            List<String> deleted = KafkaTopics.deleteIfUnwritten(admin(config), created, TIMEOUT);
            List<String> stayed = new ArrayList<>(created);
            stayed.removeAll(deleted);
            LOG.info(
                    "serve did not start, so it deleted the topics it had created: {}{}",
                    deleted.isEmpty() ? "none" : String.join(", ", deleted),
                    stayed.isEmpty()
                            ? ""
                            : "; it left "
                                    + String.join(", ", stayed)
                                    + " (written to since, or the cluster did not say)");
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Whether the application's consumer group has a member: another instance running. Where the
     * cluster cannot say, it is taken to have one.
     */
    private static boolean groupHasMembers(CanvasFlowConfig config) {
        try (Admin admin = Admin.create(admin(config))) {
            return !admin.describeConsumerGroups(List.of(config.applicationId()))
                    .all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(config.applicationId())
                    .members()
                    .isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (ExecutionException e) {
            return !(e.getCause() instanceof GroupIdNotFoundException); // never joined: none
        } catch (TimeoutException | RuntimeException e) {
            return true;
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
