package io.canvasflow.registry;

import static io.canvasflow.registry.ModelRegistryEndToEndTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    /** A consumer of two one-partition topics, empty, that fails every poll while told to. */
    static final class FlakyConsumer extends MockConsumer<String, byte[]> {
        volatile RuntimeException failWith;

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
}
