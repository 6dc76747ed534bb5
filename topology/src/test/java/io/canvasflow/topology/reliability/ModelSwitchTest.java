package io.canvasflow.topology.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.model.Architecture;
import io.canvasflow.model.ModelLoadException;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.registry.ModelPublication;
import io.canvasflow.registry.ModelRegistryClient;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.AssignmentScope;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ModelError;
import io.canvasflow.schemas.avro.ModelErrorReason;
import io.canvasflow.schemas.avro.ResetReason;
import io.canvasflow.testsupport.TopicReader;
import io.canvasflow.topology.CanvasFlowApp;
import io.canvasflow.topology.CanvasFlowConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models through Kafka, end to end: two serve instances on a real broker, four cameras streaming, a
 * second model published and assigned to two cameras mid-stream, a corrupt model and a version that
 * was never published assigned to the other two, then a fresh instance with no model directory at
 * all.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ModelSwitchTest {

    private static final String APP = "model-switch";
    private static final int FPS = 10;
    private static final long SWITCH_LIMIT_MS = 2000;

    private static EmbeddedKafkaBroker kafka;

    @TempDir Path temp;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafkaBroker.builder().build().start();
        Fixtures.createTopics(kafka, 4);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private CanvasFlowApp serve(String name, Path modelDir) {
        Map<String, String> settings =
                Fixtures.settings(kafka.bootstrapServers(), APP, temp.resolve(name));
        settings.put(CanvasFlowConfig.MODEL_DIR, modelDir == null ? "" : modelDir.toString());
        return CanvasFlowApp.start(Fixtures.config(settings));
    }

    private static void awaitRunning(CanvasFlowApp... apps) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (CanvasFlowApp app : apps) {
            while (app.streams().state() != KafkaStreams.State.RUNNING) {
                assertTrue(System.nanoTime() < deadline, "instances did not start");
                Thread.sleep(50);
            }
        }
    }

    /** Sends every camera's next frame FPS times a second until stopped. */
    private static final class Cameras implements AutoCloseable {
        final List<String> ids;
        final AtomicLong sequence = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread thread;

        Cameras(List<String> ids, long from) {
            this.ids = ids;
            sequence.set(from - 1);
            thread = new Thread(this::run, "cameras");
            thread.start();
        }

        private void run() {
            try (KafkaProducer<String, byte[]> producer = Fixtures.producer(kafka)) {
                while (running.get()) {
                    long seq = sequence.incrementAndGet();
                    for (String camera : ids) {
                        producer.send(
                                Fixtures.record(Topics.FRAMES.name(), Fixtures.frame(camera, seq)));
                    }
                    producer.flush();
                    Thread.sleep(1000 / FPS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    @Test
    void shouldSwitchAssignedCamerasMidStreamAndRefuseACorruptModelOnEveryInstance()
            throws Exception {
        // Given two models: A, serve's model directory, and B, not yet published
        Path dirA = Fixtures.modelDir();
        Path dirB = temp.resolve("model-b");
        Path dirC = temp.resolve("model-c");
        java.nio.file.Files.createDirectories(dirB);
        java.nio.file.Files.createDirectories(dirC);
        String a = SegmentationModel.readSpec(dirA).version();
        String b = Fixtures.saveTinyModel(dirB, Architecture.tiny()).version();
        String c = Fixtures.saveTinyModel(dirC, Architecture.tiny()).version();
        assertNotEquals(a, b);
        ModelRegistryClient registry =
                new ModelRegistryClient(
                        kafka.clientConfig(), ModelRegistryClient.RegistryTopics.defaults());
        registry.createTopics((short) 1);

        // And two serve instances streaming four cameras
        List<String> cameras = Fixtures.cameras(4, 1);
        List<String> switched = cameras.subList(0, 2);
        String corruptCamera = cameras.get(2);
        String waitingCamera = cameras.get(3);
        long frames;
        Map<String, Long> assignedAt = new TreeMap<>();
        Map<String, List<MaskEvent>> byCamera;
        try (CanvasFlowApp one = serve("one", dirA);
                CanvasFlowApp two = serve("two", dirA)) {
            awaitRunning(one, two);
            Cameras streaming = new Cameras(cameras, 1);
            try {
                Thread.sleep(3000);

                // When B is published and assigned to two cameras mid-stream, a corrupt C (one
                // chunk damaged after the publisher's check) to a third, and a version nobody
                // published to the fourth
                registry.publish(ModelPublication.read(dirB, 64 * 1024));
                ModelPublication corrupt = ModelPublication.read(dirC, 64 * 1024);
                corrupt.chunks().get(0)[10] ^= 0x01;
                registry.publish(corrupt);
                for (String camera : switched) {
                    assignedAt.put(camera, System.currentTimeMillis());
                    registry.assign(AssignmentScope.CAMERA, camera, b);
                }
                registry.assign(AssignmentScope.CAMERA, corruptCamera, c);
                registry.assign(AssignmentScope.CAMERA, waitingCamera, "never-published-version");
                Thread.sleep(6000);
            } finally {
                streaming.close();
            }
            frames = streaming.sequence.get();
            byCamera = byCamera(readMasks((int) (4 * frames)));

            // And each instance's /cameras says which cameras it has: between them all four, on
            // partitions neither shares
            List<JsonObject> owned = List.of(cameras(one), cameras(two));
            Set<String> seen = new HashSet<>();
            Set<Integer> partitions = new HashSet<>();
            for (JsonObject instance : owned) {
                for (JsonElement p : instance.getAsJsonArray("partitions")) {
                    assertTrue(partitions.add(p.getAsInt()), "partition " + p + " owned twice");
                }
                instance.getAsJsonArray("cameras")
                        .forEach(
                                cam -> seen.add(cam.getAsJsonObject().get("camera").getAsString()));
            }
            assertEquals(new HashSet<>(cameras), seen, owned.toString());
        }

        // Then nothing was lost or duplicated
        for (String camera : cameras) {
            List<Long> sequences =
                    byCamera.get(camera).stream().map(MaskEvent::getSequence).toList();
            assertEquals(frames, sequences.size(), camera + " lost or duplicated masks");
            assertEquals(frames, new HashSet<>(sequences).size(), camera + " has duplicates");
        }

        // And the switched cameras' masks carry B within 2 s, the first of them a model change
        List<Long> delays = new ArrayList<>();
        for (String camera : switched) {
            List<MaskEvent> mine = byCamera.get(camera);
            int first = firstWith(mine, b);
            assertTrue(first > 0, camera + " never switched to " + b);
            assertEquals(ResetReason.MODEL_VERSION_CHANGE, mine.get(first).getResetReason());
            for (int i = 0; i < mine.size(); i++) {
                MaskEvent m = mine.get(i);
                assertEquals(
                        i < first ? a : b,
                        m.getModelVersion(),
                        camera + " sequence " + m.getSequence());
            }
            long delay =
                    mine.get(first).getProcessedTimestamp().toEpochMilli() - assignedAt.get(camera);
            delays.add(delay);
            assertTrue(
                    delay <= SWITCH_LIMIT_MS,
                    camera + " switched " + delay + " ms after the assignment");
        }
        // And the other two never changed
        for (String camera : List.of(corruptCamera, waitingCamera)) {
            byCamera.get(camera).forEach(m -> assertEquals(a, m.getModelVersion(), camera));
        }
        // And both instances refused the corrupt model on the model-errors topic
        List<ConsumerRecord<String, ModelError>> errors =
                TopicReader.readFromBeginning(
                        kafka.bootstrapServers(), Topics.MODEL_ERRORS, 2, Duration.ofSeconds(30));
        Set<String> refusers = new HashSet<>();
        for (ConsumerRecord<String, ModelError> e : errors) {
            assertEquals(c, e.value().getModelVersion(), e.value().getMessage());
            assertEquals(ModelErrorReason.DIGEST_MISMATCH, e.value().getReason());
            refusers.add(e.value().getInstance());
        }
        assertEquals(2, refusers.size(), "each instance refuses it: " + refusers);

        // When a fresh instance with no model directory starts, A published and the default
        registry.publish(ModelPublication.read(dirA, ModelPublication.DEFAULT_CHUNK_BYTES));
        registry.assign(AssignmentScope.DEFAULT, null, a);
        try (CanvasFlowApp fresh = serve("fresh", null)) {
            awaitRunning(fresh);
            try (KafkaProducer<String, byte[]> producer = Fixtures.producer(kafka)) {
                Fixtures.publish(producer, cameras, frames + 1, frames + 5);
            }
            List<MaskEvent> after = readMasks((int) (4 * (frames + 5)));
            // Then every camera's new masks come from its assigned model (or the default)
            for (MaskEvent m : after) {
                if (m.getSequence() > frames) {
                    String expected = switched.contains(m.getCameraId()) ? b : a;
                    assertEquals(expected, m.getModelVersion(), m.getCameraId());
                }
            }
            assertEquals(4 * (frames + 5), after.size());
        }
        Fixtures.report(
                "model-switch",
                String.format(
                        "model switch: %d frames x 4 cameras at %d fps, 2 instances; switch %s ms"
                                + " after the assignment (limit %d); corrupt model refused by %d"
                                + " instances; 0 lost, 0 duplicated",
                        frames, FPS, delays, SWITCH_LIMIT_MS, refusers.size()));
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void shouldWaitAtStartupForTheFirstModelWhenAskedTo() throws Exception {
        // Given registry topics of their own, with no model yet, as a fresh deployment has them
        ModelRegistryClient.RegistryTopics topics =
                new ModelRegistryClient.RegistryTopics("models-wait", "assign-wait", "errors-wait");
        ModelRegistryClient registry = new ModelRegistryClient(kafka.clientConfig(), topics);
        registry.createTopics((short) 1);
        Map<String, String> settings =
                Fixtures.settings(kafka.bootstrapServers(), APP + "-wait", temp.resolve("wait"));
        settings.put(CanvasFlowConfig.MODEL_DIR, "");
        settings.put(CanvasFlowConfig.TOPIC_MODELS, topics.models());
        settings.put(CanvasFlowConfig.TOPIC_MODEL_ASSIGNMENTS, topics.assignments());
        settings.put(CanvasFlowConfig.TOPIC_MODEL_ERRORS, topics.errors());
        settings.put(CanvasFlowConfig.TOPIC_FRAMES, "frames-wait");
        settings.put(CanvasFlowConfig.TOPIC_MASKS, "masks-wait");
        settings.put(CanvasFlowConfig.TOPIC_DLQ, "dlq-wait");
        settings.put(CanvasFlowConfig.TOPICS_CREATE, "true");

        // When an instance that may not wait starts, then it refuses at once
        long start = System.nanoTime();
        ModelLoadException refused =
                assertThrows(
                        ModelLoadException.class,
                        () -> CanvasFlowApp.start(Fixtures.config(settings)).close());
        assertTrue(refused.getMessage().startsWith("no model to serve"), refused.getMessage());

        // And one that may wait 60 s starts once a job publishes and assigns the first model
        settings.put(CanvasFlowConfig.MODELS_WAIT_MS, "60000");
        Path dirA = Fixtures.modelDir();
        String a = SegmentationModel.readSpec(dirA).version();
        Thread job =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(1500);
                                registry.publish(
                                        ModelPublication.read(
                                                dirA, ModelPublication.DEFAULT_CHUNK_BYTES));
                                registry.assign(AssignmentScope.DEFAULT, null, a);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        "models-job");
        job.start();
        try (CanvasFlowApp waited = CanvasFlowApp.start(Fixtures.config(settings))) {
            job.join();
            awaitRunning(waited);
            try (KafkaProducer<String, byte[]> producer = Fixtures.producer(kafka)) {
                producer.send(Fixtures.record("frames-wait", Fixtures.frame("gate", 1)));
            }
            List<ConsumerRecord<String, MaskEvent>> masks =
                    TopicReader.readFromBeginning(
                            kafka.bootstrapServers(),
                            Topics.MASKS.withName("masks-wait"),
                            1,
                            Duration.ofSeconds(60));
            assertEquals(1, masks.size());
            assertEquals(a, masks.get(0).value().getModelVersion());
        }
        // and one that waits in vain says how long it waited
        settings.put(CanvasFlowConfig.MODELS_WAIT_MS, "500");
        settings.put(CanvasFlowConfig.TOPIC_MODEL_ASSIGNMENTS, "assign-wait-empty");
        ModelLoadException inVain =
                assertThrows(
                        ModelLoadException.class,
                        () -> CanvasFlowApp.start(Fixtures.config(settings)).close());
        assertTrue(
                inVain.getMessage().contains("after waiting 500 ms (models.wait.ms)"),
                inVain.getMessage());
    }

    private static JsonObject cameras(CanvasFlowApp app) throws Exception {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + app.httpPort()
                                                                + "/cameras"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    private static int firstWith(List<MaskEvent> masks, String version) {
        for (int i = 0; i < masks.size(); i++) {
            if (masks.get(i).getModelVersion().equals(version)) {
                return i;
            }
        }
        return -1;
    }

    private static List<MaskEvent> readMasks(int atLeast) {
        return TopicReader.readFromBeginning(
                        kafka.bootstrapServers(), Topics.MASKS, atLeast, Duration.ofSeconds(30))
                .stream()
                .map(ConsumerRecord::value)
                .toList();
    }

    private static Map<String, List<MaskEvent>> byCamera(List<MaskEvent> masks) {
        Map<String, List<MaskEvent>> out = new TreeMap<>();
        masks.forEach(m -> out.computeIfAbsent(m.getCameraId(), k -> new ArrayList<>()).add(m));
        out.values().forEach(l -> l.sort(Comparator.comparingLong(MaskEvent::getSequence)));
        return out;
    }
}
