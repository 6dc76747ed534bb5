package io.canvasflow.topology.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.topology.CanvasFlowApp;
import io.canvasflow.topology.CanvasFlowConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance whose partitions another instance takes over stops exporting those partitions'
 * cameras on {@code /metrics}, as {@code /cameras} stops listing them: otherwise both instances
 * export a moved camera's lag, the old one frozen.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScaleOutMetricsTest {

    private static final int PARTITIONS = 4;
    private static final Duration TIMEOUT = Duration.ofMinutes(1);
    private static final Pattern LAG =
            Pattern.compile(
                    "^canvasflow_camera_lag_seconds\\{camera=\"([^\"]+)\"}", Pattern.MULTILINE);

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir Path dir;

    @Test
    void shouldStopExportingTheCamerasOfPartitionsAnotherInstanceTookOver() throws Exception {
        List<String> cameras = Fixtures.cameras(PARTITIONS, 1);
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            Fixtures.createTopics(kafka, PARTITIONS);
            CanvasFlowConfig firstConfig =
                    Fixtures.config(
                            Fixtures.settings(
                                    kafka.bootstrapServers(),
                                    "canvasflow-scale-out",
                                    dir.resolve("first")));
            CanvasFlowConfig secondConfig =
                    firstConfig.with(CanvasFlowConfig.STATE_DIR, dir.resolve("second").toString());
            try (TopicRecorder<MaskEvent> masks = TopicRecorder.masks(kafka);
                    CanvasFlowApp first = CanvasFlowApp.start(firstConfig, Fixtures.model())) {
                // Given one instance that segmented a frame of a camera on each partition
                Fixtures.await("the instance runs", TIMEOUT, () -> Fixtures.hasActiveTasks(first));
                try (KafkaProducer<String, byte[]> producer = Fixtures.producer(kafka)) {
                    Fixtures.publish(producer, cameras, 1, 1);
                }
                Fixtures.awaitMasksOfEveryCamera(masks, cameras.size(), cameras, TIMEOUT);
                assertEquals(cameras.stream().sorted().toList(), laggingCameras(first));

                // When a second instance joins and takes some partitions over
                try (CanvasFlowApp second = CanvasFlowApp.start(secondConfig, Fixtures.model())) {
                    Fixtures.await(
                            "both instances run active tasks",
                            TIMEOUT,
                            () ->
                                    Fixtures.hasActiveTasks(first)
                                            && Fixtures.hasActiveTasks(second));

                    // Then the first exports the lag of the cameras it still owns only
                    Fixtures.await(
                            "the first instance exports only its own partitions' cameras",
                            Duration.ofSeconds(20),
                            () -> camerasOwnedBy(first, cameras).equals(laggingCameras(first)),
                            () ->
                                    ": it owns "
                                            + camerasOwnedBy(first, cameras)
                                            + " and exports "
                                            + laggingCameras(first));
                }
            }
        }
    }

    /** The cameras of the partitions an instance owns, sorted; none while it is not RUNNING. */
    private static List<String> camerasOwnedBy(CanvasFlowApp app, List<String> cameras) {
        if (app.streams().state() != KafkaStreams.State.RUNNING) {
            return List.of();
        }
        Set<Integer> owned = new TreeSet<>();
        for (ThreadMetadata thread : app.streams().metadataForLocalThreads()) {
            thread.activeTasks()
                    .forEach(t -> t.topicPartitions().forEach(tp -> owned.add(tp.partition())));
        }
        return cameras.stream()
                .filter(c -> owned.contains(Fixtures.partitionOf(c, PARTITIONS)))
                .sorted()
                .toList();
    }

    /** The cameras of {@code canvasflow_camera_lag_seconds} on an instance's /metrics, sorted. */
    private static List<String> laggingCameras(CanvasFlowApp app) {
        try {
            String body =
                    HTTP.send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://localhost:"
                                                                    + app.httpPort()
                                                                    + "/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            Matcher m = LAG.matcher(body);
            List<String> out = new ArrayList<>();
            while (m.find()) {
                out.add(m.group(1));
            }
            return out.stream().sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
