package io.canvasflow.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.clients.ClassMap;
import io.canvasflow.clients.FramePublisher;
import io.canvasflow.clients.ImageCodecs;
import io.canvasflow.clients.SourceFrame;
import io.canvasflow.clients.SyntheticCameraSource;
import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ResetReason;
import io.canvasflow.synthetic.Split;
import io.canvasflow.synthetic.SyntheticDataset;
import io.canvasflow.synthetic.VideoSequence;
import io.canvasflow.testsupport.CanvasFlowTopics;
import io.canvasflow.testsupport.TopicReader;
import io.canvasflow.topology.CanvasFlowApp;
import io.canvasflow.topology.CanvasFlowConfig;
import io.canvasflow.topology.ModelSource;
import io.canvasflow.trainer.ConfusionMatrix;
import io.canvasflow.trainer.Evaluator;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream adds no error: synthetic test-split scenes with their ground truth go through a real
 * broker and the real topology (default settings, the trained default model), and the class maps of
 * the mask events score the same mIoU as {@code canvasflow evaluate} gives offline for seeded video
 * on the same scenes.
 *
 * <p>Like for like: offline, the evaluation runs the first frame of a sequence from a zero canvas
 * for {@code --max-iterations} iterations and the rest seeded with 2; the stream runs the first
 * frame with {@code canvas.full.iterations} (6) and the rest with {@code canvas.seeded.iterations}
 * (2), so the offline figure is taken with {@code --max-iterations} set to the stream's full count.
 * Both score every frame, the first included, at frame size (256x192, the model's input size, so no
 * resizing on either side). Frames go over the wire as PNG, so the stream sees the very pixels the
 * evaluation sees; what remains is the stream's own doing: the float16 canvas in the state store
 * and the PNG class map of the mask event.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class StreamMatchesOfflineTest {

    private static final int SCENES = 3;
    private static final int FRAMES = 10;
    private static final double TOLERANCE = 0.005;
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    @TempDir Path dir;

    @Test
    void shouldScoreTheSameMiouOnTheStreamAsTheOfflineSeededEvaluation() throws Exception {
        Path modelDir = defaultModel();
        CanvasFlowConfig defaults = CanvasFlowConfig.defaults();
        int seededIterations = defaults.seededIterations();

        try (SegmentationModel model = SegmentationModel.load(modelDir, DeviceChoice.CPU);
                EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            ModelSpec spec = model.spec();
            int fullIterations = defaults.fullIterations(spec);

            // Given the offline figure of the scenes `canvasflow evaluate` scores (the first
            // SCENES of the test split at the model's input size), taken as its run does with
            // --max-iterations set to the stream's full count
            List<VideoSequence> scenes = new ArrayList<>();
            SyntheticDataset dataset = new SyntheticDataset();
            for (int scene = 0; scene < SCENES; scene++) {
                scenes.add(
                        dataset.sequence(
                                Split.TEST,
                                scene,
                                FRAMES,
                                spec.input().width(),
                                spec.input().height()));
            }
            long t0 = System.nanoTime();
            Evaluator.Point offline =
                    Evaluator.evaluate(
                                    model,
                                    null,
                                    scenes,
                                    fullIterations,
                                    fullIterations,
                                    seededIterations,
                                    1,
                                    8)
                            .seeded();
            System.out.printf("offline evaluation took %.1f s%n", (System.nanoTime() - t0) / 1e9);
            double offlineMiou = offline.miou();
            kafka.createTopics(CanvasFlowTopics.withPartitions(2));
            CanvasFlowConfig config =
                    CanvasFlowConfig.fromMap(
                            Map.of(
                                    CanvasFlowConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                                    CanvasFlowConfig.APPLICATION_ID, "stream-matches-offline",
                                    CanvasFlowConfig.MODEL_DIR, modelDir.toString(),
                                    CanvasFlowConfig.STATE_DIR, dir.toString(),
                                    CanvasFlowConfig.HTTP_PORT, "0"));
            try (ModelSource source = ModelSource.of(model);
                    CanvasFlowApp app = CanvasFlowApp.start(config, source)) {

                // When synthetic cameras film the same test scenes and publish them with ground
                // truth, as lossless PNG
                Map<String, List<byte[]>> truth = publish(kafka, scenes, spec);

                // Then every frame yields a mask: the first from zero with the full count, the
                // rest seeded with 2 iterations, as the offline evaluation runs them
                Map<String, List<MaskEvent>> masks = consume(kafka, SCENES * FRAMES);
                Map<String, List<String>> expectedRuns = new TreeMap<>();
                Map<String, List<String>> runs = new TreeMap<>();
                for (String camera : truth.keySet()) {
                    List<String> expected = new ArrayList<>();
                    expected.add(ResetReason.FIRST_FRAME + " x" + fullIterations);
                    for (int i = 1; i < FRAMES; i++) {
                        expected.add("seeded x" + seededIterations);
                    }
                    expectedRuns.put(camera, expected);
                    runs.put(
                            camera,
                            masks.get(camera).stream()
                                    .map(StreamMatchesOfflineTest::describe)
                                    .toList());
                }
                assertEquals(expectedRuns, runs);

                // And their class maps score the offline mIoU
                ConfusionMatrix stream = new ConfusionMatrix(spec.numClasses());
                for (var camera : masks.entrySet()) {
                    for (MaskEvent mask : camera.getValue()) {
                        ClassMap map = ImageCodecs.classMap(ImageCodecs.bytes(mask.getClassMap()));
                        assertEquals(
                                List.of(spec.input().width(), spec.input().height()),
                                List.of(map.width(), map.height()),
                                "mask size");
                        stream.add(
                                map.indices(),
                                truth.get(camera.getKey()).get((int) mask.getSequence()));
                    }
                }
                double streamMiou = stream.meanIou();
                System.out.printf(
                        "mIoU over %d scenes x %d frames: stream %.5f, offline seeded %.5f"
                                + " (difference %.5f); pixel accuracy stream %.5f, offline %.5f%n",
                        SCENES,
                        FRAMES,
                        streamMiou,
                        offlineMiou,
                        streamMiou - offlineMiou,
                        stream.pixelAccuracy(),
                        offline.pixelAccuracy());
                assertTrue(
                        Math.abs(streamMiou - offlineMiou) <= TOLERANCE,
                        String.format(
                                "the stream's mIoU %.5f should be within %.3f of the offline"
                                        + " seeded mIoU %.5f",
                                streamMiou, TOLERANCE, offlineMiou));
            }
        }
    }

    /** The trained default model: a random one would make the comparison meaningless. */
    private static Path defaultModel() {
        String configured = System.getProperty("canvasflow.test.model", "");
        Path modelDir = Path.of(configured);
        assertTrue(
                !configured.isBlank() && Files.isRegularFile(modelDir.resolve(ModelSpec.FILE_NAME)),
                "expected the trained default model at the system property canvasflow.test.model"
                        + " but found '"
                        + configured
                        + "'");
        return modelDir;
    }

    /**
     * Publishes one camera per test scene through a {@link FramePublisher}, its JPEG replaced by a
     * PNG of the same image, and checks that each camera films the sequence the evaluation scored.
     *
     * @return per camera, the ground truth label maps of its frames, as published
     */
    private static Map<String, List<byte[]>> publish(
            EmbeddedKafkaBroker kafka, List<VideoSequence> scored, ModelSpec spec)
            throws Exception {
        Map<String, List<byte[]>> truth = new LinkedHashMap<>();
        Instant start = Instant.now();
        try (FramePublisher publisher =
                FramePublisher.builder().setBootstrapServers(kafka.bootstrapServers()).build()) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int scene = 0; scene < SCENES; scene++) {
                String camera = "scene-" + scene;
                List<byte[]> labels = new ArrayList<>();
                try (SyntheticCameraSource source =
                        new SyntheticCameraSource(
                                scene, FRAMES, spec.input().width(), spec.input().height())) {
                    for (Optional<SourceFrame> next = source.next();
                            next.isPresent();
                            next = source.next()) {
                        SourceFrame frame = next.get();
                        Frame jpeg =
                                publisher.encode(
                                        camera,
                                        frame.index(),
                                        start.plusMillis(
                                                Math.round(
                                                        frame.index()
                                                                * 1000
                                                                / SyntheticCameraSource.FPS)),
                                        frame.image(),
                                        frame.groundTruthPng(),
                                        Map.of());
                        Frame png =
                                Frame.newBuilder(jpeg)
                                        .setEncoding(ImageEncoding.PNG)
                                        .setImage(ByteBuffer.wrap(ImageCodecs.png(frame.image())))
                                        .build();
                        byte[] published = ImageCodecs.classMap(frame.groundTruthPng()).indices();
                        assertArrayEquals(
                                scored.get(scene).frame((int) frame.index()).labels(),
                                published,
                                camera + " frame " + frame.index() + " is the scored one");
                        labels.add(published);
                        sends.add(publisher.send(png, null));
                    }
                }
                truth.put(camera, labels);
            }
            for (Future<RecordMetadata> send : sends) {
                send.get(30, TimeUnit.SECONDS);
            }
        }
        return truth;
    }

    private static String describe(MaskEvent mask) {
        return (mask.getSeeded() ? "seeded" : String.valueOf(mask.getResetReason()))
                + " x"
                + mask.getIterations();
    }

    /** Reads committed mask events until {@code expected} have come, then briefly for extras. */
    private static Map<String, List<MaskEvent>> consume(EmbeddedKafkaBroker kafka, int expected) {
        Map<String, List<MaskEvent>> out = new TreeMap<>();
        List<ConsumerRecord<String, MaskEvent>> records =
                TopicReader.readFromBeginning(
                        kafka.bootstrapServers(), Topics.MASKS, expected, DEADLINE);
        records.forEach(r -> out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value()));
        assertEquals(expected, records.size(), "mask events");
        return out;
    }
}
