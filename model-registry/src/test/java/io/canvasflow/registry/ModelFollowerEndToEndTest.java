package io.canvasflow.registry;

import static io.canvasflow.registry.ModelRegistryEndToEndTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.canvasflow.kafka.BrokerExtension;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
