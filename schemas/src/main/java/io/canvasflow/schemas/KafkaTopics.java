package io.canvasflow.schemas;

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
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics a command or the embedded broker needs, leaving existing ones as they are. */
public final class KafkaTopics {

    private KafkaTopics() {}

    /**
     * Creates each topic that does not exist yet.
     *
     * @param client client properties: bootstrap servers and security settings (others ignored)
     * @param topics the topics with their partitions, replication and configs
     * @param timeout how long to wait for the cluster
     * @return the names of the topics created now
     * @throws IllegalStateException with one sentence when a topic cannot be created in time
     */
    public static List<String> createIfAbsent(
            Map<String, Object> client, List<NewTopic> topics, Duration timeout) {
        Map<String, Object> config = new HashMap<>(client);
        config.keySet().retainAll(AdminClientConfig.configNames());
        List<String> created = new ArrayList<>();
        try (Admin admin = Admin.create(config)) {
            for (var result : admin.createTopics(topics).values().entrySet()) {
                try {
                    result.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(result.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "could not create topic "
                                        + result.getKey()
                                        + ": "
                                        + e.getCause().getMessage(),
                                e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "topics were not created within "
                            + timeout.toSeconds()
                            + " s; is Kafka at "
                            + config.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                            + "?",
                    e);
        }
        return created;
    }
}
