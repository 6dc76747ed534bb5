package io.canvasflow.topology.reliability;

import static io.canvasflow.topology.reliability.Fixtures.everyFrame;
import static io.canvasflow.topology.reliability.Fixtures.how;
import static io.canvasflow.topology.reliability.Fixtures.sequences;
import static io.canvasflow.topology.reliability.Fixtures.unexpectedResets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.StoreNames;
import io.canvasflow.schemas.avro.CanvasState;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.topology.CanvasFlowApp;
import io.canvasflow.topology.CanvasFlowConfig;
import io.micrometer.core.instrument.Gauge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances with one standby replica each, exactly-once; one is stopped for good while eight
 * cameras publish. Its partitions move to the survivor with their canvases, nothing is lost, and
 * the takeover time (stop to the first mask from a moved partition) is printed.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TakeoverTest {

    private static final Fixtures.Workload LOAD = Fixtures.EIGHT_LIVE_CAMERAS;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir Path dir;

    @Test
    void shouldMoveTheCanvasesOfAStoppedInstanceToTheSurvivorAndLoseNothing() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            // Given two instances, each keeping a standby copy of the other's canvases
            Fixtures.createTopics(kafka, LOAD.partitions());
            Map<String, String> settings =
                    Fixtures.settings(
                            kafka.bootstrapServers(),
                            "canvasflow-takeover",
                            dir.resolve("survivor"));
            settings.put(CanvasFlowConfig.NUM_STANDBY_REPLICAS, "1");
            CanvasFlowConfig survivorConfig = Fixtures.config(settings);
            CanvasFlowConfig leavingConfig =
                    survivorConfig.with(
                            CanvasFlowConfig.STATE_DIR, dir.resolve("leaving").toString());
            try (TopicRecorder<MaskEvent> masks = TopicRecorder.masks(kafka);
                    TopicRecorder<DeadLetter> deadLetters = TopicRecorder.deadLetters(kafka);
                    CanvasFlowApp survivor = CanvasFlowApp.start(survivorConfig, Fixtures.model());
                    CanvasFlowApp leaving = CanvasFlowApp.start(leavingConfig, Fixtures.model())) {
                Fixtures.await(
                        "both instances run active tasks and the survivor a standby of each of"
                                + " the other's",
                        TIMEOUT,
                        () ->
                                Fixtures.hasActiveTasks(survivor)
                                        && Fixtures.hasActiveTasks(leaving)
                                        && partitions(survivor, ThreadMetadata::standbyTasks)
                                                .equals(
                                                        partitions(
                                                                leaving,
                                                                ThreadMetadata::activeTasks)));
                Set<Integer> moved = partitions(leaving, ThreadMetadata::activeTasks);
                List<String> movedCameras =
                        LOAD.cameras().stream()
                                .filter(
                                        c ->
                                                moved.contains(
                                                        Fixtures.partitionOf(c, LOAD.partitions())))
                                .toList();

                // When the cameras publish and, a third of the way, one instance stops for good
                long stopNanos;
                long closeMillis;
                Map<String, Long> lastBeforeStop = new TreeMap<>();
                try (CameraPublisher cameras = CameraPublisher.aheadOfMasks(kafka, LOAD, masks)) {
                    Fixtures.awaitMasksOfEveryCamera(
                            masks, LOAD.total() / 3, LOAD.cameras(), TIMEOUT);
                    stopNanos = System.nanoTime();
                    leaving.close();
                    closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopNanos);
                    // (it left the consumer group rather than wait to be timed out)
                    assertEquals(
                            List.of(survivorClient(survivor)),
                            groupClients(kafka, "canvasflow-takeover"),
                            "members of the consumer group right after the stop");
                    for (String camera : movedCameras) {
                        lastBeforeStop.put(camera, lastSequence(leaving, camera));
                    }
                    cameras.awaitDone(TIMEOUT);
                }
                List<TopicRecorder.Received<MaskEvent>> received =
                        awaitAll(masks, LOAD.total(), Duration.ofSeconds(3));
                List<MaskEvent> all = TopicRecorder.valuesOf(received);

                // Then the takeover time is reported
                Map<String, Long> takeoverMillis = new TreeMap<>();
                Map<String, String> firstAfterStop = new TreeMap<>();
                for (TopicRecorder.Received<MaskEvent> r : received) {
                    MaskEvent m = r.value();
                    Long last = lastBeforeStop.get(m.getCameraId());
                    if (last != null && m.getSequence() > last) {
                        takeoverMillis.putIfAbsent(
                                m.getCameraId(),
                                TimeUnit.NANOSECONDS.toMillis(r.arrivedNanos() - stopNanos));
                        firstAfterStop.putIfAbsent(m.getCameraId(), how(m));
                    }
                }
                long takeover =
                        takeoverMillis.values().stream()
                                .mapToLong(Long::longValue)
                                .min()
                                .orElse(-1);
                Fixtures.report(
                        "takeover",
                        String.format(
                                "takeover: %d ms from stopping an instance to the first mask from"
                                        + " a moved partition (close took %d ms; per moved camera"
                                        + " %s; records the survivor restored per moved partition:"
                                        + " %s; %d frames, %d masks)",
                                takeover,
                                closeMillis,
                                takeoverMillis,
                                restored(survivor, moved),
                                LOAD.total(),
                                all.size()));

                // And every frame has exactly one mask, in order per camera
                assertEquals(everyFrame(LOAD.cameras(), LOAD.frames()), sequences(all));
                // And each moved camera goes on seeded from the canvas of its last mask before
                // the stop
                Map<String, String> expected = new TreeMap<>();
                lastBeforeStop.forEach((c, last) -> expected.put(c, "#" + (last + 1) + " seeded"));
                assertEquals(expected, firstAfterStop);
                assertTrue(!movedCameras.isEmpty(), "some cameras moved");
                // And no canvas was lost anywhere
                assertEquals(List.of(), unexpectedResets(all));
                // And the survivor holds every camera's latest canvas
                ReadOnlyKeyValueStore<String, CanvasState> canvases =
                        survivor.streams()
                                .store(
                                        StoreQueryParameters.fromNameAndType(
                                                StoreNames.CANVAS_STORE,
                                                QueryableStoreTypes.keyValueStore()));
                Map<String, Long> stored = new TreeMap<>();
                for (String camera : LOAD.cameras()) {
                    CanvasState state = canvases.get(camera);
                    stored.put(camera, state == null ? null : state.getSequence());
                }
                Map<String, Long> latest = new TreeMap<>();
                LOAD.cameras().forEach(c -> latest.put(c, (long) LOAD.frames()));
                assertEquals(latest, stored);
                assertEquals(List.of(), deadLetters.values());
            }
        }
    }

    private static List<TopicRecorder.Received<MaskEvent>> awaitAll(
            TopicRecorder<MaskEvent> masks, int expected, Duration settle)
            throws InterruptedException {
        masks.awaitValues(expected, TIMEOUT, settle);
        return masks.received();
    }

    /** The partitions of an instance's active or standby tasks. */
    private static Set<Integer> partitions(
            CanvasFlowApp app, Function<ThreadMetadata, Set<TaskMetadata>> tasks) {
        Set<Integer> out = new TreeSet<>();
        for (ThreadMetadata thread : app.streams().metadataForLocalThreads()) {
            for (TaskMetadata task : tasks.apply(thread)) {
                task.topicPartitions().forEach(tp -> out.add(tp.partition()));
            }
        }
        return out;
    }

    /** The last sequence an instance emitted a mask for, from its camera gauge. */
    private static long lastSequence(CanvasFlowApp app, String camera) {
        Gauge gauge =
                app.metrics()
                        .registry()
                        .find("canvasflow.camera.last.sequence")
                        .tag("camera", camera)
                        .gauge();
        return gauge == null ? 0 : (long) gauge.value();
    }

    /** Kafka Streams' task metric {@code restore-total} of the tasks of some partitions. */
    private static Map<Integer, Object> restored(CanvasFlowApp app, Set<Integer> partitions) {
        Map<Integer, Object> out = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : app.streams().metrics().entrySet()) {
            String task = e.getKey().tags().get("task-id");
            if (e.getKey().name().equals("restore-total") && task != null) {
                int partition = Integer.parseInt(task.substring(task.indexOf('_') + 1));
                if (partitions.contains(partition)) {
                    out.put(partition, e.getValue().metricValue());
                }
            }
        }
        return out;
    }

    /** The client id prefix of the survivor's consumers, as the group shows it. */
    private static String survivorClient(CanvasFlowApp app) {
        return app.streams().metadataForLocalThreads().iterator().next().consumerClientId();
    }

    /** The client ids of a consumer group's members. */
    private static List<String> groupClients(EmbeddedKafkaBroker kafka, String group)
            throws Exception {
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            return admin
                    .describeConsumerGroups(List.of(group))
                    .all()
                    .get()
                    .get(group)
                    .members()
                    .stream()
                    .map(MemberDescription::clientId)
                    .toList();
        }
    }
}
