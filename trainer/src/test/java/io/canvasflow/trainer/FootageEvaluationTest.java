package io.canvasflow.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.canvasflow.model.CostModel;
import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.schemas.FrameOrder;
import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.synthetic.LabeledFrame;
import io.canvasflow.synthetic.VideoSequence;
import io.canvasflow.topology.CanvasFlowConfig;
import io.canvasflow.trainer.data.ClassMapping;
import io.canvasflow.trainer.data.LabelledData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The seeded run on labelled footage: where it starts again from a zero canvas, as serve does. */
class FootageEvaluationTest {

    @Test
    void shouldStartTheSeededRunAgainFromZeroAfterACaptureTimeGapAsServeDoes() {
        // Given an untrained tiny model (3 iterations from zero) and a camera's 5 consecutive
        // frames, the 4th captured 3 s after the 3rd, more than serve's default gap of 2 s
        LabelledData data = oneCamera(11, new long[] {0, 40, 80, 3080, 3120});
        List<LabeledFrame> frames = data.sequences().get(0).frames();
        try (SegmentationModel model =
                SegmentationModel.initialize(EvaluationReportTest.tinySpec(), DeviceChoice.CPU)) {
            ClassMapping same = ModelClassMapping.of(model.spec(), data.classes(), null);

            // When it is scored with serve's default gap, and with no limit (serve's 0)
            FootageEvaluation gapped =
                    FootageEvaluation.run(model, data, same, 3, FrameOrder.DEFAULT_MAX_GAP_MS);
            FootageEvaluation whole = FootageEvaluation.run(model, data, same, 3, 0);

            // Then the 4th frame runs from zero, as serve's first frame after the gap: two of the
            // five frames at 3 iterations, the rest seeded at 2 (one at 3 without a limit)
            CostModel cost = model.cost();
            assertEquals(
                    (2 * cost.frameGflops(3) + 3 * cost.frameGflops(2)) / 5,
                    gapped.report().seeded().gflops(),
                    1e-9);
            assertEquals(
                    (cost.frameGflops(3) + 4 * cost.frameGflops(2)) / 5,
                    whole.report().seeded().gflops(),
                    1e-9);
            // and the seeded figure is that of the masks of the two runs
            ConfusionMatrix expected = new ConfusionMatrix(3);
            List<byte[]> masks = new ArrayList<>();
            masks.addAll(
                    Evaluator.seededMasks(
                            model, new VideoSequence("a", frames.subList(0, 3)), 3, 2));
            masks.addAll(
                    Evaluator.seededMasks(
                            model, new VideoSequence("b", frames.subList(3, 5)), 3, 2));
            for (int i = 0; i < 5; i++) {
                expected.add(masks.get(i), frames.get(i).labels());
            }
            assertEquals(expected.meanIou(), gapped.report().seeded().miou(), 1e-12);
            // (four frames seeded without a limit, three with the gap)
            assertEquals(List.of(3, 4), List.of(gapped.seededFrames(), whole.seededFrames()));
            // and the report says how many gaps started it again, and over what
            assertEquals(1, gapped.lineage().get("seededResets"));
            assertEquals(2000L, gapped.lineage().get("maxGapMs"));
            assertFalse(whole.lineage().containsKey("seededResets"), whole.lineage().toString());
            // while the zero-canvas curve, frame by frame, is the same either way
            assertEquals(
                    whole.report().zeroMiou(3), gapped.report().zeroMiou(3), 1e-12, "zero-3 mIoU");
        }
    }

    @Test
    void shouldGivePhotosNoSeededOrFlickerFigures() {
        // Given three photos, each its own one-frame sequence (a VOC folder, unrelated labelme
        // photos)
        Random random = new Random(5);
        List<VideoSequence> photos = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) {
            photos.add(
                    new VideoSequence(
                            id, List.of(EvaluationReportTest.randomFrame(64, 48, random))));
        }
        LabelledData data =
                new LabelledData(
                        ClassTable.withVocPalette(EvaluationReportTest.CLASSES),
                        photos,
                        "photos",
                        Map.of());
        try (SegmentationModel model =
                SegmentationModel.initialize(EvaluationReportTest.tinySpec(), DeviceChoice.CPU)) {
            // When they are scored
            FootageEvaluation result =
                    FootageEvaluation.run(
                            model,
                            data,
                            ModelClassMapping.of(model.spec(), data.classes(), null),
                            3,
                            FrameOrder.DEFAULT_MAX_GAP_MS);
            // Then the table says that nothing was seeded, instead of a "seeded from the previous
            // frame" row that repeated the zero-canvas one, a ratio of 1 and a flicker of NaN
            String md = result.markdown();
            assertEquals(0, result.seededFrames());
            assertFalse(md.contains("seeded from the previous frame"), md);
            assertFalse(md.contains("Flicker"), md);
            assertTrue(
                    md.endsWith(
                            " |\n\nNo frame here was seeded from the one before it (these are"
                                    + " photos, not a sequence, or frames apart), so there is no"
                                    + " seeded or flicker figure\n"),
                    md);
            // and the JSON has them as not measured
            JsonObject json = JsonParser.parseString(result.json()).getAsJsonObject();
            assertEquals(0, json.get("seededFrames").getAsInt());
            for (String key :
                    List.of(
                            "seededOverZeroCanvas",
                            "flickerSeededMasks",
                            "flickerLabels",
                            "flickerLabelsWhereLabelled")) {
                assertTrue(json.get(key).isJsonNull(), key + ": " + json);
            }
            assertTrue(json.getAsJsonObject("figures").get("seeded").isJsonNull(), json.toString());
        }
    }

    @Test
    void shouldNameTheZeroCanvasRunItsSeededRatioDividesByWhenItIsShortOfTheReference() {
        // Given an untrained tiny model (3 iterations from zero, its reference) and a camera's 4
        // consecutive frames
        LabelledData data = oneCamera(3, new long[] {0, 40, 80, 120});
        try (SegmentationModel model =
                SegmentationModel.initialize(EvaluationReportTest.tinySpec(), DeviceChoice.CPU)) {
            ClassMapping same = ModelClassMapping.of(model.spec(), data.classes(), null);
            // When it is scored with 2 iterations at most, and with its 3
            FootageEvaluation shortRun = FootageEvaluation.run(model, data, same, 2, 0);
            FootageEvaluation full = FootageEvaluation.run(model, data, same, 3, 0);
            // Then the ratio's line names zero-2 and says the reference, zero-3, was not measured
            assertEquals(
                    String.format(
                            Locale.ROOT,
                            "Seeded 2 iterations / zero canvas 2: %.3f (over zero canvas 2, the"
                                    + " most run: the reference, zero canvas 3, what the model runs"
                                    + " from zero, is not measured)",
                            shortRun.seededRatio()),
                    ratioLine(shortRun.markdown()));
            assertEquals(
                    String.format(
                            Locale.ROOT,
                            "Seeded 2 iterations / zero canvas 3: %.3f",
                            full.seededRatio()),
                    ratioLine(full.markdown()));
            // and the JSON gives the zero-N it divides by beside the ratio, and the reference
            assertEquals(List.of(2, 3), zeroAndReference(shortRun));
            assertEquals(List.of(3, 3), zeroAndReference(full));
        }
    }

    private static String ratioLine(String markdown) {
        return markdown.lines().filter(l -> l.startsWith("Seeded ")).findFirst().orElseThrow();
    }

    private static List<Integer> zeroAndReference(FootageEvaluation e) {
        JsonObject json = JsonParser.parseString(e.json()).getAsJsonObject();
        return List.of(
                json.get("zeroIterations").getAsInt(), json.get("referenceIterations").getAsInt());
    }

    @Test
    void shouldRefuseAFeedForwardModelWhichHasNoIterationsToScore() {
        // Given an untrained tiny feed-forward model, whose head ignores the canvas, and a
        // camera's 3 consecutive frames
        LabelledData data = oneCamera(7, new long[] {0, 40, 80});
        try (SegmentationModel model =
                SegmentationModel.initialize(
                        EvaluationReportTest.tinyFeedForwardSpec(), DeviceChoice.CPU)) {
            ClassMapping same = ModelClassMapping.of(model.spec(), data.classes(), null);
            // When it is scored
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> FootageEvaluation.run(model, data, same, 3, 0));
            // Then it is refused in one sentence, instead of a curve of the same pass charged
            // 1..3 times and a seeded ratio of 1 by default
            assertEquals(
                    "model "
                            + model.spec().version()
                            + " is a feed-forward model, which runs one pass a frame and has no"
                            + " iterations to evaluate; score a recurrent model (a feed-forward"
                            + " model is scored only as the baseline, on the synthetic test"
                            + " split)",
                    e.getMessage());
        }
    }

    @Test
    void shouldDefaultToServesGap() {
        // Then evaluate's default --max-gap-ms is serve's canvas.max.gap.ms default (one constant,
        // in schemas' FrameOrder, which both read)
        assertEquals(CanvasFlowConfig.defaults().maxGapMs(), FrameOrder.DEFAULT_MAX_GAP_MS);
    }

    /** One camera's consecutive random 64x48 frames, captured at these times (ms). */
    private static LabelledData oneCamera(long seed, long[] captures) {
        Random random = new Random(seed);
        List<LabeledFrame> frames = new ArrayList<>();
        for (int i = 0; i < captures.length; i++) {
            frames.add(EvaluationReportTest.randomFrame(64, 48, random));
        }
        return new LabelledData(
                ClassTable.withVocPalette(EvaluationReportTest.CLASSES),
                List.of(new VideoSequence("cam:0", frames)),
                "test",
                Map.of(),
                List.of(captures));
    }
}
