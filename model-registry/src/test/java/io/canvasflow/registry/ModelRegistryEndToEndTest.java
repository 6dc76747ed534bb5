package io.canvasflow.registry;

import static io.canvasflow.testsupport.CommandAssertions.assertRefused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.BrokerExtension;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.AssignmentScope;
import io.canvasflow.schemas.avro.ModelAssignment;
import io.canvasflow.schemas.avro.ModelErrorReason;
import io.canvasflow.testsupport.CommandRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The registry against a real broker: the models commands, and a follower reading them back. */
class ModelRegistryEndToEndTest {

    @RegisterExtension static final BrokerExtension kafka = new BrokerExtension();

    @TempDir Path temp;

    static CommandRun models(String... args) {
        return kafka.run(new ModelsCommand(), args);
    }

    /** What a follower announced. */
    static class Heard implements ModelFollower.Listener {
        final List<ModelSpec> ready = new CopyOnWriteArrayList<>();
        final List<Path> dirs = new CopyOnWriteArrayList<>();
        final List<ModelErrorReason> refused = new CopyOnWriteArrayList<>();
        final List<String> refusals = new CopyOnWriteArrayList<>();
        volatile int assignmentChanges;

        /** Where the follower caches, when a test asks what a removal found there. */
        volatile Path cache;

        /** Per removal: whether the version's cache folder was still there when it was said. */
        final List<Boolean> removedWhileCached = new CopyOnWriteArrayList<>();

        @Override
        public void modelReady(ModelSpec spec, Path dir) {
            ready.add(spec);
            dirs.add(dir);
        }

        @Override
        public void modelRefused(String version, ModelErrorReason reason, String message) {
            refusals.add(message);
            refused.add(reason);
        }

        @Override
        public void modelRemoved(String version) {
            if (cache != null) {
                removedWhileCached.add(Files.exists(cache.resolve(version)));
            }
        }

        @Override
        public void assignmentsChanged() {
            assignmentChanges++;
        }
    }

    /** A follower of the default registry topics on the test broker. */
    static ModelFollower follower(Path cache) {
        return new ModelFollower(
                new HashMap<>(kafka.clientConfig()),
                Topics.MODELS.name(),
                Topics.MODEL_ASSIGNMENTS.name(),
                cache);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void shouldRoundTripAModelLargerThanOneMebibyteAndSurviveUnreadableRecords() throws Exception {
        // Given the shipped model (1.5 MiB, over Kafka's default 1 MiB record limit), published
        Path rnn = ModelCatalogTest.MODELS.resolve("rnn");
        CommandRun published = models("publish", rnn.toString());
        assertEquals(0, published.exit(), published.err());
        String version = ModelPublication.read(rnn, ModelPublication.DEFAULT_CHUNK_BYTES).version();
        assertTrue(published.out().contains("published " + version), published.out());

        // And its row in the list names the model it was fine-tuned from
        String listed = models("list").out();
        assertTrue(
                listed.contains(" {fineTunedFrom=canvasflow-rnn-synthetic-2d7a7110c74e}"), listed);

        // And records no CanvasFlow schema describes, on both topics
        try (KafkaProducer<String, byte[]> raw =
                new KafkaProducer<>(
                        kafka.clientConfig(), new StringSerializer(), new ByteArraySerializer())) {
            raw.send(
                    new ProducerRecord<>(Topics.MODELS.name(), "x/manifest", new byte[] {1, 2, 3}));
            raw.send(
                    new ProducerRecord<>(
                            Topics.MODEL_ASSIGNMENTS.name(), "default", new byte[] {9}));
            raw.flush();
        }

        // When a follower reads the registry
        Heard heard = new Heard();
        try (ModelFollower follower = follower(temp.resolve("cache"))) {
            follower.start(heard);
            assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(30)));
            await(
                    () -> heard.ready.stream().anyMatch(s -> s.version().equals(version)),
                    "the model");

            // Then the version is put together bit for bit, with its model.json
            int at = heard.ready.stream().map(ModelSpec::version).toList().indexOf(version);
            Path dir = heard.dirs.get(at);
            assertArrayEquals(
                    Files.readAllBytes(rnn.resolve("parameters.bin")),
                    Files.readAllBytes(dir.resolve("parameters.bin")));
            assertEquals(
                    Files.readString(rnn.resolve("model.json")),
                    Files.readString(dir.resolve("model.json")));

            // And each unreadable record was one announcement, and the follower goes on
            assertEquals(
                    List.of(ModelErrorReason.UNREADABLE_RECORD, ModelErrorReason.UNREADABLE_RECORD),
                    heard.refused);
            CommandRun assigned = models("assign", "--camera", "cam-1", "--model", version);
            assertEquals(0, assigned.exit(), assigned.err());
            await(
                    () -> follower.catalog().resolve("cam-1").equals(Optional.of(version)),
                    "the assignment");
        }
    }

    @Test
    void shouldSayOnceThatTheFollowerStoppedOnAnErrorRatherThanDieQuietly() throws Exception {
        // Given a published model, and a follower whose owner runs out of heap taking it
        Path ff = ModelCatalogTest.MODELS.resolve("ff");
        assertEquals(0, models("publish", ff.toString()).exit());
        Heard heard =
                new Heard() {
                    @Override
                    public void modelReady(ModelSpec spec, Path dir) {
                        throw new OutOfMemoryError("Java heap space");
                    }
                };
        try (ModelFollower follower = follower(temp.resolve("cache"))) {
            follower.start(heard);

            // Then it says why it stopped, for /health, and startup does not wait for it
            await(() -> follower.stoppedBecause().isPresent(), "the follower to stop");
            assertTrue(follower.awaitCaughtUp(Duration.ZERO));
            assertTrue(
                    follower.stoppedBecause()
                            .get()
                            .startsWith(
                                    "the model follower stopped on java.lang.OutOfMemoryError:"
                                            + " Java heap space; this instance no longer sees"
                                            + " models"),
                    follower.stoppedBecause().get());
        }
    }

    @Test
    void shouldKeepInTheCacheOnlyWhatTheRegistryHolds() throws Exception {
        // Given a cache an earlier run made, with a version removed while the instance was down
        // and an hour-old failed write's folder, and a published model
        Path cache = temp.resolve("cache");
        Files.createDirectories(cache);
        Files.writeString(cache.resolve(".canvasflow-model-cache"), "");
        Files.createDirectories(cache.resolve("removed-while-down-1"));
        Files.writeString(cache.resolve("removed-while-down-1").resolve("model.json"), "{}");
        Files.createDirectories(cache.resolve("some-version.tmp-123"));
        Files.setLastModifiedTime(
                cache.resolve("some-version.tmp-123"),
                java.nio.file.attribute.FileTime.fromMillis(
                        System.currentTimeMillis() - 3_600_000));
        Files.createDirectories(cache.resolve("not-a-model"));
        Path ff = ModelCatalogTest.MODELS.resolve("ff");
        assertEquals(0, models("publish", ff.toString()).exit());
        String version = ModelPublication.read(ff, ModelPublication.DEFAULT_CHUNK_BYTES).version();

        // When a follower reads the registry
        Heard heard = new Heard();
        try (ModelFollower follower = follower(cache)) {
            follower.start(heard);
            assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(30)));

            // Then the stale folders are gone, the published version is there, and a folder that
            // is no model is left alone
            assertFalse(Files.exists(cache.resolve("removed-while-down-1")));
            assertFalse(Files.exists(cache.resolve("some-version.tmp-123")));
            assertTrue(Files.exists(cache.resolve(version).resolve("model.json")));
            assertTrue(Files.exists(cache.resolve("not-a-model")));

            // And a version removed while it follows leaves the cache too, after the listener
            // heard of the removal (a load still reading the folder is then known to be stale,
            // and refuses nothing)
            heard.cache = cache;
            assertEquals(0, models("remove", version).exit());
            await(() -> !Files.exists(cache.resolve(version)), "the removed version's folder");
            assertEquals(List.of(true), heard.removedWhileCached);
        }
    }

    @Test
    void shouldListAssignAndRemoveThroughTheCommands() throws Exception {
        Path ff = ModelCatalogTest.MODELS.resolve("ff");
        assertEquals(0, models("publish", ff.toString(), "--chunk-bytes", "65536").exit());
        String version = ModelPublication.read(ff, 65536).version();

        // The version's own row says complete ("incomplete" holds the word too)
        CommandRun list = models("list");
        assertEquals(0, list.exit(), list.err());
        assertTrue(
                Pattern.compile("(?m)^" + Pattern.quote(version) + "\\s.*\\bcomplete\\b")
                        .matcher(list.out())
                        .find(),
                list.out());

        assertEquals(0, models("assign", "--camera-pattern", "dock-.*", "--model", version).exit());
        CommandRun assignments = models("assignments");
        assertTrue(assignments.out().contains("pattern:dock-.*"), assignments.out());

        CommandRun stillAssigned = models("remove", version);
        assertRefused(stillAssigned, "is still assigned (pattern:dock-.*)");

        assertEquals(0, models("unassign", "--camera-pattern", "dock-.*").exit());
        assertEquals(0, models("remove", version).exit());
        ModelCatalog after =
                new ModelRegistryClient(
                                kafka.clientConfig(), ModelRegistryClient.RegistryTopics.defaults())
                        .read();
        assertFalse(after.isPublished(version));
        assertEquals(
                Optional.empty(),
                after.assignments().stream()
                        .filter(a -> a.getScope() == AssignmentScope.PATTERN)
                        .findAny());
    }

    @Test
    void shouldRefuseBadInputWithOneSentenceAndStatusTwo() {
        // (a registry whatever ran before: its topics are what publish creates)
        new ModelRegistryClient(kafka.clientConfig(), ModelRegistryClient.RegistryTopics.defaults())
                .createTopics((short) 1);
        // a mistyped topic was created by the cluster on first read, and listed as empty
        CommandRun typoTopic = models("list", "--models-topic", "modles");
        assertEquals(2, typoTopic.exit(), typoTopic.err());
        assertTrue(
                typoTopic.err().contains("modles does not exist")
                        && typoTopic.err().contains("canvasflow models publish DIR"),
                typoTopic.err());

        CommandRun missingDir = models("publish", temp.resolve("nope").toString());
        assertEquals(2, missingDir.exit());
        assertTrue(
                missingDir.err().startsWith("canvasflow models publish: no model.json in "),
                missingDir.err());
        assertEquals(1, missingDir.err().lines().count());

        CommandRun unpublished = models("assign", "--default", "--model", "never-published-1");
        assertRefused(unpublished, "never-published-1 is not published");

        CommandRun badPattern = models("assign", "--camera-pattern", "cam-[", "--model", "x");
        assertRefused(badPattern, "is not a regular expression");

        CommandRun twoScopes = models("assign", "--default", "--camera", "c", "--model", "x");
        assertEquals(2, twoScopes.exit());

        // a typo was a tombstone for nothing, "unassigned" and status 0
        CommandRun typo = models("unassign", "--camera", "typo-cam");
        assertRefused(typo, "there is no assignment camera:typo-cam to remove");

        CommandRun unknown = models("remove", "never-published-2");
        assertRefused(unknown, "is not on topic models");
    }

    @Test
    void shouldRefuseRegistryTopicsThatRetentionWouldEmpty() {
        // Given registry topics made by hand with the cluster's default policy, delete, and a
        // pair kept for ever by retention.ms=-1
        kafka.broker().createTopic("plain-models", 1, Map.of("cleanup.policy", "delete"));
        kafka.broker().createTopic("plain-assignments", 1, Map.of("cleanup.policy", "delete"));
        kafka.broker()
                .createTopic(
                        "forever-models",
                        1,
                        Map.of("cleanup.policy", "delete", "retention.ms", "-1"));
        kafka.broker().createTopic("forever-assignments", 1, Map.of("cleanup.policy", "compact"));
        String ff = ModelCatalogTest.MODELS.resolve("ff").toString();
        // (holding records of another kind, as a frames topic named by mistake does)
        sendUnreadable("plain-models", 20);

        // When a model is published to them, or they are listed, both are refused in one sentence
        for (String[] args :
                List.of(
                        new String[] {"publish", ff},
                        new String[] {"list"},
                        new String[] {"assign", "--default", "--model", "x"})) {
            List<String> line = new java.util.ArrayList<>(List.of(args));
            line.addAll(
                    List.of(
                            "--models-topic",
                            "plain-models",
                            "--assignments-topic",
                            "plain-assignments"));
            CommandRun run = models(line.toArray(String[]::new));
            assertEquals(2, run.exit(), run.err());
            assertTrue(
                    run.err()
                                    .contains(
                                            "topic plain-models has cleanup.policy=delete and"
                                                    + " retention.ms=604800000, so its models and"
                                                    + " assignments would be deleted")
                            && run.err().contains("--add-config cleanup.policy=compact"),
                    run.err());
            // (DJL's GPU probe, which the launcher turns down, may come before it), and the
            // topic was not read first, a warning per record
            assertEquals(
                    1,
                    run.err().lines().filter(l -> l.startsWith("canvasflow models")).count(),
                    run.err());
            assertFalse(run.err().contains("skipped"), run.err());
        }

        // Then nothing was written; and topics kept for ever are taken
        assertEquals(
                0,
                new ModelRegistryClient(
                                kafka.clientConfig(),
                                new ModelRegistryClient.RegistryTopics(
                                        "plain-models", "plain-assignments", "model-errors"))
                        .read()
                        .versions()
                        .size());
        CommandRun kept =
                models(
                        "publish",
                        ff,
                        "--models-topic",
                        "forever-models",
                        "--assignments-topic",
                        "forever-assignments");
        assertEquals(0, kept.exit(), kept.err());

        // and compacted but also deleting old segments is refused too
        kafka.broker().createTopic("both-models", 1, Map.of("cleanup.policy", "compact,delete"));
        CommandRun both =
                models(
                        "list",
                        "--models-topic",
                        "both-models",
                        "--assignments-topic",
                        "forever-assignments");
        assertRefused(both, "has cleanup.policy=compact,delete");
    }

    @Test
    void shouldSayTheUnreadableRecordsOfAWrongCompactedTopicInAFewLines() {
        // Given a compacted topic (so not refused) of 12 records that are not models, and an
        // assignment under a key that does not fit it
        kafka.broker().createTopic("wrong-models", 1, Map.of("cleanup.policy", "compact"));
        kafka.broker().createTopic("wrong-assign", 1, Map.of("cleanup.policy", "compact"));
        sendUnreadable("wrong-models", 12);
        ModelAssignment assignment =
                new ModelAssignment(AssignmentScope.DEFAULT, null, "m-1", Instant.now(), "me");
        send("wrong-assign", AvroSerdes.modelAssignment(), Map.of("camera:cam-9", assignment));

        // When they are listed as the registry topics
        String[] wrong = {"--models-topic", "wrong-models", "--assignments-topic", "wrong-assign"};
        CommandRun list = models(concat(new String[] {"list"}, wrong));

        // Then the first five are a line each, and the rest are counted in one line; and the
        // assignment under another key is a line too, not ignored silently
        assertEquals(0, list.exit(), list.err());
        assertEquals(
                5,
                list.err()
                        .lines()
                        .filter(l -> l.contains("skipped the unreadable record at wrong-models"))
                        .count(),
                list.err());
        assertTrue(
                list.err()
                        .contains(
                                "skipped 12 unreadable records on topic wrong-models in all"
                                        + " (the first 5 above); is it a registry topic?"),
                list.err());
        assertTrue(
                list.err()
                        .contains(
                                "skipped the unreadable record at wrong-assign partition 0"
                                        + " offset 0: key \"camera:cam-9\" does not fit its value"),
                list.err());
    }

    /** Sends records that no CanvasFlow schema describes, keyed (a compacted topic wants keys). */
    private static void sendUnreadable(String topic, int count) {
        Map<String, byte[]> records = new java.util.LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            records.put("frame-" + i, new byte[] {1, 2, 3});
        }
        send(topic, Serdes.ByteArray(), records);
    }

    private static <V> void send(String topic, Serde<V> serde, Map<String, V> records) {
        try (KafkaProducer<String, V> producer =
                new KafkaProducer<>(
                        kafka.clientConfig(), new StringSerializer(), serde.serializer())) {
            records.forEach((key, value) -> producer.send(new ProducerRecord<>(topic, key, value)));
        }
    }

    @Test
    void shouldRefuseParametersThatDoNotFitTheNetworkBeforeSendingAnything() throws Exception {
        // Given the feed-forward model with its architecture changed in model.json, the parameter
        // file and its digest untouched
        Path copy = temp.resolve("reshaped");
        Files.createDirectories(copy);
        Path ff = ModelCatalogTest.MODELS.resolve("ff");
        Files.writeString(
                copy.resolve("model.json"),
                Files.readString(ff.resolve("model.json"))
                        .replace("\"stemChannels\": 24", "\"stemChannels\": 16")
                        .replace("canvasflow-ff-synthetic-", "reshaped-ff-"));
        Files.copy(ff.resolve("parameters.bin"), copy.resolve("parameters.bin"));

        // When it is published, it is refused in one sentence (after DJL's GPU probe, which the
        // launcher turns down), and nothing reaches the topic
        CommandRun run = models("publish", copy.toString());
        assertEquals(2, run.exit(), run.err());
        String said = run.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(
                said.startsWith("canvasflow models publish: parameter file ")
                        && said.contains("does not fit the FEED_FORWARD network that model.json"),
                run.err());
        CommandRun list = models("list");
        assertFalse(list.out().contains("reshaped-ff-"), list.out());
    }

    @Test
    void shouldRefuseAModelJsonWiderThanItsParametersBeforeAllocatingTheNetwork() throws Exception {
        // Given the recurrent model with 4096 channels in its last stage in model.json (a
        // 4096x4096x3x3 convolution), the parameter file and its digest untouched
        Path copy = temp.resolve("widened");
        Files.createDirectories(copy);
        Path rnn = ModelCatalogTest.MODELS.resolve("rnn");
        String json = Files.readString(rnn.resolve("model.json"));
        String stages = "\"stageChannels\": [\n      32,\n      64,\n      96\n    ]";
        assertTrue(json.contains(stages), json);
        Files.writeString(
                copy.resolve("model.json"),
                json.replace(stages, "\"stageChannels\": [32, 64, 4096]")
                        .replace("canvasflow-rnn-synthetic", "widened-rnn"));
        Files.copy(rnn.resolve("parameters.bin"), copy.resolve("parameters.bin"));

        // When it is published, it is refused for its size in one sentence, before the network's
        // values are allocated, and nothing reaches the topic
        CommandRun run = models("publish", copy.toString());
        assertEquals(2, run.exit(), run.err());
        String said = run.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertEquals(
                "canvasflow models publish: the architecture in "
                        + copy.resolve("model.json")
                        + " describes a RECURRENT network whose parameters take 623836224 bytes"
                        + " as float32, more than the 1570438 bytes of parameter file "
                        + copy.resolve("parameters.bin")
                        + ": the architecture is not that of these parameters",
                said);
        assertFalse(models("list").out().contains("widened-rnn"));
    }

    @Test
    void shouldRefuseAModelWhoseParametersDoNotMatchItsModelJson() throws Exception {
        // Given a copy of the model with one parameter byte changed
        Path copy = temp.resolve("tampered");
        Files.createDirectories(copy);
        Path rnn = ModelCatalogTest.MODELS.resolve("rnn");
        Files.copy(rnn.resolve("model.json"), copy.resolve("model.json"));
        byte[] params = Files.readAllBytes(rnn.resolve("parameters.bin"));
        params[params.length / 2] ^= 0x10;
        Files.write(copy.resolve("parameters.bin"), params);

        // When it is published, the publisher checks the digest before sending anything
        CommandRun run = models("publish", copy.toString());
        assertRefused(run, "it is corrupt or from another model");
    }

    @Test
    void shouldRefuseToPublishAnEditedModelJsonUnderAPublishedVersion() throws Exception {
        // Given the ff model published, and a copy whose model.json was edited by hand, keeping
        // its version (the version is a name in model.json, not a digest of it)
        Path ff = ModelCatalogTest.MODELS.resolve("ff");
        assertEquals(0, models("publish", ff.toString()).exit());
        Path edited = Files.createDirectories(temp.resolve("ff-edited"));
        try (var files = Files.list(ff)) {
            for (Path f : files.toList()) {
                Files.copy(f, edited.resolve(f.getFileName()));
            }
        }
        Path json = edited.resolve("model.json");
        String text = Files.readString(json);
        Files.writeString(json, text.replaceFirst("\"createdAt\"\\s*:\\s*\"", "$0edited "));
        String version = ModelPublication.read(ff, ModelPublication.DEFAULT_CHUNK_BYTES).version();

        // When it is published
        CommandRun again = models("publish", edited.toString());

        // Then it is refused in one sentence (instances that had the version loaded would go on
        // serving the old model.json), and the same model again is still accepted
        assertEquals(2, again.exit(), again.err());
        assertEquals(
                "canvasflow models publish: model "
                        + version
                        + " is already published with another model.json or other parameters;"
                        + " give this one another \"version\" in "
                        + json
                        + ", or remove the published one first (`canvasflow models remove "
                        + version
                        + "`)",
                again.err().strip());
        assertEquals(0, models("publish", ff.toString()).exit());
    }

    @Test
    void shouldSayWhichTopicsAFirstPublishCreated() {
        // Given registry topics of names nothing has used
        String[] topics = {"--models-topic", "fresh-models", "--assignments-topic", "fresh-assign"};
        String ff = ModelCatalogTest.MODELS.resolve("ff").toString();

        // When a model is published there twice
        CommandRun first = models(concat(new String[] {"publish", ff}, topics));
        CommandRun second = models(concat(new String[] {"publish", ff}, topics));

        // Then the first says the two topics it created, the second none
        assertEquals(0, first.exit(), first.err());
        assertTrue(
                first.out().contains("created topic fresh-models\n")
                        && first.out().contains("created topic fresh-assign\n"),
                first.out());
        assertFalse(second.out().contains("created topic"), second.out());
    }

    @Test
    void shouldPruneTheCacheOnceTopicsThatWereMissingAtStartAreRead() throws Exception {
        // Given a cache an earlier run made, holding a version of a registry since deleted, and a
        // follower started before its topics exist
        Path cache = temp.resolve("cache");
        Files.createDirectories(cache.resolve("of-a-deleted-registry-1"));
        Files.writeString(cache.resolve(".canvasflow-model-cache"), "");
        Files.writeString(cache.resolve("of-a-deleted-registry-1").resolve("model.json"), "{}");
        Heard heard = new Heard();
        try (ModelFollower follower =
                new ModelFollower(
                        new HashMap<>(kafka.clientConfig()), "late-models", "late-assign", cache)) {
            follower.start(heard);
            assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(30)));

            // When a model is published to them
            String ff = ModelCatalogTest.MODELS.resolve("ff").toString();
            assertEquals(
                    0,
                    models(
                                    "publish",
                                    ff,
                                    "--models-topic",
                                    "late-models",
                                    "--assignments-topic",
                                    "late-assign")
                            .exit());
            await(() -> !heard.ready.isEmpty(), "the published model");

            // Then the version the registry does not hold is gone from the cache (it stayed)
            await(
                    () -> !Files.exists(cache.resolve("of-a-deleted-registry-1")),
                    "the cache pruned");
        }
    }

    private static String[] concat(String[] a, String[] b) {
        return java.util.stream.Stream.concat(Arrays.stream(a), Arrays.stream(b))
                .toArray(String[]::new);
    }
}
