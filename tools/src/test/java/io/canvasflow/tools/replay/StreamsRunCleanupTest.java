package io.canvasflow.tools.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.topology.CanvasFlowConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/** {@link StreamsRun#deleteTopics} on a real broker: what a run leaves is gone, quietly. */
class StreamsRunCleanupTest {

    @Test
    void shouldDeleteARunsTopicsWithoutAWarnWhenItsApplicationNeverJoined() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            // Given a run's own topic and an internal topic of its application, which stopped
            // before it joined its group (a run refused or stopped at its start)
            kafka.createTopics(Map.of("run-frames", 1, "run-app-canvas-changelog", 1, "other", 1));
            CanvasFlowConfig config =
                    CanvasFlowConfig.fromMap(
                            Map.of(
                                    CanvasFlowConfig.BOOTSTRAP_SERVERS,
                                    kafka.bootstrapServers(),
                                    CanvasFlowConfig.APPLICATION_ID,
                                    "run-app"));

            // When its topics are deleted, with standard error (where the log goes) captured
            PrintStream err = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            try {
                System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
                StreamsRun.deleteTopics(config, List.of("run-frames"));
            } finally {
                System.setErr(err);
            }

            // Then only the other topic is left, and CanvasFlow said nothing of the group it never
            // had
            // (the broker in this JVM logs its own lines beside it)
            try (Admin admin =
                    Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                assertEquals(Set.of("other"), admin.listTopics().names().get(30, TimeUnit.SECONDS));
            }
            assertEquals(
                    List.of(),
                    captured.toString(StandardCharsets.UTF_8)
                            .lines()
                            .filter(
                                    l ->
                                            l.contains(" WARN io.canvasflow")
                                                    || l.contains(" ERROR io.canvasflow"))
                            .toList());
        }
    }

    @Test
    void shouldSayNothingOfTopicsARunNeverCreated() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            // Given a run stopped before its topics and its group existed (the demo and bench
            // scale name their frames, masks and dlq topics whatever happened)
            kafka.createTopics(Map.of("other", 1));
            CanvasFlowConfig config =
                    CanvasFlowConfig.fromMap(
                            Map.of(
                                    CanvasFlowConfig.BOOTSTRAP_SERVERS,
                                    kafka.bootstrapServers(),
                                    CanvasFlowConfig.APPLICATION_ID,
                                    "early-app"));

            // When its topics are deleted, with standard error (where the log goes) captured
            PrintStream err = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            try {
                System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
                StreamsRun.deleteTopics(
                        config, List.of("early-frames", "early-masks", "early-frames-dlq"));
            } finally {
                System.setErr(err);
            }

            // Then the other topic is left, and CanvasFlow said nothing (it WARNed
            // UnknownTopicOrPartitionException)
            try (Admin admin =
                    Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                assertEquals(Set.of("other"), admin.listTopics().names().get(30, TimeUnit.SECONDS));
            }
            assertEquals(
                    List.of(),
                    captured.toString(StandardCharsets.UTF_8)
                            .lines()
                            .filter(
                                    l ->
                                            l.contains(" WARN io.canvasflow")
                                                    || l.contains(" ERROR io.canvasflow"))
                            .toList());
        }
    }
}
