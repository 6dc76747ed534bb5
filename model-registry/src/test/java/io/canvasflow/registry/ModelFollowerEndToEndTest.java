package io.canvasflow.registry;

import static io.canvasflow.registry.ModelRegistryEndToEndTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.canvasflow.kafka.BrokerExtension;
import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.avro.AssignmentScope;
import io.canvasflow.schemas.avro.ModelAssignment;
import io.canvasflow.schemas.avro.ModelErrorReason;
import io.canvasflow.testsupport.CommandRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** A follower against a real broker as the registry changes under it. */
class ModelFollowerEndToEndTest {

    @RegisterExtension static final BrokerExtension kafka = new BrokerExtension();

    @TempDir Path temp;

    /** Publishes the ff model to a pair of registry topics (created with one partition each). */
    private static String publishFf(String modelsTopic, String assignmentsTopic) {
        Path ff = ModelCatalogTest.MODELS.resolve("ff");
        CommandRun run =
                kafka.run(
                        new ModelsCommand(),
                        "publish",
                        ff.toString(),
                        "--models-topic",
                        modelsTopic,
                        "--assignments-topic",
                        assignmentsTopic);
        assertEquals(0, run.exit(), run.err());
        return ModelPublication.read(ff, ModelPublication.DEFAULT_CHUNK_BYTES).version();
    }

    private static ModelFollower follower(String modelsTopic, String assignmentsTopic, Path cache) {
        return new ModelFollower(
                new HashMap<>(kafka.clientConfig()), modelsTopic, assignmentsTopic, cache);
    }

    @Test
    void shouldReadAPartitionAddedToTheAssignmentsTopicWhileItFollows() throws Exception {
        // Given a model published, and a follower that has read the registry to its end
        String version = publishFf("grown-models", "grown-assign");
        try (ModelFollower follower =
                follower("grown-models", "grown-assign", temp.resolve("cache"))) {
            follower.start(new ModelRegistryEndToEndTest.Heard());
            assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(30)));

            // When a partition is added to the assignments topic, and an assignment written there
            try (Admin admin = Admin.create(kafka.clientConfig())) {
                admin.createPartitions(Map.of("grown-assign", NewPartitions.increaseTo(2)))
                        .all()
                        .get();
            }
            ModelAssignment assignment =
                    ModelAssignment.newBuilder()
                            .setScope(AssignmentScope.CAMERA)
                            .setTarget("cam-late")
                            .setModelVersion(version)
                            .setAssignedAt(Instant.now())
                            .setAssignedBy("test")
                            .build();
            try (KafkaProducer<String, ModelAssignment> producer =
                    new KafkaProducer<>(
                            kafka.clientConfig(),
                            new StringSerializer(),
                            AvroSerdes.modelAssignment().serializer())) {
                producer.send(
                                new ProducerRecord<>(
                                        "grown-assign",
                                        1,
                                        ModelKeys.assignment(AssignmentScope.CAMERA, "cam-late"),
                                        assignment))
                        .get();
            }

            // Then the follower finds the partition (it looks every 10 s) and applies it
            await(
                    () -> follower.catalog().resolve("cam-late").equals(Optional.of(version)),
                    "the assignment in the added partition");
        }
    }

    @Test
    void shouldNotReadTheModelsTopicAgainWhenTheAssignmentsTopicIsDeleted() throws Exception {
        // Given a model published then removed, and a follower that has read both
        String version = publishFf("kept-models", "gone-assign");
        ModelRegistryEndToEndTest.Heard heard = new ModelRegistryEndToEndTest.Heard();
        try (ModelFollower follower =
                fastFollower(kafka.clientConfig(), "kept-models", "gone-assign")) {
            follower.start(heard);
            assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(30)));
            CommandRun removed =
                    kafka.run(
                            new ModelsCommand(),
                            "remove",
                            version,
                            "--models-topic",
                            "kept-models",
                            "--assignments-topic",
                            "gone-assign");
            assertEquals(0, removed.exit(), removed.err());
            await(() -> !follower.catalog().isPublished(version), "the removal");

            // When the assignments topic is deleted, the follower lets it go, and then reads a
            // record written after that to the models topic
            try (Admin admin = Admin.create(kafka.clientConfig())) {
                admin.deleteTopics(List.of("gone-assign")).all().get();
            }
            await(
                    () ->
                            follower.assignment()
                                    .equals(List.of(new TopicPartition("kept-models", 0))),
                    "the deleted topic let go");
            try (KafkaProducer<String, byte[]> raw =
                    new KafkaProducer<>(
                            kafka.clientConfig(),
                            new StringSerializer(),
                            new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>("kept-models", "marker/manifest", new byte[] {1}))
                        .get();
            }
            await(() -> !heard.refused.isEmpty(), "the record after the deletion");

            // Then the models topic was not read again from its start before it: the removed
            // version was announced ready once, when it was published
            assertEquals(List.of(version), heard.ready.stream().map(ModelSpec::version).toList());
            assertEquals(List.of(ModelErrorReason.UNREADABLE_RECORD), heard.refused);
            assertEquals(Optional.empty(), follower.failing());
        }
    }

    @Test
    void shouldSayTheUnreadableRecordsOfAWrongCompactedTopicInAFewAnnouncements() throws Exception {
        // Given a compacted topic (so not refused) of 12 records that are not models, named as the
        // models topic
        kafka.broker().createTopic("junk-models", 1, Map.of("cleanup.policy", "compact"));
        kafka.broker().createTopic("junk-assign", 1, Map.of("cleanup.policy", "compact"));
        try (KafkaProducer<String, byte[]> raw =
                new KafkaProducer<>(
                        kafka.clientConfig(), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 12; i++) {
                raw.send(new ProducerRecord<>("junk-models", "frame-" + i, new byte[] {1, 2, 3}));
            }
        }
        ModelRegistryEndToEndTest.Heard heard = new ModelRegistryEndToEndTest.Heard();

        // When a follower reads it
        try (ModelFollower follower =
                fastFollower(kafka.clientConfig(), "junk-models", "junk-assign")) {
            follower.start(heard);
            assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(30)));
            await(() -> heard.refusals.size() >= 6, "the count of the rest");
            Thread.sleep(500); // a few more empty polls: nothing more is said

            // Then the first five are an announcement each, and the other seven one more
            assertEquals(6, heard.refusals.size(), heard.refusals.toString());
            assertTrue(
                    heard.refusals
                            .get(0)
                            .startsWith(
                                    "skipped the unreadable record at junk-models"
                                            + " partition 0 offset 0: "),
                    heard.refusals.get(0));
            assertEquals(
                    "skipped 12 unreadable records on topic junk-models in all (the first 5"
                            + " above); is it a registry topic?",
                    heard.refusals.get(5));
        }
    }

    @Test
    void shouldFailForAsLongAsAnAclHidesATopicThenReadOnFromWhereItWas() throws Exception {
        // Given a broker that authorizes, where everyone may do what no ACL denies
        try (EmbeddedKafkaBroker broker =
                        EmbeddedKafkaBroker.builder()
                                .optConfig(
                                        "authorizer.class.name",
                                        "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                                .optConfig("allow.everyone.if.no.acl.found", "true")
                                .build()
                                .start();
                Admin admin = Admin.create(broker.clientConfig())) {
            // And a model published and assigned, read by a follower
            String[] registry = {
                "--models-topic",
                "acl-models",
                "--assignments-topic",
                "acl-assign",
                "--bootstrap-servers",
                broker.bootstrapServers()
            };
            Path ff = ModelCatalogTest.MODELS.resolve("ff");
            models(registry, "publish", ff.toString());
            String version =
                    ModelPublication.read(ff, ModelPublication.DEFAULT_CHUNK_BYTES).version();
            ModelRegistryEndToEndTest.Heard heard = new ModelRegistryEndToEndTest.Heard();
            try (ModelFollower follower =
                    fastFollower(broker.clientConfig(), "acl-models", "acl-assign")) {
                follower.start(heard);
                assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(30)));
                models(registry, "assign", "--camera", "cam-1", "--model", version);
                await(() -> follower.catalog().resolve("cam-1").isPresent(), "the assignment");
                int changes = heard.assignmentChanges;

                // When an ACL denies this principal the assignments topic, for a few seconds
                AclBinding deny =
                        new AclBinding(
                                new ResourcePattern(
                                        ResourceType.TOPIC, "acl-assign", PatternType.LITERAL),
                                new AccessControlEntry(
                                        "User:ANONYMOUS",
                                        "*",
                                        AclOperation.ALL,
                                        AclPermissionType.DENY));
                admin.createAcls(List.of(deny)).all().get();
                await(() -> follower.failing().isPresent(), "the failure");
                long since = follower.failing().get().sinceMillis();
                Thread.sleep(3_000);

                // Then it fails all along, since the first failure, and reads the models topic
                assertEquals(
                        Optional.of(since),
                        follower.failing().map(ModelFollower.Failing::sinceMillis));
                assertEquals(List.of(new TopicPartition("acl-models", 0)), follower.assignment());

                // When the ACL is deleted, it reads on from where it was: the assignment it had
                // read is not applied again, and one made since is
                admin.deleteAcls(List.of(deny.toFilter())).all().get();
                await(() -> follower.failing().isEmpty(), "the recovery");
                models(registry, "assign", "--camera", "cam-2", "--model", version);
                await(() -> follower.catalog().resolve("cam-2").isPresent(), "a new assignment");
                assertEquals(changes + 1, heard.assignmentChanges);
            }
        }
    }

    /**
     * Runs a models command on a registry, which its options name (else on this class's broker).
     */
    private static void models(String[] registry, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(registry));
        if (!all.contains("--bootstrap-servers")) {
            all.addAll(List.of("--bootstrap-servers", kafka.bootstrapServers()));
        }
        CommandRun run = CommandRun.of(new ModelsCommand(), all.toArray(String[]::new));
        assertEquals(0, run.exit(), run.err());
    }

    /** A follower that looks for its topics' partitions every 200 ms. */
    private ModelFollower fastFollower(
            Map<String, Object> kafka, String modelsTopic, String assignmentsTopic) {
        return new ModelFollower(
                ModelFollower.consumer(new HashMap<>(kafka)),
                modelsTopic,
                assignmentsTopic,
                temp.resolve("cache"),
                Duration.ofMillis(200),
                PendingWrites.MAX_HELD_BYTES);
    }

    @Test
    void shouldHoldNoMoreBytesForFailedWritesThanItsBoundUnassignedVersionsFirstToGo()
            throws Exception {
        // Given a file where the cache folder should be, and a follower that holds at most 2 MiB
        // for writes that failed
        Path cache = Files.writeString(temp.resolve("cache"), "not a folder");
        String[] registry = {
            "--models-topic", "bounded-models", "--assignments-topic", "bounded-assign"
        };
        Path rnn = ModelCatalogTest.MODELS.resolve("rnn");
        Path ff = ModelCatalogTest.MODELS.resolve("ff");
        String assigned =
                ModelPublication.read(rnn, ModelPublication.DEFAULT_CHUNK_BYTES).version();
        String unassigned =
                ModelPublication.read(ff, ModelPublication.DEFAULT_CHUNK_BYTES).version();
        models(registry, "publish", rnn.toString(), "--assign-default");
        ModelRegistryEndToEndTest.Heard heard = new ModelRegistryEndToEndTest.Heard();
        try (ModelFollower follower =
                new ModelFollower(
                        ModelFollower.consumer(new HashMap<>(kafka.clientConfig())),
                        "bounded-models",
                        "bounded-assign",
                        cache,
                        Duration.ofSeconds(10),
                        2L << 20)) {
            follower.start(heard);
            assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(30)));
            await(() -> heard.refused.size() == 1, "the assigned version's failed write");

            // When another version (1.3 MB) is published, with the assigned one (1.6 MB) held
            models(registry, "publish", ff.toString());
            await(() -> heard.refused.size() == 2, "the other version's failed write");
            assertTrue(
                    heard.refusals.get(1).contains("; not held to be written again"),
                    heard.refusals.get(1));

            // Then only the assigned one is written once the cache can be written
            Files.delete(cache);
            await(() -> !heard.ready.isEmpty(), "the assigned version written again");
            assertEquals(List.of(assigned), heard.ready.stream().map(ModelSpec::version).toList());
            assertTrue(Files.exists(cache.resolve(assigned)));
            assertFalse(Files.exists(cache.resolve(unassigned)));
        }
    }

    @Test
    void shouldWriteAVersionAgainOnceTheCacheFolderIsWritableAgain() throws Throwable {
        // Given a cache folder serve may not write in
        Path cache = Files.createDirectories(temp.resolve("cache"));
        Set<PosixFilePermission> writable = Files.getPosixFilePermissions(cache);
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(
                    Files.isWritable(cache),
                    "skipped: running as root, whom a read-only folder does not stop (the test"
                            + " with a file in the folder's place covers the retry)");
            shouldWriteAgainOnceItCan(
                    cache, "read-only", () -> Files.setPosixFilePermissions(cache, writable));
        } finally {
            Files.setPosixFilePermissions(cache, writable); // for @TempDir to delete
        }
    }

    @Test
    void shouldWriteAVersionAgainOnceAFileInTheCacheFoldersPlaceIsGone() throws Throwable {
        // Given a file where the cache folder should be: an I/O failure that stops root too
        Path cache = Files.writeString(temp.resolve("cache"), "not a folder");
        shouldWriteAgainOnceItCan(cache, "blocked", () -> Files.delete(cache));
    }

    /** A version whose write failed is refused once, then written and announced once it can be. */
    private static void shouldWriteAgainOnceItCan(Path cache, String topics, Executable mend)
            throws Throwable {
        // Given a model published, and a follower that cannot write it in its cache
        String version = publishFf(topics + "-models", topics + "-assign");
        ModelRegistryEndToEndTest.Heard heard = new ModelRegistryEndToEndTest.Heard();
        try (ModelFollower follower = follower(topics + "-models", topics + "-assign", cache)) {
            follower.start(heard);

            // Then the version is refused once, as a write that failed
            await(() -> !heard.refused.isEmpty(), "the failed write");
            assertEquals(List.of(ModelErrorReason.OTHER), heard.refused);
            assertEquals(List.of(), heard.ready);

            // When the cache can be written again
            mend.execute();

            // Then the version is written and announced, with no other refusal
            await(() -> !heard.ready.isEmpty(), "the write tried again");
            assertEquals(List.of(version), heard.ready.stream().map(ModelSpec::version).toList());
            assertTrue(Files.exists(cache.resolve(version).resolve(ModelSpec.FILE_NAME)));
            assertEquals(List.of(ModelErrorReason.OTHER), heard.refused);
        }
    }
}
