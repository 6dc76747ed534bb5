package io.canvasflow.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.testsupport.CommandRun;
import io.canvasflow.trainer.label.LabelCommand;
import java.awt.Color;
import java.awt.Rectangle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on a tiny model: label a clip into a topic, specialise on its first frames, and
 * evaluate on the frames held out, which the model's lineage names.
 */
class SpecialiseFromTopicTest {

    @TempDir Path dir;

    @Test
    void shouldLabelSpecialiseAndEvaluateOnTheHeldOutFrames() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            String servers = kafka.bootstrapServers();
            // Given a clip of a square crossing a field, labelled by the motion teacher
            Path frames = clip(60);
            assertEquals(
                    0,
                    run(
                            new LabelCommand(),
                            "--source",
                            frames.toString(),
                            "--camera",
                            "gate",
                            "--warm-up",
                            "5",
                            "--min-area",
                            "20",
                            "--bootstrap-servers",
                            servers));
            // When a tiny model specialises on frames 0-44 and holds out 45-59
            Path model = dir.resolve("gate");
            assertEquals(
                    0,
                    trainTiny(
                            servers,
                            "gate",
                            "--frames",
                            "0-59",
                            "--holdout",
                            "45-59",
                            "--batch",
                            "2",
                            "--steps",
                            "6",
                            "--video-fraction",
                            "0.5",
                            "--clip-frames",
                            "3",
                            "--checkpoint-every",
                            "0",
                            "--output",
                            model.toString()));
            // Then its model.json records where its labels came from and what was held out
            ModelSpec spec = SegmentationModel.readSpec(model);
            assertEquals("canvasflow-rnn-gate", spec.modelId());
            assertEquals(List.of("background", "moving"), spec.classNames());
            Map<?, ?> lineage = (Map<?, ?>) spec.metrics().get("lineage");
            assertEquals("gate", lineage.get("camera"));
            assertEquals("45-59", lineage.get("heldOut"));
            assertEquals("5-44", lineage.get("sequenceRange"));
            assertTrue(((String) lineage.get("teacher")).startsWith("motion:mog2"));
            // And evaluate scores it on the 15 held-out frames, as agreement with the teacher
            Path report = dir.resolve("report");
            assertEquals(
                    0,
                    run(
                            new EvaluateCommand(),
                            "--model",
                            model.toString(),
                            "--data",
                            "topic:frames-labelled",
                            "--bootstrap-servers",
                            servers,
                            "--max-iterations",
                            "3",
                            "--max-gap-ms",
                            "1",
                            "--report",
                            report.toString()));
            String json = Files.readString(report.resolve("evaluation.json"));
            // (with the gap given, not serve's default)
            assertTrue(json.matches("(?s).*\"maxGapMs\"\\s*:\\s*1\\b.*"), json);
            assertTrue(json.contains("\"scoreIs\": \"agreement with the teacher\""), json);
            assertTrue(json.contains("\"frames\": 15"), json);
            assertTrue(Files.size(report.resolve("samples.png")) > 0);
            // (frames it was not trained on: no note)
            assertFalse(json.contains("scoredOn"), json);
            // And scored on frames it was trained on, the score is said to be its fit, on the
            // console and in evaluation.json (only a run without --range or held-out frames was)
            String recorded =
                    " frames (its model.json records topic:frames-labelled, camera gate, frames"
                            + " 5-44, held out 45-59), so this is ";
            assertScoredOn(
                    servers,
                    model,
                    "10-20",
                    "the model was trained on these" + recorded + "its fit, not a held-out score");
            // and on frames either side of the held-out line, how many it was trained on
            assertScoredOn(
                    servers,
                    model,
                    "40-50",
                    "the model was trained on 5 of these 11"
                            + recorded
                            + "partly its fit, not a held-out score");
            // And a camera the topic does not hold is one sentence and exit 2
            assertEquals(
                    2,
                    trainTiny(
                            servers,
                            "nope",
                            "--steps",
                            "1",
                            "--output",
                            dir.resolve("x").toString()));
        }
    }

    /** Evaluates {@code model} on {@code range} of the topic; checks the note and scoredOn. */
    private void assertScoredOn(String servers, Path model, String range, String note)
            throws Exception {
        Path report = dir.resolve("report-" + range);
        CommandRun run =
                CommandRun.of(
                        new EvaluateCommand(),
                        "--model",
                        model.toString(),
                        "--data",
                        "topic:frames-labelled",
                        "--range",
                        range,
                        "--bootstrap-servers",
                        servers,
                        "--max-iterations",
                        "3",
                        "--report",
                        report.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.errLines().contains("canvasflow evaluate: " + note), run.err());
        JsonObject lineage =
                JsonParser.parseString(Files.readString(report.resolve("evaluation.json")))
                        .getAsJsonObject()
                        .getAsJsonObject("lineage");
        assertEquals(note, lineage.get("scoredOn").getAsString(), lineage.toString());
    }

    private static int run(Object command, String... args) {
        return CommandRun.of(command, args).exit();
    }

    /** train on a camera's labelled frames in the topic: the tiny network, 64x48, 48x32 crops. */
    private static int trainTiny(String servers, String camera, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--data",
                                "topic:frames-labelled",
                                "--camera",
                                camera,
                                "--bootstrap-servers",
                                servers,
                                "--arch",
                                "tiny",
                                "--frame",
                                "64x48",
                                "--crop",
                                "48x32"));
        args.addAll(List.of(more));
        return run(new TrainCommand(), args.toArray(String[]::new));
    }

    /** A square crossing a field, again every 40 frames. */
    private Path clip(int count) {
        return SquareFootage.writePngs(
                dir.resolve("clip"),
                count,
                t ->
                        SquareFootage.frame(
                                64,
                                48,
                                new Color(70, 120, 60),
                                Color.WHITE,
                                new Rectangle(2 + (t % 40), 14, 12, 16)));
    }
}
