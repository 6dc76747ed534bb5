package io.canvasflow.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.awt.image.BufferedImage;
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
    void shouldScoreAFeedForwardModelAsItsOnePassAFrame() {
        // Given an untrained tiny feed-forward model, whose head ignores the canvas, and a
        // camera's 3 consecutive frames whose right half stands still
        List<LabeledFrame> frames = halfStill(7, 3);
        LabelledData data =
                new LabelledData(
                        ClassTable.withVocPalette(EvaluationReportTest.CLASSES),
                        List.of(new VideoSequence("cam:0", frames)),
                        "test",
                        Map.of());
        try (SegmentationModel model =
                SegmentationModel.initialize(
                        EvaluationReportTest.tinyFeedForwardSpec(), DeviceChoice.CPU)) {
            ClassMapping same = ModelClassMapping.of(model.spec(), data.classes(), null);
            // When it is scored (it was refused: no recurrent model, no score)
            FootageEvaluation result = FootageEvaluation.run(model, data, same, 3, 0);
            // Then its one figure is its masks' score, one pass a frame, with no curve or seeded
            // figure, and the flicker is of those masks
            List<byte[]> masks = onePassMasks(model, frames);
            ConfusionMatrix expected = new ConfusionMatrix(3);
            for (int i = 0; i < frames.size(); i++) {
                expected.add(masks.get(i), frames.get(i).labels());
            }
            List<byte[]> labels = frames.stream().map(LabeledFrame::labels).toList();
            double[] iou = expected.iou();
            assertEquals(
                    String.format(
                            Locale.ROOT,
                            "# CanvasFlow evaluation on labelled footage%n%n"
                                    + "- Model: `v-test`, feed-forward: one pass a frame%n"
                                    + "- Data: test, 3 frames%n"
                                    + "- Score: mIoU%n%n"
                                    + "| run | iterations | mIoU | IoU sky | IoU road | IoU car |%n"
                                    + "|---|---:|---:|---:|---:|---:|%n"
                                    + "| one pass (feed-forward) | 1 | %.4f | %.4f | %.4f | %.4f"
                                    + " |%n%n"
                                    + "A feed-forward model runs one pass a frame and reads no"
                                    + " canvas, so the zero-canvas curve, the seeded row and the"
                                    + " seeded / zero canvas ratio do not apply%n%n"
                                    + "Flicker (share of static pixels whose label changes between"
                                    + " consecutive frames): masks %.4f, labels %.4f (%.4f on"
                                    + " pixels labelled in both frames)%n",
                            expected.meanIou(),
                            iou[0],
                            iou[1],
                            iou[2],
                            Flicker.count(frames, masks, false).share(),
                            Flicker.count(frames, labels, false).share(),
                            Flicker.count(frames, labels, true).share()),
                    result.markdown());
            // and the JSON says what it is, with the figures that do not apply not measured
            JsonObject json = JsonParser.parseString(result.json()).getAsJsonObject();
            assertEquals("feed-forward", json.get("modelType").getAsString());
            assertEquals(
                    expected.meanIou(),
                    json.getAsJsonObject("figures")
                            .getAsJsonObject("feedForward")
                            .get("miou")
                            .getAsDouble(),
                    1e-12);
            assertEquals(
                    Flicker.count(frames, masks, false).share(),
                    json.get("flickerOnePassMasks").getAsDouble(),
                    1e-12);
            for (String key :
                    List.of(
                            "seededOverZeroCanvas",
                            "zeroIterations",
                            "referenceIterations",
                            "flickerSeededMasks")) {
                assertTrue(json.get(key).isJsonNull(), key + ": " + json);
            }
            JsonObject figures = json.getAsJsonObject("figures");
            assertEquals(
                    "[] null []",
                    figures.get("zeroCanvas")
                            + " "
                            + figures.get("seeded")
                            + " "
                            + figures.get("wrongSeed"));
        }
    }

    @Test
    void shouldGiveAFeedForwardModelsPhotosNoFlickerFigure() {
        // Given an untrained tiny feed-forward model and two photos, each its own sequence
        Random random = new Random(9);
        LabelledData photos =
                new LabelledData(
                        ClassTable.withVocPalette(EvaluationReportTest.CLASSES),
                        List.of(
                                new VideoSequence(
                                        "a",
                                        List.of(EvaluationReportTest.randomFrame(64, 48, random))),
                                new VideoSequence(
                                        "b",
                                        List.of(EvaluationReportTest.randomFrame(64, 48, random)))),
                        "photos",
                        Map.of());
        try (SegmentationModel model =
                SegmentationModel.initialize(
                        EvaluationReportTest.tinyFeedForwardSpec(), DeviceChoice.CPU)) {
            // When they are scored
            FootageEvaluation result =
                    FootageEvaluation.run(
                            model,
                            photos,
                            ModelClassMapping.of(model.spec(), photos.classes(), null),
                            3,
                            0);
            // Then the table ends saying why there is no flicker figure, and the JSON has none
            String md = result.markdown();
            assertTrue(
                    md.endsWith(
                            " do not apply; no frame here follows another (these are photos, not"
                                    + " a sequence), so there is no flicker figure\n"),
                    md);
            JsonObject json = JsonParser.parseString(result.json()).getAsJsonObject();
            for (String key : List.of("flickerOnePassMasks", "flickerLabels")) {
                assertTrue(json.get(key).isJsonNull(), key + ": " + json);
            }
        }
    }

    /**
     * {@code count} frames of random pixels labelled as {@link EvaluationReportTest#randomFrame},
     * whose right half is the same in each (static pixels, which flicker is measured on) and whose
     * left half changes.
     */
    private static List<LabeledFrame> halfStill(long seed, int count) {
        Random random = new Random(seed);
        LabeledFrame still = EvaluationReportTest.randomFrame(64, 48, random);
        List<LabeledFrame> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 64; x++) {
                    image.setRGB(
                            x, y, x < 32 ? random.nextInt(0x1000000) : still.image().getRGB(x, y));
                }
            }
            frames.add(new LabeledFrame(image, still.labels()));
        }
        return frames;
    }

    /** Each frame's mask from the model's one pass, alone. */
    private static List<byte[]> onePassMasks(SegmentationModel model, List<LabeledFrame> frames) {
        List<byte[]> masks = new ArrayList<>();
        for (LabeledFrame frame : frames) {
            masks.addAll(
                    Evaluator.seededMasks(model, new VideoSequence("one", List.of(frame)), 1, 1));
        }
        return masks;
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
