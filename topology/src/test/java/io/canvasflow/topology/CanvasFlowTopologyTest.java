package io.canvasflow.topology;

import static io.canvasflow.topology.TestFrames.T0;
import static io.canvasflow.topology.TestFrames.jpeg;
import static io.canvasflow.topology.TopologyHarness.Seen.reset;
import static io.canvasflow.topology.TopologyHarness.Seen.seeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentRequest;
import io.canvasflow.model.SegmentationResult;
import io.canvasflow.schemas.avro.CanvasState;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ResetReason;
import io.canvasflow.testsupport.Bytes;
import io.canvasflow.testsupport.Frames;
import io.canvasflow.topology.TopologyHarness.Seen;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CanvasFlowTopologyTest {

    private static final int W = 64;
    private static final int H = 48;

    @TempDir Path stateDir;

    private TopologyHarness harness(Map<String, String> settings) {
        return new TopologyHarness(stateDir, settings);
    }

    private static ModelSpec spec() {
        return TestModel.source().spec();
    }

    @Test
    void shouldSegmentTheFirstFrameFromZeroWithTheFullIterations() throws Exception {
        try (TopologyHarness t = harness(Map.of())) {
            // Given a camera's first frame
            Frame first = jpeg("cam-1", 1, W, H);

            // When it is processed
            t.send(first);
            MaskEvent mask = t.masks.readValue();

            // Then six iterations ran from zero, and the event describes the frame and the model
            assertEquals(reset("cam-1", 1, 6, ResetReason.FIRST_FRAME), Seen.of(mask));
            assertEquals(
                    List.of(
                            "cam-1",
                            1L,
                            first.getCaptureTimestamp(),
                            first.getCaptureTimestamp().plusMillis(5),
                            5L,
                            spec().input().width(),
                            spec().input().height()),
                    List.of(
                            mask.getCameraId(),
                            mask.getSequence(),
                            mask.getCaptureTimestamp(),
                            mask.getProcessedTimestamp(),
                            mask.getEndToEndLatencyMillis(),
                            mask.getMaskWidth(),
                            mask.getMaskHeight()));
            assertEquals(
                    List.of(spec().modelId(), spec().version(), spec().classNames()),
                    List.of(mask.getModelId(), mask.getModelVersion(), mask.getClassNames()));
            BufferedImage png =
                    ImageIO.read(new ByteArrayInputStream(Bytes.of(mask.getClassMap())));
            // at the model's input size (mask.size=model, the default)
            assertEquals(
                    List.of(spec().input().width(), spec().input().height(), 8),
                    List.of(png.getWidth(), png.getHeight(), png.getColorModel().getPixelSize()));
            assertTrue(png.getColorModel() instanceof IndexColorModel);
            assertEquals(
                    1.0,
                    mask.getClassFractions().stream().mapToDouble(Float::doubleValue).sum(),
                    1e-4);
            assertEquals(1L, t.canvases.get("cam-1").getSequence());
        }
    }

    @Test
    void shouldSeedTheSecondFrameWithTheFirstFramesCanvas() {
        try (TopologyHarness t = harness(Map.of())) {
            // Given a camera whose first frame was segmented
            t.send(jpeg("cam-1", 1, W, H));
            CanvasState afterFirst = t.canvases.get("cam-1");

            // When its second frame arrives
            Frame second = jpeg("cam-1", 2, W, H);
            t.send(second);

            // Then two iterations ran seeded with exactly the stored canvas of the first frame
            List<Seen> seen = t.seen();
            SegmentationResult expected =
                    TestModel.source()
                            .segmenter()
                            .segment(
                                    SegmentRequest.builder()
                                            .setImage(
                                                    FrameDecoder.of(t.config)
                                                            .decode("cam-1", second))
                                            .optSeed(CanvasStates.canvas(afterFirst))
                                            .optIterations(2)
                                            .optOutputSize(W, H)
                                            .build());
            assertEquals(
                    List.of(reset("cam-1", 1, 6, ResetReason.FIRST_FRAME), seeded("cam-1", 2, 2)),
                    seen);
            assertEquals(
                    CanvasStates.of(second, spec(), expected.canvas()), t.canvases.get("cam-1"));
        }
    }

    @Test
    void shouldResetOnEveryKeyframe() {
        try (TopologyHarness t = harness(Map.of(CanvasFlowConfig.CANVAS_KEYFRAME_INTERVAL, "3"))) {
            for (long seq = 1; seq <= 4; seq++) {
                t.send(jpeg("cam-1", seq, W, H));
            }

            assertEquals(
                    List.of(
                            reset("cam-1", 1, 6, ResetReason.FIRST_FRAME),
                            seeded("cam-1", 2, 2),
                            reset("cam-1", 3, 6, ResetReason.KEYFRAME),
                            seeded("cam-1", 4, 2)),
                    t.seen());
        }
    }

    @Test
    void shouldResetAfterATimeGapLongerThanTheMaximum() {
        try (TopologyHarness t = harness(Map.of(CanvasFlowConfig.CANVAS_MAX_GAP_MS, "2000"))) {
            Frame first = jpeg("cam-1", 1, W, H);
            Frame resumed = jpeg("cam-1", 2, W, H);
            resumed.setCaptureTimestamp(first.getCaptureTimestamp().plusMillis(2001));

            t.send(first);
            t.send(resumed);

            assertSecondFrameReset(t, 6, ResetReason.TIME_GAP);
        }
    }

    @Test
    void shouldMakeMasksOfTheConfiguredSize() {
        for (Map.Entry<String, List<Integer>> c :
                Map.of("frame", List.of(W, H), "100x50", List.of(100, 50)).entrySet()) {
            try (TopologyHarness t = harness(Map.of("mask.size", c.getKey()))) {
                t.send(jpeg("cam-1", 1, W, H));

                MaskEvent mask = t.masks.readValue();

                assertEquals(
                        c.getValue(),
                        List.of(mask.getMaskWidth(), mask.getMaskHeight()),
                        c.getKey());
            }
        }
    }

    @Test
    void shouldResetWhenTheFrameSizeChanges() {
        try (TopologyHarness t = harness(Map.of("mask.size", "frame"))) {
            t.send(jpeg("cam-1", 1, W, H));
            t.send(jpeg("cam-1", 2, 80, 60));

            List<MaskEvent> masks = t.masks.readValuesToList();

            assertEquals(
                    List.of(
                            reset("cam-1", 1, 6, ResetReason.FIRST_FRAME),
                            reset("cam-1", 2, 6, ResetReason.FRAME_SIZE_CHANGE)),
                    masks.stream().map(Seen::of).toList());
            assertEquals(
                    List.of(80, 60),
                    List.of(masks.get(1).getMaskWidth(), masks.get(1).getMaskHeight()));
        }
    }

    /** Sends cam-1's first frame, then alters the canvas it stored; its mask is read away. */
    private static void storeAlteredCanvas(
            TopologyHarness t, UnaryOperator<CanvasState.Builder> change) {
        t.send(jpeg("cam-1", 1, W, H));
        t.canvases.put(
                "cam-1", change.apply(CanvasState.newBuilder(t.canvases.get("cam-1"))).build());
        t.masks.readValuesToList();
    }

    @Test
    void shouldResetWhenTheStoredCanvasIsFromAnotherModelVersion() {
        try (TopologyHarness t = harness(Map.of())) {
            // Given a stored canvas of the right shape written by an older model
            storeAlteredCanvas(t, c -> c.setModelVersion("rnn-older"));

            // When the next frame arrives
            t.send(jpeg("cam-1", 2, W, H));

            // Then it is not seeded with it
            assertEquals(List.of(reset("cam-1", 2, 6, ResetReason.MODEL_VERSION_CHANGE)), t.seen());
            assertEquals(spec().version(), t.canvases.get("cam-1").getModelVersion());
        }
    }

    @Test
    void shouldResetWhenTheStoredCanvasIsUnreadable() {
        try (TopologyHarness t = harness(Map.of())) {
            // Given a stored canvas whose logits are ten bytes instead of C x H x W float16s
            storeAlteredCanvas(t, c -> c.setLogits(ByteBuffer.wrap(new byte[10])));

            // When the next frame arrives
            t.send(jpeg("cam-1", 2, W, H));

            // Then it starts from zero and replaces the unreadable canvas
            assertEquals(List.of(reset("cam-1", 2, 6, ResetReason.STATE_UNREADABLE)), t.seen());
            CanvasState replaced = t.canvases.get("cam-1");
            assertEquals(
                    2
                            * replaced.getClasses()
                            * replaced.getCanvasHeight()
                            * replaced.getCanvasWidth(),
                    replaced.getLogits().remaining());
        }
    }

    @Test
    void shouldRecomputeFromZeroWhenTheSeededMaskShowsASceneCut() {
        // Given a scene-cut threshold of zero: any pixel changing class after seeding is a cut
        try (TopologyHarness t = harness(Map.of(CanvasFlowConfig.CANVAS_SCENE_CUT_FRACTION, "0"))) {
            t.send(jpeg("cam-1", 1, W, H));
            Frame cut =
                    Frames.frame(
                            "cam-1",
                            2,
                            T0.plusMillis(40),
                            W,
                            H,
                            ImageEncoding.PNG,
                            TestFrames.encode(TestFrames.stripes(W, H), "png"));

            // When a frame of a completely different scene follows
            t.send(cut);

            // Then the seeded run is thrown away and six iterations run from zero (2 + 6 in all)
            assertSecondFrameReset(t, 8, ResetReason.SCENE_CUT);
        }
    }

    @Test
    void shouldTimeEachStageOfASegmentedFrame() {
        try (TopologyHarness t = harness(Map.of())) {
            t.send(jpeg("cam-1", 1, W, H));
            t.send(jpeg("cam-1", 2, W, H));
            t.send(jpeg("cam-1", 2, W, H)); // a duplicate: no stages

            for (String stage : CanvasFlowMetrics.STAGES) {
                var timer =
                        t.metrics
                                .registry()
                                .find("canvasflow.frame.stage")
                                .tag("stage", stage)
                                .timer();
                // every record is deserialised, the duplicate too
                assertEquals(stage.equals("deserialise") ? 3 : 2, timer.count(), stage);
                assertTrue(timer.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) > 0, stage);
            }
        }
    }

    @Test
    void shouldDropDuplicateFramesAndCountThem() {
        try (TopologyHarness t = harness(Map.of())) {
            t.send(jpeg("cam-1", 1, W, H));
            t.send(jpeg("cam-1", 2, W, H));
            t.send(jpeg("cam-1", 2, W, H));

            assertEquals(
                    List.of(reset("cam-1", 1, 6, ResetReason.FIRST_FRAME), seeded("cam-1", 2, 2)),
                    t.seen());
            assertEquals(1.0, t.metrics.duplicates());
            assertEquals(
                    1.0,
                    t.metrics
                            .registry()
                            .find("canvasflow.camera.duplicates")
                            .tag("camera", "cam-1")
                            .counter()
                            .count());
        }
    }

    @Test
    void shouldStartANewRunWhenAPublisherRestartsItsSequenceMidStream() {
        try (TopologyHarness t = harness(Map.of())) {
            // Given a camera's first run, frames 1..5
            for (long seq = 1; seq <= 5; seq++) {
                t.send(jpeg("cam-1", seq, W, H));
            }
            // When its publisher restarts and counts from 0 again, with later capture times
            Instant later = TestFrames.T0.plusSeconds(10);
            for (long seq = 0; seq <= 4; seq++) {
                Frame f = jpeg("cam-1", seq, W, H);
                f.setCaptureTimestamp(later.plusMillis(40 * seq));
                t.send(f);
            }

            // Then every frame of the second run got exactly one mask: the first a new run from
            // zero, the rest seeded
            List<Seen> all = t.seen();
            List<Seen> second = all.subList(5, all.size());
            assertEquals(
                    List.of(
                            reset("cam-1", 0, 6, ResetReason.SEQUENCE_RESTART),
                            seeded("cam-1", 1, 2),
                            seeded("cam-1", 2, 2),
                            seeded("cam-1", 3, 2),
                            seeded("cam-1", 4, 2)),
                    second);
            assertEquals(4L, t.canvases.get("cam-1").getSequence());
        }
    }

    @Test
    void shouldSegmentAnOutOfOrderFrameWithoutReplacingTheNewerCanvas() {
        try (TopologyHarness t = harness(Map.of())) {
            // Given frames 1 and 3 were segmented
            t.send(jpeg("cam-1", 1, W, H));
            t.send(jpeg("cam-1", 3, W, H));
            CanvasState afterThree = t.canvases.get("cam-1");

            // When frame 2 arrives late
            t.send(jpeg("cam-1", 2, W, H));

            // Then it is segmented from zero and flagged, and the canvas of frame 3 stays
            assertEquals(
                    List.of(
                            reset("cam-1", 1, 6, ResetReason.FIRST_FRAME),
                            seeded("cam-1", 3, 2),
                            reset("cam-1", 2, 6, ResetReason.OUT_OF_ORDER)),
                    t.seen());
            assertEquals(afterThree, t.canvases.get("cam-1"));
        }
    }

    @Test
    void shouldRunFewerSeededIterationsWhenAFrameArrivesLaterThanTheBudget() {
        try (TopologyHarness t =
                harness(
                        Map.of(
                                CanvasFlowConfig.LATENCY_BUDGET_MS, "100",
                                CanvasFlowConfig.CANVAS_SEEDED_ITERATIONS, "3"))) {
            t.send(jpeg("cam-1", 1, W, H));
            t.send(jpeg("cam-1", 2, W, H), 50);
            t.send(jpeg("cam-1", 3, W, H), 250);

            assertEquals(
                    List.of(
                            reset("cam-1", 1, 6, ResetReason.FIRST_FRAME),
                            seeded("cam-1", 2, 3),
                            new Seen("cam-1", 3, 1, true, null, false, true)),
                    t.seen());
        }
    }

    @Test
    void shouldKeepSeparateCanvasesForInterleavedCameras() {
        try (TopologyHarness t = harness(Map.of())) {
            t.send(jpeg("cam-a", 1, W, H));
            t.send(jpeg("cam-b", 1, 80, 60));
            t.send(jpeg("cam-a", 2, W, H));
            t.send(jpeg("cam-b", 2, 80, 60));
            t.send(jpeg("cam-a", 3, W, H));

            assertEquals(
                    List.of(
                            reset("cam-a", 1, 6, ResetReason.FIRST_FRAME),
                            reset("cam-b", 1, 6, ResetReason.FIRST_FRAME),
                            seeded("cam-a", 2, 2),
                            seeded("cam-b", 2, 2),
                            seeded("cam-a", 3, 2)),
                    t.seen());
            assertEquals(
                    List.of(3L, W, 2L, 80),
                    List.of(
                            t.canvases.get("cam-a").getSequence(),
                            t.canvases.get("cam-a").getFrameWidth(),
                            t.canvases.get("cam-b").getSequence(),
                            t.canvases.get("cam-b").getFrameWidth()));
        }
    }

    /** The first frame of cam-1 ran from zero, and so did the second, for this reason. */
    private static void assertSecondFrameReset(
            TopologyHarness t, int iterations, ResetReason reason) {
        assertEquals(
                List.of(
                        reset("cam-1", 1, 6, ResetReason.FIRST_FRAME),
                        reset("cam-1", 2, iterations, reason)),
                t.seen());
    }
}
