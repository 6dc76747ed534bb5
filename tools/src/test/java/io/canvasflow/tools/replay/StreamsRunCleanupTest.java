package io.canvasflow.tools.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.topology.CanvasFlowConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link StreamsRun#deleteTopics} on a real broker: what a run leaves is gone, quietly. */
class StreamsRunCleanupTest {

    private EmbeddedKafkaBroker kafka;

    @BeforeEach
    void startBroker() {
        kafka = EmbeddedKafkaBroker.builder().build().start();
    }

    @AfterEach
    void stopBroker() {
        kafka.close();
    }

    @Test
    void shouldDeleteARunsTopicsWithoutAWarnWhenItsApplicationNeverJoined() throws Exception {
        // Given a run's own topic and an internal topic of its application, which stopped
        // before it joined its group (a run refused or stopped at its start)
        kafka.createTopics(Map.of("run-frames", 1, "run-app-canvas-changelog", 1, "other", 1));

        // When its topics are deleted
        List<String> said = deleteTopics("run-app", List.of("run-frames"));

        // Then only the other topic is left, and CanvasFlow said nothing of the group it never
        // had (it WARNed GroupIdNotFoundException)
        assertEquals(Set.of("other"), topics());
        assertEquals(List.of(), said);
    }

    @Test
    void shouldSayNothingOfTopicsARunNeverCreated() throws Exception {
        // Given a run stopped before its topics and its group existed (the demo and bench
        // scale name their frames, masks and dlq topics whatever happened)
        kafka.createTopics(Map.of("other", 1));

        // When its topics are deleted
        List<String> said =
                deleteTopics(
                        "early-app", List.of("early-frames", "early-masks", "early-frames-dlq"));

        // Then the other topic is left, and CanvasFlow said nothing (it WARNed
        // UnknownTopicOrPartitionException)
        assertEquals(Set.of("other"), topics());
        assertEquals(List.of(), said);
    }

    @Test
    void shouldDeleteTheGroupOfARunWhoseStreamThreadStoppedWithoutLeavingIt() throws Exception {
        // Given a run's internal topic and its group, which still holds a static member that
        // closed without leaving (as a stream thread that stopped in ERROR does), for a session
        // longer than this test
        kafka.createTopics(Map.of("stopped-app-canvas-changelog", 1));
        try (KafkaConsumer<byte[], byte[]> member =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "stopped-app",
                                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                                "stopped-app-1",
                                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                                "120000"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            member.subscribe(List.of("stopped-app-canvas-changelog"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (member.assignment().isEmpty() && System.nanoTime() < deadline) {
                member.poll(Duration.ofMillis(100));
            }
        }

        // When the run's topics are deleted
        List<String> said = deleteTopics("stopped-app", List.of());

        // Then its topic and its group are gone, and CanvasFlow said nothing (it WARNed
        // GroupNotEmptyException and left the group to the broker)
        assertEquals(List.of(Set.of(), Set.of(), List.of()), List.of(topics(), groups(), said));
    }

    /**
     * Deletes a run's topics with standard error (where the log goes) captured.
     *
     * @return CanvasFlow's WARN and ERROR lines (the broker in this JVM logs its own beside them)
     */
    private List<String> deleteTopics(String applicationId, List<String> ownTopics) {
        CanvasFlowConfig config =
                CanvasFlowConfig.fromMap(
                        Map.of(
                                CanvasFlowConfig.BOOTSTRAP_SERVERS,
                                kafka.bootstrapServers(),
                                CanvasFlowConfig.APPLICATION_ID,
                                applicationId));
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            StreamsRun.deleteTopics(config, ownTopics);
        } finally {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(
                        l ->
                                l.contains(" WARN io.canvasflow")
                                        || l.contains(" ERROR io.canvasflow"))
                .toList();
    }

    private Set<String> groups() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            return admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(GroupListing::groupId)
                    .collect(Collectors.toSet());
        }
    }

    private Set<String> topics() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }
}
