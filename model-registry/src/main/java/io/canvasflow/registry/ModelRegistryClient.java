package io.canvasflow.registry;

import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.KafkaClientFailure;
import io.canvasflow.schemas.KafkaTopics;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.AssignmentScope;
import io.canvasflow.schemas.avro.ModelAssignment;
import io.canvasflow.schemas.avro.ModelChunk;
import io.canvasflow.schemas.avro.ModelPart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the {@code canvasflow models} commands do to a cluster: create the registry topics, publish
 * and remove versions, assign them, and read the registry back. Writes are transactions, so that a
 * reader sees a version's manifest and all of its chunks, or none of them.
 */
public final class ModelRegistryClient {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistryClient.class);

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

    /**
     * What a record batch of one record adds to its key and value: the batch header (61 bytes) and
     * the record's length and delta fields (at most 32), rounded up.
     */
    static final int RECORD_OVERHEAD = 100;

    private final Map<String, Object> kafka;
    private final RegistryTopics topics;

    /**
     * The names of the three registry topics.
     *
     * @param models published versions
     * @param assignments assignments
     * @param errors refused versions
     */
    public record RegistryTopics(String models, String assignments, String errors) {

        /** The default names, from {@link Topics}. */
        public static RegistryTopics defaults() {
            return new RegistryTopics(
                    Topics.MODELS.name(),
                    Topics.MODEL_ASSIGNMENTS.name(),
                    Topics.MODEL_ERRORS.name());
        }
    }

    /**
     * Creates a client.
     *
     * @param kafka client properties: bootstrap servers and any security settings
     * @param topics the registry topics
     */
    public ModelRegistryClient(Map<String, Object> kafka, RegistryTopics topics) {
        this.kafka = Map.copyOf(kafka);
        this.topics = topics;
    }

    /**
     * Creates the registry topics where they do not exist: the models and assignments topics
     * compacted with one partition (a version's parts stay in order), the errors topic with one.
     *
     * @param replication the replication factor
     * @return the topics it created
     * @throws ModelRegistryException when a topic cannot be created
     */
    public List<String> createTopics(short replication) {
        return createTopics(kafka, topics, replication);
    }

    /**
     * Creates the registry topics where they do not exist. Existing ones are checked first ({@link
     * #checkKept(Map, RegistryTopics)}), so that a refusal leaves nothing made; a topic the cluster
     * will not create deletes again those this call created before it.
     *
     * @param kafka admin properties
     * @param topics their names
     * @param replication the replication factor
     * @return the topics it created
     * @throws ModelRegistryException when a topic cannot be created or one that exists would lose
     *     what it holds
     */
    public static List<String> createTopics(
            Map<String, Object> kafka, RegistryTopics topics, short replication) {
        checkKept(kafka, topics);
        Map<String, String> compacted =
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        List<NewTopic> wanted =
                List.of(
                        new NewTopic(topics.models(), 1, replication).configs(compacted),
                        new NewTopic(topics.assignments(), 1, replication).configs(compacted),
                        new NewTopic(topics.errors(), 1, replication));
        List<String> created = new ArrayList<>();
        try {
            // one at a time: a refusal says nothing of the others a call made
            for (NewTopic topic : wanted) {
                created.addAll(KafkaTopics.createIfAbsent(kafka, List.of(topic), TIMEOUT));
            }
        } catch (IllegalStateException e) {
            KafkaTopics.deleteCreated(kafka, created, TIMEOUT);
            throw new ModelRegistryException(e.getMessage(), e);
        }
        return created;
    }

    /**
     * Publishes a checked model in one transaction, creating the registry topics where they do not
     * exist. What would refuse it is checked before any topic is made: a registry topic that is not
     * kept, a models topic whose {@code max.message.bytes} is smaller than a record of it. A topic
     * this call created is deleted again when the write fails (its records were aborted), unless
     * another client has written to it meanwhile.
     *
     * @param publication the model's records
     * @param replication the replication factor of the topics it creates
     * @return the topics it created
     * @throws ModelRegistryException in one sentence when it is refused or the write fails
     */
    public List<String> publishCreatingTopics(ModelPublication publication, short replication) {
        checkFits(publication);
        List<String> created = createTopics(kafka, topics, replication);
        try {
            if (created.contains(topics.models())) {
                checkFits(publication); // made with the brokers' message.max.bytes
            }
            publish(publication);
        } catch (ModelRegistryException e) {
            dropCreated(created);
            throw e;
        }
        return created;
    }

    /**
     * Refuses a publication with a record larger than the models topic takes: the broker would
     * refuse the transaction, and say only that a message was too large.
     */
    private void checkFits(ModelPublication publication) {
        Integer limit =
                KafkaTopics.maxMessageBytes(
                                kafka,
                                List.of(topics.models()),
                                CHECK_TIMEOUT,
                                problem -> LOG.debug("{}", problem))
                        .get(topics.models());
        if (limit == null) {
            return; // not there yet, or not ours to read: the write says it
        }
        int chunkEnvelope = 0;
        int largestChunk = 0;
        int manifest = 0;
        for (var part : publication.records()) {
            // (the slice's length before serialising, which may read its buffer)
            int data =
                    part.getValue().getPart() instanceof ModelChunk chunk
                            ? chunk.getData().remaining()
                            : -1;
            int bytes =
                    RECORD_OVERHEAD
                            + part.getKey().getBytes(StandardCharsets.UTF_8).length
                            + modelRecord(part.getKey(), part.getValue()).value().length;
            if (data >= 0) {
                largestChunk = Math.max(largestChunk, bytes);
                chunkEnvelope = Math.max(chunkEnvelope, bytes - data);
            } else {
                manifest = bytes;
            }
        }
        if (manifest > limit) {
            throw new ModelRegistryException(
                    "topic "
                            + topics.models()
                            + " takes records of up to "
                            + limit
                            + " bytes (max.message.bytes), less than this model's manifest ("
                            + manifest
                            + " bytes with model.json); raise the topic's max.message.bytes");
        }
        if (largestChunk > limit) {
            // (a smaller chunk makes more of them: the index's and length's varints may grow)
            int fits = limit - chunkEnvelope - 8;
            throw new ModelRegistryException(
                    "topic "
                            + topics.models()
                            + " takes records of up to "
                            + limit
                            + " bytes (max.message.bytes), and a chunk of this model is "
                            + largestChunk
                            + " bytes with its key and envelope; "
                            + (fits >= ModelCatalog.MIN_CHUNK_BYTES
                                    ? "pass --chunk-bytes " + fits + " or less, or raise"
                                    : "raise")
                            + " the topic's max.message.bytes");
        }
    }

    /**
     * Deletes the topics this client created when its write failed: they hold no committed record
     * of its own. One that another client has written to since, or has a transaction open on, or
     * that cannot be read, stays.
     */
    private void dropCreated(List<String> created) {
        if (created.isEmpty()) {
            return;
        }
        Set<String> holding;
        try {
            holding = read(true).topicsWithRecords();
        } catch (ModelRegistryException e) {
            return;
        }
        List<String> empty =
                created.stream()
                        .filter(t -> !holding.contains(t))
                        .filter(t -> !KafkaTopics.hasOpenTransaction(kafka, t, CHECK_TIMEOUT))
                        .toList();
        KafkaTopics.deleteCreated(kafka, empty, TIMEOUT)
                .forEach(t -> LOG.debug("deleted topic {}, created by the failed write", t));
    }

    /**
     * Refuses registry topics that would lose what they hold; see {@link #checkKept(Map,
     * RegistryTopics)}.
     */
    public void checkKept() {
        checkKept(kafka, topics);
    }

    /**
     * Refuses registry topics that would lose what they hold: the models and assignments topics
     * must be compacted (or keep records for ever), or retention deletes every model and assignment
     * after a week, and every instance started after that has none. A topic made by hand or by a
     * platform's defaults is easily {@code cleanup.policy=delete}. A topic that does not exist, or
     * whose settings this client may not read, is not refused.
     *
     * @param kafka admin properties
     * @param topics their names
     * @throws ModelRegistryException in one sentence that says how to fix the topic
     */
    public static void checkKept(Map<String, Object> kafka, RegistryTopics topics) {
        List<String> names = List.of(topics.models(), topics.assignments());
        Map<String, String> policies =
                KafkaTopics.settings(
                        kafka,
                        names,
                        TopicConfig.CLEANUP_POLICY_CONFIG,
                        CHECK_TIMEOUT,
                        problem -> LOG.debug("{}", problem));
        // compact alone: "compact,delete" compacts and still deletes old segments
        List<String> notCompacted =
                names.stream()
                        .filter(policies::containsKey)
                        .filter(
                                t ->
                                        !policies.get(t)
                                                        .contains(
                                                                TopicConfig.CLEANUP_POLICY_COMPACT)
                                                || policies.get(t)
                                                        .contains(
                                                                TopicConfig.CLEANUP_POLICY_DELETE))
                        .toList();
        if (notCompacted.isEmpty()) {
            return;
        }
        Map<String, String> retention =
                KafkaTopics.settings(
                        kafka,
                        notCompacted,
                        TopicConfig.RETENTION_MS_CONFIG,
                        CHECK_TIMEOUT,
                        problem -> LOG.debug("{}", problem));
        for (String topic : notCompacted) {
            String ms = retention.get(topic);
            if (ms != null && !"-1".equals(ms.trim())) {
                throw new ModelRegistryException(
                        "topic "
                                + topic
                                + " has cleanup.policy="
                                + policies.get(topic)
                                + " and retention.ms="
                                + ms
                                + ", so its models and assignments would be deleted; make it"
                                + " compacted (kafka-configs.sh --alter --entity-type topics"
                                + " --entity-name "
                                + topic
                                + " --add-config cleanup.policy=compact)");
            }
        }
    }

    /**
     * Publishes a checked model in one transaction.
     *
     * @param publication the model's records
     */
    public void publish(ModelPublication publication) {
        send(
                publication.records().stream()
                        .map(e -> modelRecord(e.getKey(), e.getValue()))
                        .toList());
    }

    /**
     * Removes a version: a tombstone on its manifest and on every chunk key, in one transaction.
     *
     * @param version the version
     * @param catalog the registry as read now
     * @throws ModelRegistryException when the version is not published or is still assigned
     */
    public void remove(String version, ModelCatalog catalog) {
        if (!catalog.isPublished(version)) {
            throw new ModelRegistryException(
                    "model "
                            + version
                            + " is not on topic "
                            + topics.models()
                            + "; `canvasflow models list` shows the versions");
        }
        List<String> users =
                catalog.assignments().stream()
                        .filter(a -> a.getModelVersion().equals(version))
                        .map(a -> ModelKeys.assignment(a.getScope(), a.getTarget()))
                        .toList();
        if (!users.isEmpty()) {
            throw new ModelRegistryException(
                    "model "
                            + version
                            + " is still assigned ("
                            + String.join(", ", users)
                            + "); assign another model or unassign first");
        }
        Set<Integer> chunks = catalog.chunkIndexes(version);
        List<ProducerRecord<String, byte[]>> tombstones =
                new java.util.ArrayList<>(
                        chunks.stream()
                                .map(i -> modelRecord(ModelKeys.chunk(version, i), null))
                                .toList());
        tombstones.add(modelRecord(ModelKeys.manifest(version), null));
        send(tombstones);
    }

    /**
     * Assigns a version, or with a null version removes the assignment.
     *
     * @param scope what the assignment covers
     * @param target the camera id or pattern; null for the default
     * @param version the version, or null to unassign
     * @return the assignment written, or null for an unassignment
     */
    public ModelAssignment assign(AssignmentScope scope, String target, String version) {
        ModelAssignment assignment =
                version == null
                        ? null
                        : ModelAssignment.newBuilder()
                                .setScope(scope)
                                .setTarget(scope == AssignmentScope.DEFAULT ? null : target)
                                .setModelVersion(version)
                                .setAssignedAt(Instant.now())
                                .setAssignedBy(ModelPublication.whoAmI())
                                .build();
        byte[] value =
                assignment == null
                        ? null
                        : AvroSerdes.modelAssignment()
                                .serializer()
                                .serialize(topics.assignments(), assignment);
        send(
                List.of(
                        new ProducerRecord<>(
                                topics.assignments(), ModelKeys.assignment(scope, target), value)));
        return assignment;
    }

    /**
     * What the registry topics and the errors topic say at one moment.
     *
     * @param catalog the versions and assignments; chunks are counted, not kept
     * @param refusals the refusals the serve instances reported
     * @param topicsWithRecords the topics read that hold a committed record, readable or not
     */
    public record Snapshot(
            ModelCatalog catalog, ReportedRefusals refusals, Set<String> topicsWithRecords) {}

    /**
     * Reads both registry topics to their current end.
     *
     * @return what they say; chunks are counted, not kept
     */
    public ModelCatalog read() {
        return read(false).catalog();
    }

    /**
     * Reads both registry topics and the errors topic to their current end, in one pass. A missing
     * errors topic (no instance has refused anything, or it was never made) is no refusals.
     *
     * @return what they say
     */
    public Snapshot readWithRefusals() {
        return read(true);
    }

    private Snapshot read(boolean withRefusals) {
        ModelCatalog catalog = new ModelCatalog(false, new ModelCatalog.Listener() {});
        ReportedRefusals refusals = new ReportedRefusals();
        UnreadableRecords unreadable = new UnreadableRecords(LOG, "");
        Set<String> holding = new java.util.TreeSet<>();
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.keySet().retainAll(ConsumerConfig.configNames());
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(
                        config,
                        new StringDeserializer(),
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            Map<String, List<PartitionInfo>> existing = consumer.listTopics(TIMEOUT);
            List<TopicPartition> partitions = new java.util.ArrayList<>();
            List<String> read =
                    withRefusals
                            ? List.of(topics.models(), topics.assignments(), topics.errors())
                            : List.of(topics.models(), topics.assignments());
            for (String topic : read) {
                existing.getOrDefault(topic, List.of())
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new ModelRegistryException(
                            "could not read the registry topics to their end within "
                                    + TIMEOUT.toSeconds()
                                    + " s");
                }
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    holding.add(record.topic());
                    try {
                        if (record.topic().equals(topics.errors())) {
                            refusals.apply(record.value());
                        } else if (!catalog.apply(
                                record.topic().equals(topics.models()),
                                record.key(),
                                record.value())) {
                            unreadable.skipped(
                                    record.topic(),
                                    record.partition(),
                                    record.offset(),
                                    "key \""
                                            + record.key()
                                            + "\" does not fit its value (or names a pattern that"
                                            + " does not compile)");
                        }
                    } catch (KafkaException | IllegalArgumentException e) {
                        // shows what it can read, and says what it could not
                        unreadable.skipped(
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                e.getMessage());
                    }
                }
            }
        } catch (KafkaException e) {
            throw failure("could not read the registry topics", e);
        } finally {
            unreadable.summarise();
        }
        catalog.caughtUp();
        return new Snapshot(catalog, refusals, holding);
    }

    private ProducerRecord<String, byte[]> modelRecord(String key, ModelPart value) {
        byte[] bytes =
                value == null
                        ? null
                        : AvroSerdes.modelPart().serializer().serialize(topics.models(), value);
        return new ProducerRecord<>(topics.models(), key, bytes);
    }

    /** Sends records in one transaction. */
    private void send(List<ProducerRecord<String, byte[]>> records) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.keySet().retainAll(ProducerConfig.configNames());
        config.put(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "canvasflow-models-" + UUID.randomUUID());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, TIMEOUT.toMillis());
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        config,
                        new StringSerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            try {
                records.forEach(producer::send);
                producer.commitTransaction();
            } catch (KafkaException e) {
                producer.abortTransaction();
                throw e;
            }
        } catch (KafkaException e) {
            throw failure("could not write to Kafka", e);
        }
    }

    /** What could not be done, where, and Kafka's reason, in one sentence. */
    private ModelRegistryException failure(String what, KafkaException e) {
        return new ModelRegistryException(
                what
                        + " at "
                        + kafka.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                        + ": "
                        + KafkaClientFailure.describe(e),
                e);
    }
}
