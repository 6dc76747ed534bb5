package io.canvasflow.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the topics a command or the embedded broker needs, leaving existing ones as they are, and
 * reads their record size limits.
 */
public final class KafkaTopics {

    private KafkaTopics() {}

    /**
     * Creates each topic that does not exist yet. All or nothing, as far as the cluster answers:
     * when one cannot be created, the topics this call created are deleted again before it throws
     * (the cluster creates the others of the same request whatever happens to one), and the
     * sentence says which stayed if the delete fails. A topic whose creation gave no answer in time
     * is not deleted, as it may have existed before; the cluster may still make it.
     *
     * @param client client properties: bootstrap servers and security settings (others ignored)
     * @param topics the topics with their partitions, replication and configs
     * @param timeout how long to wait for the cluster
     * @return the names of the topics created now
     * @throws IllegalStateException with one sentence when a topic cannot be created in time
     */
    public static List<String> createIfAbsent(
            Map<String, Object> client, List<NewTopic> topics, Duration timeout) {
        List<String> created = new ArrayList<>();
        String failure = null;
        Exception cause = null;
        try (Admin admin = admin(client)) {
            var results = admin.createTopics(topics).values();
            long deadline = System.nanoTime() + timeout.toNanos();
            // every answer before any refusal: the ones after a refused topic may have been made
            for (NewTopic topic : topics) {
                try {
                    results.get(topic.name())
                            .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    created.add(topic.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException) && failure == null) {
                        failure =
                                "could not create topic "
                                        + topic.name()
                                        + ": "
                                        + e.getCause().getMessage();
                        cause = e;
                    }
                } catch (TimeoutException e) {
                    if (failure == null) {
                        failure = notInTime(client, timeout);
                        cause = e;
                    }
                }
            }
            if (failure == null) {
                awaitLeaders(admin, created, deadline);
                return created;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted while creating topics";
            cause = e;
        } catch (TimeoutException e) {
            failure = notInTime(client, timeout);
            cause = e;
        } catch (IllegalStateException e) {
            failure = e.getMessage();
            cause = e;
        }
        // an interrupt is kept for the caller, but would fail every step of the deletion at once
        boolean interrupted = Thread.interrupted();
        try {
            throw new IllegalStateException(failure + undone(client, created, timeout), cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String notInTime(Map<String, Object> client, Duration timeout) {
        return "topics were not created within "
                + timeout.toSeconds()
                + " s; is Kafka at "
                + client.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                + "?";
    }

    /**
     * Deletes the topics a failed creation made, and says what stayed.
     *
     * @return what to add to the failure's sentence: nothing when every one went
     */
    private static String undone(Map<String, Object> client, List<String> created, Duration t) {
        List<String> stayed = new ArrayList<>(created);
        stayed.removeAll(deleteCreated(client, created, t));
        return stayed.isEmpty()
                ? ""
                : " (and topics "
                        + String.join(", ", stayed)
                        + ", created before that, could not be deleted again: delete them with"
                        + " kafka-topics.sh --delete)";
    }

    /**
     * Deletes topics that a command created and then left empty because it refused part-way, so
     * that nothing half-made stays on the cluster. Best effort: a topic that cannot be deleted in
     * time stays.
     *
     * @param client client properties: bootstrap servers and security settings (others ignored)
     * @param names the topics the command created
     * @param timeout how long to wait for the cluster
     * @return the names of the topics deleted
     */
    public static List<String> deleteCreated(
            Map<String, Object> client, List<String> names, Duration timeout) {
        if (names.isEmpty()) {
            return List.of();
        }
        List<String> deleted = new ArrayList<>();
        try (Admin admin = admin(client)) {
            for (var result : admin.deleteTopics(names).topicNameValues().entrySet()) {
                try {
                    result.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    deleted.add(result.getKey());
                } catch (ExecutionException | TimeoutException e) {
                    // stays; the caller says which went
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return deleted;
    }

    /**
     * Whether some producer has a transaction open on a topic: records not committed yet, which a
     * committed read does not see. Where the cluster cannot say (no right to describe producers, no
     * answer in time), the answer is yes: a caller asks before deleting.
     *
     * @param client client properties: bootstrap servers and security settings (others ignored)
     * @param topic the topic
     * @param timeout how long to wait for the cluster
     * @return whether a transaction is open on one of its partitions, or that cannot be known
     */
    public static boolean hasOpenTransaction(
            Map<String, Object> client, String topic, Duration timeout) {
        try (Admin admin = admin(client)) {
            List<TopicPartition> partitions = new ArrayList<>();
            admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic)
                    .partitions()
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            return admin
                    .describeProducers(partitions)
                    .all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .values()
                    .stream()
                    .flatMap(state -> state.activeProducers().stream())
                    .anyMatch(producer -> producer.currentTransactionStartOffset().isPresent());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return true;
        }
    }

    /**
     * The largest record batch each topic takes: its {@code max.message.bytes}, as set on the topic
     * or inherited from the brokers' {@code message.max.bytes}.
     *
     * @param client client properties: bootstrap servers and security settings (others ignored)
     * @param topics the topics
     * @param timeout how long to wait for the cluster, for all of them
     * @param problems where to say, one sentence a topic, why a topic's limit is not known (it does
     *     not exist, no DescribeConfigs right on it, no answer in time)
     * @return the limit in bytes of each topic whose limit is known, by name
     */
    public static Map<String, Integer> maxMessageBytes(
            Map<String, Object> client,
            List<String> topics,
            Duration timeout,
            Consumer<String> problems) {
        Map<String, Integer> limits = new LinkedHashMap<>();
        settings(client, topics, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, timeout, problems)
                .forEach(
                        (topic, value) -> {
                            try {
                                limits.put(topic, Integer.parseInt(value));
                            } catch (NumberFormatException e) {
                                problems.accept(
                                        "could not read max.message.bytes of topic "
                                                + topic
                                                + ": "
                                                + value);
                            }
                        });
        return limits;
    }

    /**
     * One setting of each topic, as set on the topic or inherited from the brokers.
     *
     * @param client client properties: bootstrap servers and security settings (others ignored)
     * @param topics the topics
     * @param name the setting, e.g. {@code cleanup.policy}
     * @param timeout how long to wait for the cluster, for all of them
     * @param problems where to say, one sentence a topic, why a topic's setting is not known (no
     *     DescribeConfigs right on it, no answer in time); a topic that does not exist is left out
     *     without a word
     * @return the value for each topic whose setting is known, by name
     */
    public static Map<String, String> settings(
            Map<String, Object> client,
            List<String> topics,
            String name,
            Duration timeout,
            Consumer<String> problems) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Object> config = new HashMap<>(client);
        // Never longer than asked, on a call or on closing with one still open.
        int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin(config)) {
            var results =
                    admin.describeConfigs(
                                    topics.stream()
                                            .map(
                                                    t ->
                                                            new ConfigResource(
                                                                    ConfigResource.Type.TOPIC, t))
                                            .toList())
                            .values();
            for (var result : results.entrySet()) {
                String topic = result.getKey().name();
                try {
                    ConfigEntry entry =
                            result.getValue()
                                    .get(
                                            Math.max(0, deadline - System.nanoTime()),
                                            TimeUnit.NANOSECONDS)
                                    .get(name);
                    if (entry != null && entry.value() != null) {
                        values.put(topic, entry.value());
                    }
                } catch (ExecutionException | TimeoutException e) {
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    if (cause instanceof UnknownTopicOrPartitionException) {
                        continue;
                    }
                    problems.accept(
                            "could not read "
                                    + name
                                    + " of topic "
                                    + topic
                                    + ": "
                                    + (cause.getMessage() == null
                                            ? cause.getClass().getSimpleName()
                                            : cause.getMessage()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return values;
    }

    /**
     * Sets a topic's {@code max.message.bytes}.
     *
     * @param client client properties: bootstrap servers and security settings (others ignored)
     * @param topic the topic
     * @param bytes the new limit
     * @param timeout how long to wait for the cluster
     * @throws IllegalStateException with Kafka's reason when the cluster does not take it (no
     *     AlterConfigs right on the topic, say)
     */
    public static void setMaxMessageBytes(
            Map<String, Object> client, String topic, int bytes, Duration timeout) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        AlterConfigOp set =
                new AlterConfigOp(
                        new ConfigEntry(
                                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(bytes)),
                        AlterConfigOp.OpType.SET);
        try (Admin admin = admin(client)) {
            admin.incrementalAlterConfigs(Map.of(resource, List.of(set)))
                    .all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while altering topic " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException(
                    String.valueOf(cause.getMessage() == null ? cause : cause.getMessage()), e);
        }
    }

    /** An admin client from a command's client properties, the admin's own ones kept. */
    private static Admin admin(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.keySet().retainAll(AdminClientConfig.configNames());
        return Admin.create(config);
    }

    /**
     * Waits until every partition of the new topics answers as its leader. A producer that writes
     * at once can otherwise lose a batch although it is idempotent: its first request gets
     * NOT_LEADER_OR_FOLLOWER, the next one is appended as the partition's first, and every retry of
     * the first is then OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout (KAFKA-15591; seen
     * here in the demo's vtest run, 794 of 795 frames). A leader in the metadata is not enough: the
     * replay's copy producer hit the race after describeTopics already named one, so this asks each
     * partition's leader for its end offset (ListOffsets), which it answers only once it has taken
     * the partition.
     */
    private static void awaitLeaders(Admin admin, List<String> topics, long deadlineNanos)
            throws InterruptedException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("no leader for every partition of " + topics);
            }
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                admin.describeTopics(topics)
                        .allTopicNames()
                        .get(left, TimeUnit.NANOSECONDS)
                        .forEach(
                                (name, d) ->
                                        d.partitions()
                                                .forEach(
                                                        p ->
                                                                partitions.put(
                                                                        new TopicPartition(
                                                                                name,
                                                                                p.partition()),
                                                                        OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get(left, TimeUnit.NANOSECONDS);
                return;
            } catch (ExecutionException e) {
                // the broker answering has not applied the creation, or not taken the leadership
                if (!(e.getCause() instanceof RetriableException)) {
                    throw new IllegalStateException(
                            "could not describe the new topics "
                                    + topics
                                    + ": "
                                    + e.getCause().getMessage(),
                            e);
                }
            }
            Thread.sleep(20);
        }
    }
}
