package io.canvasflow.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.model.Architecture;
import io.canvasflow.model.ModelType;
import io.canvasflow.model.SegmentationModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CanvasTrainerTest {

    @TempDir Path dir;

    private static TrainingOptions tiny(ModelType type, int steps, double videoFraction, Path out) {
        return tiny(type, steps, videoFraction, out, 3, null);
    }

    /** Tiny options on clips of {@code clipFrames}, starting from {@code init} unless null. */
    private static TrainingOptions tiny(
            ModelType type, int steps, double videoFraction, Path out, int clipFrames, Path init) {
        return TrainingOptions.builder()
                .setOutput(out)
                .optType(type)
                .optArchitecture(Architecture.tiny())
                .optModelId("test-model")
                .optIterations(3, 2)
                .optVideo(videoFraction, clipFrames, 0.5)
                .optBatchSize(2)
                .optCrop(64, 64)
                .optFrame(64, 64)
                .optSchedule(steps, 0.5f, 0.9f, 0f)
                .optSeed(7L)
                .optCheckpoints(0, false)
                .optInit(init)
                .build();
    }

    private static CanvasTrainer.Result train(TrainingOptions options) throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // two batches of two 64x64 frames, cycled
        TrainingData data = new SyntheticTrainingData(64, 64, options.seed()).limitedTo(4);
        return CanvasTrainer.train(
                options,
                data,
                TrainCommand.classInfos(io.canvasflow.synthetic.ClassTable.SYNTHETIC),
                new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @Test
    void shouldLowerTheLossOnAFixedSeed() throws IOException {
        // Given two fixed batches of 64x64 synthetic frames, trained on repeatedly
        TrainingOptions options = tiny(ModelType.RECURRENT, 60, 0, dir.resolve("rnn"));

        // When
        CanvasTrainer.Result result = train(options);

        // Then the loss of the last logged window is well below the first
        List<Double> losses = result.losses();
        assertTrue(losses.size() >= 2, "losses: " + losses);
        assertTrue(
                losses.get(losses.size() - 1) < 0.8 * losses.get(0),
                "loss did not fall: " + losses);
    }

    @Test
    void shouldRunTheVideoPhaseAndWriteALoadableModel() throws IOException {
        TrainingOptions options = tiny(ModelType.RECURRENT, 2, 1.0, dir.resolve("video"));

        CanvasTrainer.Result result = train(options);

        assertEquals(2, result.steps());
        try (SegmentationModel model = SegmentationModel.load(dir.resolve("video"))) {
            assertEquals(result.spec().version(), model.spec().version());
            assertEquals(6, model.spec().numClasses());
            assertEquals(3, model.spec().training().iterationsTrained());
        }
    }

    @Test
    void shouldFineTuneAModelOnClipsOfThreeFrames() throws IOException {
        // Given a trained tiny model
        CanvasTrainer.Result base = train(tiny(ModelType.RECURRENT, 2, 0, dir.resolve("base")));
        TrainingOptions tune =
                tiny(ModelType.RECURRENT, 2, 1.0, dir.resolve("tuned"), 3, dir.resolve("base"));

        // When it is fine-tuned on chained clips
        CanvasTrainer.Result tuned = train(tune);

        // Then the new model records where it came from, and its weights moved
        assertEquals(base.spec().version(), tuned.spec().metrics().get("fineTunedFrom"));
        assertEquals(3, ((Number) tuned.spec().metrics().get("clipFrames")).intValue());
        assertEquals(2, ((Number) tuned.spec().metrics().get("seededIterations")).intValue());
        // (the base model ran no clip, so no seeded iteration either)
        assertFalse(base.spec().metrics().containsKey("seededIterations"));
        assertTrue(
                !base.spec().parameters().sha256().equals(tuned.spec().parameters().sha256()),
                "fine-tuning left the weights unchanged");
        assertTrue(Double.isFinite(tuned.losses().get(tuned.losses().size() - 1)));
    }

    @Test
    void shouldRefuseAClipOfOneFrame() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> tiny(ModelType.RECURRENT, 2, 1.0, dir.resolve("x"), 1, null));
        assertTrue(e.getMessage().contains("at least 2 frames"), e.getMessage());
    }

    @Test
    void shouldStopBetweenStepsWhenAskedAndLeaveACheckpointThatResumes() throws IOException {
        // Given a run asked to stop when it is about to take its third step
        int[] asked = {0};
        Path out = dir.resolve("stopped");
        TrainingOptions options = tenSteps(out, false, () -> ++asked[0] > 2);

        // When it trains
        CanvasTrainer.Stopped stopped =
                assertThrows(CanvasTrainer.Stopped.class, () -> train(options));

        // Then it stopped there, with a checkpoint of two steps and no model
        assertEquals(
                "stopped before step 2; the checkpoint at "
                        + out.resolve("checkpoint")
                        + " resumes it (--resume)",
                stopped.getMessage());
        assertTrue(Files.exists(out.resolve("checkpoint").resolve("model.json")));
        assertFalse(Files.exists(out.resolve("model.json")));

        // And the same run with --resume trains the eight steps left and writes the model
        CanvasTrainer.Result resumed = train(tenSteps(out, true, () -> false));
        assertTrue(Files.exists(out.resolve("model.json")));
        assertEquals(8, resumed.steps());
    }

    private static TrainingOptions tenSteps(Path out, boolean resume, BooleanSupplier stop) {
        return TrainingOptions.builder()
                .setOutput(out)
                .optType(ModelType.FEED_FORWARD)
                .optArchitecture(Architecture.tiny())
                .optModelId("test-model")
                .optBatchSize(2)
                .optCrop(64, 64)
                .optFrame(64, 64)
                .optSchedule(10, 0.5f, 0.9f, 0f)
                .optSeed(7L)
                .optCheckpoints(0, resume)
                .optStopRequested(stop)
                .build();
    }

    @Test
    void shouldBeDeterministicForASeed() throws IOException {
        CanvasTrainer.Result a = train(tiny(ModelType.FEED_FORWARD, 2, 0, dir.resolve("a")));
        CanvasTrainer.Result b = train(tiny(ModelType.FEED_FORWARD, 2, 0, dir.resolve("b")));

        assertEquals(a.spec().parameters().sha256(), b.spec().parameters().sha256());
    }
}
