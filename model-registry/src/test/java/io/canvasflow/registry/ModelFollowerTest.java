package io.canvasflow.registry;

import static io.canvasflow.registry.ModelRegistryEndToEndTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The follower's loop on a consumer the test controls. */
class ModelFollowerTest {

    @TempDir Path temp;

    /**
     * A consumer of two one-partition topics, empty, that fails every poll while told to, and hides
     * topics as a revoked ACL does.
     */
    static final class FlakyConsumer extends MockConsumer<String, byte[]> {
        volatile RuntimeException failWith;
        volatile Set<String> hidden = Set.of();
        final AtomicInteger listings = new AtomicInteger();

        FlakyConsumer(String... topics) {
            super("earliest");
            for (String topic : topics) {
                updatePartitions(topic, List.of(new PartitionInfo(topic, 0, null, null, null)));
                updateBeginningOffsets(Map.of(new TopicPartition(topic, 0), 0L));
                updateEndOffsets(Map.of(new TopicPartition(topic, 0), 0L));
            }
        }

        @Override
        public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
            RuntimeException e = failWith;
            if (e != null) {
                throw e;
            }
            return super.poll(timeout);
        }

        /** Without a word, as Kafka's listing of every topic leaves out those one may not see. */
        @Override
        public synchronized Map<String, List<PartitionInfo>> listTopics() {
            Map<String, List<PartitionInfo>> all = new HashMap<>(super.listTopics());
            all.keySet().removeAll(hidden);
            listings.incrementAndGet();
            return all;
        }

        /**
         * As Kafka's consumer (4.3) answers by name for a topic that may not be seen: from its
         * cache while the topic is assigned, else the broker says "not authorized".
         */
        @Override
        public synchronized List<PartitionInfo> partitionsFor(String topic) {
            if (staleCache && everAssigned.containsKey(topic)) {
                return everAssigned.get(topic);
            }
            boolean cached = assignment().stream().anyMatch(p -> p.topic().equals(topic));
            if (hidden.contains(topic) && !cached) {
                throw new TopicAuthorizationException(Set.of(topic));
            }
            return super.partitionsFor(topic);
        }

        /**
         * As Kafka's consumer (4.3) keeps a topic in its cache once assigned, when no metadata
         * update follows (assign of nothing, no poll): partitionsFor answers with its partitions
         * then, deleted or hidden since.
         */
        volatile boolean staleCache;

        private final Map<String, List<PartitionInfo>> everAssigned = new HashMap<>();

        @Override
        public synchronized void assign(Collection<TopicPartition> partitions) {
            for (TopicPartition p : partitions) {
                everAssigned.put(p.topic(), super.partitionsFor(p.topic()));
            }
            super.assign(partitions);
        }

        /** Revokes the ACLs on some topics: they are hidden, and every poll fails. */
        void revoke(String... topics) {
            hidden = Set.of(topics);
            failWith = new TopicAuthorizationException(hidden);
        }
    }

    /** A follower that looks for its topics' partitions every 100 ms. */
    private ModelFollower follower(FlakyConsumer consumer) {
        return new ModelFollower(
                consumer,
                "models",
                "assignments",
                temp.resolve("cache"),
                Duration.ofMillis(100),
                PendingWrites.MAX_HELD_BYTES);
    }

    @Test
    void shouldSaySinceWhenItHasFailedToReadUntilAPollWorksAgain() throws Exception {
        // Given a follower that has read its topics to their end
        FlakyConsumer consumer = new FlakyConsumer("models", "assignments");
        try (ModelFollower follower =
                new ModelFollower(consumer, "models", "assignments", temp.resolve("cache"))) {
            follower.start(new ModelRegistryEndToEndTest.Heard());
            assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(10)));
            assertEquals(Optional.empty(), follower.failing());

            // When every poll fails, as when its ACL is revoked
            long before = System.currentTimeMillis();
            consumer.failWith = new TopicAuthorizationException(Set.of("models"));
            await(() -> follower.failing().isPresent(), "the failure");

            // Then it says since when and on what, dated from the first of its retries
            ModelFollower.Failing first = follower.failing().get();
            assertTrue(first.sinceMillis() >= before, first.toString());
            assertEquals(
                    "org.apache.kafka.common.errors.TopicAuthorizationException: Not authorized to"
                            + " access topics: [models]",
                    first.lastFailure());
            consumer.failWith = new TopicAuthorizationException(Set.of("assignments"));
            await(
                    () -> follower.failing().get().lastFailure().endsWith("[assignments]"),
                    "the next retry");
            assertEquals(first.sinceMillis(), follower.failing().get().sinceMillis());

            // When a poll works again, it is failing no more
            consumer.failWith = null;
            await(() -> follower.failing().isEmpty(), "the recovery");
        }
    }

    @Test
    void shouldGoOnFailingWhileARevokedAclHidesTheTopicsThenReadOnFromWhereItWas()
            throws Exception {
        // Given a follower that has read its topics to their end, a record of the assignments
        // topic among them
        FlakyConsumer consumer = new FlakyConsumer("models", "assignments");
        TopicPartition assignments = new TopicPartition("assignments", 0);
        List<TopicPartition> both = List.of(assignments, new TopicPartition("models", 0));
        ModelRegistryEndToEndTest.Heard heard = new ModelRegistryEndToEndTest.Heard();
        try (ModelFollower follower = follower(consumer)) {
            follower.start(heard);
            assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(10)));
            consumer.addRecord(
                    new ConsumerRecord<>("assignments", 0, 0, "default", new byte[] {9}));
            await(() -> heard.refused.size() == 1, "the record");

            // When its ACLs are revoked, and it has looked for the topics twice since it failed
            long before = System.currentTimeMillis();
            consumer.revoke("models", "assignments");
            await(() -> follower.failing().isPresent(), "the failure");
            long seen = System.currentTimeMillis();
            int listings = consumer.listings.get();
            await(() -> consumer.listings.get() >= listings + 2, "two looks for the topics");

            // Then it is still failing, since the first failure, and reads neither topic
            Optional<ModelFollower.Failing> failing = follower.failing();
            assertTrue(failing.isPresent(), "the streak ended though the topics are hidden");
            assertTrue(
                    failing.get().sinceMillis() >= before && failing.get().sinceMillis() <= seen,
                    failing.get().toString());
            assertEquals(List.of(), follower.assignment());

            // When they may be read again, it reads on from where it was, not from the start
            consumer.hidden = Set.of();
            consumer.failWith = null;
            await(() -> follower.failing().isEmpty(), "the recovery");
            assertEquals(both, follower.assignment());
            assertEquals(1, consumer.position(assignments));
        }
    }

    @Test
    void shouldLetADeletedTopicGoWithoutFailing() throws Exception {
        // Given a follower that has read its topics to their end
        FlakyConsumer consumer = new FlakyConsumer("models", "assignments");
        try (ModelFollower follower = follower(consumer)) {
            follower.start(new ModelRegistryEndToEndTest.Heard());
            assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(10)));

            // When the assignments topic is deleted: gone from the listing and unknown by name
            consumer.updatePartitions("assignments", List.of());

            // Then it reads the models topic alone, and is not failing
            await(
                    () -> follower.assignment().equals(List.of(new TopicPartition("models", 0))),
                    "the deleted topic let go");
            assertEquals(Set.of(new TopicPartition("models", 0)), consumer.assignment());
            int listings = consumer.listings.get();
            await(() -> consumer.listings.get() >= listings + 2, "two more looks");
            assertEquals(Optional.empty(), follower.failing());
        }
    }

    /** A cache that holds version v1, as an earlier run of the follower left it. */
    private Path cacheHoldingV1() throws Exception {
        Path cache = temp.resolve("cache");
        Files.createDirectories(cache.resolve("v1"));
        Files.writeString(cache.resolve(".canvasflow-model-cache"), "the follower's\n");
        Files.writeString(cache.resolve("v1").resolve("model.json"), "{}");
        return cache;
    }

    @Test
    void shouldFailAndKeepTheCacheWhileATopicIsHiddenFromTheStart() throws Exception {
        // Given a cache holding a version, and a models topic an ACL hides from the start
        Path cache = cacheHoldingV1();
        FlakyConsumer consumer = new FlakyConsumer("models", "assignments");
        consumer.hidden = Set.of("models");
        try (ModelFollower follower = follower(consumer)) {
            // When the follower starts
            follower.start(new ModelRegistryEndToEndTest.Heard());

            // Then it fails, reads the assignments topic alone, has not caught up and deletes
            // nothing from the cache: the models topic may still hold v1
            await(() -> follower.failing().isPresent(), "the failure");
            assertEquals(
                    "registry topic models cannot be read:"
                            + " org.apache.kafka.common.errors.TopicAuthorizationException: Not"
                            + " authorized to access topics: [models]",
                    follower.failing().get().lastFailure());
            assertFalse(follower.awaitCaughtUp(Duration.ofMillis(500)));
            assertEquals(List.of(new TopicPartition("assignments", 0)), follower.assignment());
            assertTrue(Files.exists(cache.resolve("v1").resolve("model.json")));

            // When it may be read, it catches up on both
            consumer.hidden = Set.of();
            assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(10)));
            assertEquals(
                    List.of(new TopicPartition("assignments", 0), new TopicPartition("models", 0)),
                    follower.assignment());
        }
    }

    @Test
    void shouldNotCatchUpWhileATopicHiddenBeforeItsEndIsNotRead() throws Exception {
        // Given a follower that has not read the models topic to its end yet (3 records to come)
        Path cache = cacheHoldingV1();
        FlakyConsumer consumer = new FlakyConsumer("models", "assignments");
        consumer.updateEndOffsets(Map.of(new TopicPartition("models", 0), 3L));
        try (ModelFollower follower = follower(consumer)) {
            follower.start(new ModelRegistryEndToEndTest.Heard());
            assertFalse(follower.awaitCaughtUp(Duration.ofMillis(300)));

            // When an ACL hides the models topic
            consumer.hidden = Set.of("models");
            await(() -> follower.failing().isPresent(), "the failure");

            // Then it does not count the assignments topic alone as caught up, nor prunes
            assertFalse(follower.awaitCaughtUp(Duration.ofSeconds(1)));
            assertEquals(List.of(new TopicPartition("assignments", 0)), follower.assignment());
            assertTrue(Files.exists(cache.resolve("v1").resolve("model.json")));
        }
    }

    @Test
    void shouldNotFailWhenBothTopicsAreDeletedThoughTheConsumerStillKnowsThem() throws Exception {
        // Given a follower that has read its topics to their end, through a consumer whose cache
        // keeps the topics it was assigned
        FlakyConsumer consumer = new FlakyConsumer("models", "assignments");
        consumer.staleCache = true;
        try (ModelFollower follower = follower(consumer)) {
            follower.start(new ModelRegistryEndToEndTest.Heard());
            assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(10)));

            // When both topics are deleted
            consumer.updatePartitions("models", List.of());
            consumer.updatePartitions("assignments", List.of());

            // Then it reads neither, and is not failing, however often it looks
            await(() -> follower.assignment().isEmpty(), "the deleted topics let go");
            int listings = consumer.listings.get();
            await(() -> consumer.listings.get() >= listings + 3, "three more looks");
            assertEquals(Optional.empty(), follower.failing());
        }
    }
}
