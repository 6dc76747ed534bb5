package io.canvasflow.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.canvasflow.model.Architecture;
import io.canvasflow.model.CostModel;
import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.ModelType;
import io.canvasflow.model.SegmentRequest;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.model.SegmentationResult;
import io.canvasflow.model.Segmenter;
import io.canvasflow.synthetic.LabeledFrame;
import io.canvasflow.synthetic.VideoSequence;
import io.canvasflow.trainer.EvaluateCommand.Evaluation;
import io.canvasflow.trainer.Evaluator.Point;
import io.canvasflow.trainer.Evaluator.Report;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EvaluationReportTest {

    static final List<String> CLASSES = List.of("sky", "road", "car");
    static final int[] COLORS = {0x4682B4, 0x804080, 0x00008E};

    /** mIoU split over two classes; the third never occurs (NaN), as ConfusionMatrix reports. */
    static Point point(int iterations, double miou, double pixelAccuracy, double gflops) {
        return new Point(
                iterations,
                miou,
                new double[] {miou + 0.08, miou - 0.08, Double.NaN},
                pixelAccuracy,
                gflops);
    }

    static List<Point> curve(double... mious) {
        List<Point> out = new ArrayList<>();
        for (int k = 1; k <= mious.length; k++) {
            out.add(point(k, mious[k - 1], 0.85 + 0.01 * k, 1.5 + 0.25 * k));
        }
        return out;
    }

    /** A report meeting every bar: zero-6 0.82, seeded 0.995 of it, wrong seed 0.96 of it. */
    static Report goodReport() {
        return new Report(
                160,
                curve(0.600, 0.700, 0.760, 0.790, 0.805, 0.820, 0.824, 0.826),
                6,
                point(2, 0.8159, 0.925, 2.0),
                2,
                curve(0.300, 0.7872, 0.810, 0.818),
                point(1, 0.700, 0.900, 5.5));
    }

    static Evaluation evaluation(Report report, Samples samples) {
        return new Evaluation("rnn-1a2b", "ff-3c4d", CLASSES, 16, 10, report, samples);
    }

    @Test
    void shouldTabulateTheCurvesAndPassEveryBarOfAGoodReport() {
        // Given
        Evaluation e = evaluation(goodReport(), null);

        // When
        List<String> lines = EvaluationReport.markdown(e).lines().toList();

        // Then
        List<String> expected =
                List.of(
                        "# CanvasFlow evaluation",
                        "- Model: `rnn-1a2b`",
                        "- Feed-forward baseline: `ff-3c4d`",
                        "- Data: synthetic test split, 16 sequences x 10 frames (160 frames)",
                        "- Reference (zero-6): zero canvas, 6 iterations, mIoU 0.8200",
                        "| Zero-canvas mIoU after 6 iterations | 0.8200 | >= 0.80 | PASS |",
                        "| Largest mIoU drop between consecutive iterations 1..6 | 0.000 | <= 0.005"
                                + " | PASS |",
                        "| Seeded video, 2 iterations / zero-canvas 6 | 0.995 | >= 0.99 | PASS |",
                        "| Wrong-class seed after 2 iterations / zero-canvas 6 | 0.960 | >= 0.95 |"
                                + " PASS |",
                        "**All bars pass** (4 of 4 pass).",
                        "| Iterations | mIoU | Pixel acc. | GFLOPs |",
                        "| 1 | 0.6000 | 0.8600 | 1.75 |",
                        "| 6 | 0.8200 | 0.9100 | 3.00 |",
                        "| 8 | 0.8260 | 0.9300 | 3.50 |",
                        "| Run | Iterations | mIoU | Pixel acc. | GFLOPs | mIoU / zero-6 |",
                        "| Zero canvas | 6 | 0.8200 | 0.9100 | 3.00 | 1.000 |",
                        "| Seeded video | 2 | 0.8159 | 0.9250 | 2.00 | 0.995 |",
                        "| Wrong-class seed | 1 | 0.3000 | 0.8600 | 1.75 | 0.366 |",
                        "| Wrong-class seed | 2 | 0.7872 | 0.8700 | 2.00 | 0.960 |",
                        "| Wrong-class seed | 4 | 0.8180 | 0.8900 | 2.50 | 0.998 |",
                        "| Feed-forward baseline | 1 | 0.7000 | 0.9000 | 5.50 | 0.854 |",
                        "| Run | sky | road | car |",
                        "|---|---:|---:|---:|",
                        "| Zero canvas, 6 iterations | 0.900 | 0.740 | n/a |",
                        "| Seeded video, 2 iterations | 0.896 | 0.736 | n/a |",
                        "| Feed-forward baseline | 0.780 | 0.620 | n/a |",
                        "![mIoU vs GFLOPs](miou_vs_gflops.png)");
        for (String line : expected) {
            assertTrue(
                    lines.contains(line),
                    () -> "missing line: " + line + "\n" + String.join("\n", lines));
        }
        assertFalse(lines.stream().anyMatch(l -> l.contains("samples.png")), "no samples, no grid");
    }

    @Test
    void shouldFailTheBarsOfADroppingCurveAndASlowRecovery() {
        // Given zero-6 falls 0.015 below zero-5, and the wrong seed reaches 0.70 after 2
        Report report =
                new Report(
                        160,
                        curve(0.600, 0.700, 0.760, 0.790, 0.805, 0.790),
                        6,
                        point(2, 0.8159, 0.925, 2.0),
                        2,
                        curve(0.300, 0.700),
                        null);

        // When
        String markdown = EvaluationReport.markdown(evaluation(report, null));

        // Then
        List<String> lines = markdown.lines().toList();
        for (String line :
                List.of(
                        "| Zero-canvas mIoU after 6 iterations | 0.7900 | >= 0.80 | FAIL |",
                        "| Largest mIoU drop between consecutive iterations 1..6 | 0.015 | <= 0.005"
                                + " | FAIL |",
                        "| Seeded video, 2 iterations / zero-canvas 6 | 1.033 | >= 0.99 | PASS |",
                        "| Wrong-class seed after 2 iterations / zero-canvas 6 | 0.886 | >= 0.95 |"
                                + " FAIL |",
                        "**Bars failed** (1 of 4 pass).")) {
            assertTrue(lines.contains(line), () -> "missing line: " + line + "\n" + markdown);
        }
        assertFalse(
                markdown.contains("Feed-forward baseline |"), "no baseline row without a baseline");
        assertFalse(EvaluationReport.allPass(report));
    }

    @Test
    void shouldFailRatherThanGuessWhenFewerThanSixIterationsWereRun() {
        // Given only 4 zero-canvas iterations
        Report report =
                new Report(
                        8,
                        curve(0.9, 0.9, 0.9, 0.9),
                        6,
                        point(2, 0.9, 0.9, 2),
                        2,
                        curve(0.9, 0.9),
                        null);

        // When
        List<EvaluationReport.Bar> bars = EvaluationReport.bars(report);

        // Then every bar is unmeasured and fails
        for (EvaluationReport.Bar bar : bars) {
            assertTrue(Double.isNaN(bar.value()), bar.key());
            assertFalse(bar.pass(), bar.key());
        }
        assertTrue(
                EvaluationReport.markdown(evaluation(report, null))
                        .lines()
                        .toList()
                        .contains(
                                "| Zero-canvas mIoU after 6 iterations | n/a | >= 0.80 | FAIL |"));
    }

    @Test
    void shouldWriteJsonThatParsesBackWithTheFiguresAndBarsAndNullForNaN() {
        // Given
        Evaluation e = evaluation(goodReport(), null);

        // When
        JsonObject json = JsonParser.parseString(EvaluationReport.json(e)).getAsJsonObject();

        // Then
        assertEquals("rnn-1a2b", json.get("modelVersion").getAsString());
        assertEquals("ff-3c4d", json.get("baselineVersion").getAsString());
        JsonObject data = json.getAsJsonObject("data");
        assertEquals(16, data.get("sequences").getAsInt());
        assertEquals(10, data.get("framesPerSequence").getAsInt());
        assertEquals(160, data.get("frames").getAsInt());
        assertEquals("test", data.get("split").getAsString());
        assertEquals(0.82, json.get("referenceMiou").getAsDouble(), 1e-12);

        JsonArray zero = json.getAsJsonArray("zeroCanvas");
        assertEquals(8, zero.size());
        JsonObject six = zero.get(5).getAsJsonObject();
        assertEquals(6, six.get("iterations").getAsInt());
        assertEquals(0.82, six.get("miou").getAsDouble(), 1e-12);
        assertEquals(0.91, six.get("pixelAccuracy").getAsDouble(), 1e-12);
        assertEquals(3.0, six.get("gflops").getAsDouble(), 1e-12);
        JsonObject perClass = six.getAsJsonObject("perClassIou");
        assertEquals(0.90, perClass.get("sky").getAsDouble(), 1e-12);
        assertEquals(0.74, perClass.get("road").getAsDouble(), 1e-12);
        assertTrue(perClass.get("car").isJsonNull(), "NaN IoU is written as null");

        assertEquals(0.8159, json.getAsJsonObject("seeded").get("miou").getAsDouble(), 1e-12);
        assertEquals(
                0.995,
                json.getAsJsonObject("seeded").get("miouRatioToReference").getAsDouble(),
                1e-9);
        assertEquals(4, json.getAsJsonArray("wrongSeed").size());
        assertEquals(0.7, json.getAsJsonObject("feedForward").get("miou").getAsDouble(), 1e-12);

        JsonObject bars = json.getAsJsonObject("bars");
        assertEquals(
                0.82, bars.getAsJsonObject("zeroCanvasMiou").get("value").getAsDouble(), 1e-12);
        assertEquals(
                0.80, bars.getAsJsonObject("zeroCanvasMiou").get("threshold").getAsDouble(), 0);
        assertEquals(">= 0.80", bars.getAsJsonObject("zeroCanvasMiou").get("target").getAsString());
        assertEquals(0.0, bars.getAsJsonObject("curveMonotone").get("value").getAsDouble(), 1e-12);
        assertEquals(0.995, bars.getAsJsonObject("seededRatio").get("value").getAsDouble(), 1e-9);
        assertEquals(0.96, bars.getAsJsonObject("wrongSeedRatio").get("value").getAsDouble(), 1e-9);
        for (String key :
                List.of("zeroCanvasMiou", "curveMonotone", "seededRatio", "wrongSeedRatio")) {
            assertTrue(bars.getAsJsonObject(key).get("pass").getAsBoolean(), key);
        }
        assertTrue(bars.get("allPass").getAsBoolean());
    }

    @Test
    void shouldCompareWithTheModelsOwnFullIterationCount() {
        // Given a model trained with 3 iterations, which serve runs 3 from zero, evaluated to 5
        Report report =
                new Report(
                        8,
                        curve(0.60, 0.70, 0.80, 0.81, 0.82),
                        3,
                        point(2, 0.79, 0.9, 2),
                        2,
                        List.of(),
                        null);

        // Then the reference is zero-3, not zero-6 (which this curve does not even reach)
        assertEquals(0.80, EvaluationReport.referenceMiou(report), 1e-12);
        List<EvaluationReport.Bar> bars = EvaluationReport.bars(report);
        assertEquals("Zero-canvas mIoU after 3 iterations", bars.get(0).description());
        assertEquals(0.79 / 0.80, bars.get(2).value(), 1e-12);
        String markdown = EvaluationReport.markdown(evaluation(report, null));
        assertTrue(markdown.contains("runs 3 iterations from a zero canvas"), markdown);
        assertTrue(markdown.contains("mIoU / zero-3"), markdown);
    }

    @Test
    void shouldWriteNullsForAMissingBaselineAndUnmeasuredBars() {
        // Given
        Report report = new Report(8, curve(0.5, 0.6), 6, null, 2, List.of(), null);

        // When
        JsonObject json =
                JsonParser.parseString(EvaluationReport.json(evaluation(report, null)))
                        .getAsJsonObject();

        // Then
        assertTrue(json.get("feedForward").isJsonNull());
        assertTrue(json.get("seeded").isJsonNull());
        assertTrue(json.get("referenceMiou").isJsonNull());
        assertTrue(
                json.getAsJsonObject("bars")
                        .getAsJsonObject("seededRatio")
                        .get("value")
                        .isJsonNull());
        assertFalse(json.getAsJsonObject("bars").get("allPass").getAsBoolean());
    }

    @Test
    void shouldSampleFramesSpreadOverSequencesWithAMaskPerIteration() {
        // Given an untrained tiny recurrent model and 3 sequences of 4 frames of 72x50
        ModelSpec spec = tinySpec();
        List<VideoSequence> test = new ArrayList<>();
        Random random = new Random(5);
        for (int s = 0; s < 3; s++) {
            List<LabeledFrame> frames = new ArrayList<>();
            for (int f = 0; f < 4; f++) {
                frames.add(randomFrame(72, 50, random));
            }
            test.add(new VideoSequence("seq-" + s, frames));
        }
        try (SegmentationModel model = SegmentationModel.initialize(spec, DeviceChoice.CPU)) {
            // When
            Samples samples = Samples.of(model, test, 3, 3);

            // Then the first, a middle and the last frame are picked
            assertEquals(
                    List.of("seq-0", "seq-1", "seq-2"),
                    samples.frames().stream().map(Samples.Sample::sequenceId).toList());
            assertEquals(
                    List.of(0, 2, 3),
                    samples.frames().stream().map(Samples.Sample::frameIndex).toList());
            assertEquals(CLASSES, samples.classNames());
            assertArrayEquals(COLORS, samples.classColors());
            Samples.Sample last = samples.frames().get(2);
            assertArrayEquals(test.get(2).frame(3).labels(), last.labels());
            assertEquals(3, last.masks().size());
            // and the last mask is the Segmenter's own mask of that frame
            try (Segmenter segmenter = model.newSegmenter()) {
                SegmentationResult result =
                        segmenter.segment(
                                SegmentRequest.builder()
                                        .setImage(test.get(2).frame(3).image())
                                        .optIterations(3)
                                        .build());
                assertArrayEquals(result.map().indices(), last.masks().get(2));
            }
        }
    }

    @Test
    void shouldReportTheSeededGflopsAsTheMeanOverFirstAndSeededFrames() {
        // Given an untrained tiny model (3 iterations from zero) and sequences of 1, 4, 0 and 3
        // frames: 3 first frames and 5 seeded ones
        Random random = new Random(3);
        List<VideoSequence> sequences = new ArrayList<>();
        for (int size : new int[] {1, 4, 0, 3}) {
            List<LabeledFrame> frames = new ArrayList<>();
            for (int f = 0; f < size; f++) {
                frames.add(randomFrame(64, 48, random));
            }
            sequences.add(new VideoSequence("seq-" + sequences.size(), frames));
        }
        try (SegmentationModel model = SegmentationModel.initialize(tinySpec(), DeviceChoice.CPU)) {
            // When it is evaluated with a curve of 2 iterations (short of its 3) and 1 seeded
            Report report = Evaluator.evaluate(model, null, sequences, 2, 3, 1, 1, 8);

            // Then the seeded row's GFLOPs are the mean per frame: each first frame at the 2
            // iterations the curve reaches, as serve runs a camera's first frame, the rest at 1
            CostModel cost = model.cost();
            assertEquals(8, report.frames());
            assertEquals(1, report.seeded().iterations());
            assertEquals(
                    (3 * cost.frameGflops(2) + 5 * cost.frameGflops(1)) / 8,
                    report.seeded().gflops(),
                    1e-12);
            // and the zero-canvas points cost their own iterations
            assertEquals(cost.frameGflops(2), report.zeroCanvas().get(1).gflops(), 1e-12);
        }
    }

    /** An untrained tiny recurrent model's spec: 64x48 input, {@link #CLASSES}, 3 iterations. */
    static ModelSpec tinySpec() {
        return new ModelSpec(
                ModelSpec.FORMAT_VERSION,
                "test-rnn",
                "v-test",
                new ModelSpec.Network(ModelType.RECURRENT, Architecture.tiny()),
                List.of(
                        new ModelSpec.ClassInfo("sky", "#4682B4"),
                        new ModelSpec.ClassInfo("road", "#804080"),
                        new ModelSpec.ClassInfo("car", "#00008E")),
                new ModelSpec.InputSpec(
                        64,
                        48,
                        new float[] {0.45f, 0.45f, 0.45f},
                        new float[] {0.25f, 0.25f, 0.25f}),
                new ModelSpec.Training(3, "test", Map.of(), "2024-01-01T00:00:00Z"),
                null);
    }

    /** {@link #tinySpec()} as an untrained tiny feed-forward model (one pass, 0 iterations). */
    static ModelSpec tinyFeedForwardSpec() {
        ModelSpec rnn = tinySpec();
        return new ModelSpec(
                rnn.formatVersion(),
                "test-ff",
                rnn.version(),
                new ModelSpec.Network(ModelType.FEED_FORWARD, Architecture.tiny()),
                rnn.classes(),
                rnn.input(),
                new ModelSpec.Training(0, "test", Map.of(), "2024-01-01T00:00:00Z"),
                null);
    }

    /** A frame of random pixels labelled sky above, road left and car right below. */
    static LabeledFrame randomFrame(int w, int h, Random random) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        byte[] labels = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
                labels[y * w + x] = (byte) (y < h / 3 ? 0 : x < w / 2 ? 1 : 2);
            }
        }
        Arrays.fill(labels, 0, 5, (byte) 255);
        return new LabeledFrame(image, labels);
    }
}
