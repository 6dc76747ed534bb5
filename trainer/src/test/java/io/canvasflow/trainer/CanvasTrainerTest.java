package io.canvasflow.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.canvasflow.model.Architecture;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.ModelType;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.synthetic.LabeledFrame;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
        return train(options, CanvasTrainer.FineTuning.none());
    }

    private static CanvasTrainer.Result train(
            TrainingOptions options, CanvasTrainer.FineTuning fineTuning) throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // two batches of two 64x64 frames, cycled
        TrainingData data = new SyntheticTrainingData(64, 64, options.seed()).limitedTo(4);
        return CanvasTrainer.train(
                options,
                data,
                TrainCommand.classInfos(io.canvasflow.synthetic.ClassTable.SYNTHETIC),
                fineTuning,
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

    @Test
    void shouldRemoveWhatAKilledSaveLeftBeforeTheFirstStep() throws IOException {
        // Given a stopped run's output folder, and in it and in its checkpoint folder the staging
        // folder of a save killed two minutes ago (each stayed until the next run's first save)
        Path out = dir.resolve("killed");
        int[] asked = {0};
        assertThrows(
                CanvasTrainer.Stopped.class,
                () -> train(tenSteps(out, false, () -> ++asked[0] > 2)));
        List<String> checkpointFiles = names(out.resolve("checkpoint"));
        Path leftover = Files.createDirectories(out.resolve(".saving-1"));
        Path checkpointLeftover = Files.createDirectories(out.resolve("checkpoint/.saving-2"));
        Files.write(leftover.resolve(SegmentationModel.PARAMETERS_FILE), new byte[] {1});
        Files.write(checkpointLeftover.resolve(SegmentationModel.PARAMETERS_FILE), new byte[] {2});
        ageTwoMinutes(leftover);
        ageTwoMinutes(checkpointLeftover);

        // When the run is resumed and stopped before its first step, saving nothing
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream testErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThrows(CanvasTrainer.Stopped.class, () -> train(tenSteps(out, true, () -> true)));
        } finally {
            System.setErr(testErr);
        }

        // Then both are gone, and one INFO line said so
        assertEquals(
                List.of(List.of("checkpoint"), checkpointFiles),
                List.of(names(out), names(out.resolve("checkpoint"))));
        assertEquals(
                List.of(
                        "INFO "
                                + CanvasTrainer.class.getName()
                                + " - Removed "
                                + List.of(leftover, checkpointLeftover)
                                + ", left by a save that did not finish"),
                err.toString(StandardCharsets.UTF_8)
                        .lines()
                        .filter(l -> l.contains("Removed"))
                        .map(l -> l.replaceFirst("^[0-9]* *\\[[^]]*\\] ", ""))
                        .toList());
    }

    @Test
    void shouldRefuseAnInitModelOfTheOtherTypeInTheCommandsSentence() throws IOException {
        // Given a feed-forward model
        Path ff = dir.resolve("ff");
        train(tiny(ModelType.FEED_FORWARD, 1, 0, ff));

        // When a Java caller fine-tunes it as a recurrent model
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> train(tiny(ModelType.RECURRENT, 1, 0, dir.resolve("x"), 2, ff)));

        // Then it hears train's sentence, which says what to do (it said "holds a FEED_FORWARD
        // model, not RECURRENT")
        assertEquals(
                "--init "
                        + ff
                        + " holds a feed-forward (ff) model but --type is rnn; give --type ff or a"
                        + " recurrent (rnn) model",
                e.getMessage());
    }

    private static void ageTwoMinutes(Path folder) throws IOException {
        java.nio.file.attribute.FileTime then =
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(120));
        try (java.util.stream.Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.toList()) {
                Files.setLastModifiedTime(p, then);
            }
        }
    }

    private static List<String> names(Path folder) throws IOException {
        try (java.util.stream.Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
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

    @Test
    void shouldRecordTheIterationsAFineTuningRunTrainedWith() throws IOException {
        // Given a tiny model trained at 3 iterations from zero
        train(tiny(ModelType.RECURRENT, 1, 0, dir.resolve("base"), 2, null));
        TrainingOptions four =
                tiny(ModelType.RECURRENT, 2, 0.5, dir.resolve("tuned"), 2, dir.resolve("base"))
                        .toBuilder()
                        .optIterations(4, 1)
                        .build();

        // When it is fine-tuned at 4 iterations from zero and 1 on a seeded frame
        CanvasTrainer.Result tuned = train(four);

        // Then its model.json says so (it said 3, the initial model's: serve and evaluate ran it
        // at 3)
        assertEquals(
                List.of(4, 1),
                List.of(
                        tuned.spec().training().iterationsTrained(),
                        ((Number) tuned.spec().metrics().get("seededIterations")).intValue()));
        assertEquals(
                4, SegmentationModel.readSpec(dir.resolve("tuned")).training().iterationsTrained());
    }

    @Test
    void shouldLeaveEveryBackboneParameterAloneWhileFrozen() throws IOException {
        // Given a tiny model trained for two steps (its batch-norm statistics are its data's)
        train(tiny(ModelType.RECURRENT, 2, 0, dir.resolve("base"), 2, null));
        TrainingOptions tune =
                tiny(ModelType.RECURRENT, 4, 0.5, dir.resolve("tuned"), 2, dir.resolve("base"));

        // When it is fine-tuned with its backbone frozen for every step, stills and clips
        train(tune, new CanvasTrainer.FineTuning(null, 4, Map.of(), 0f, null));

        // Then every backbone parameter, running means and variances included, is bit for bit
        // the initial model's (the running statistics moved: BN ran in training mode), and the
        // rest of the network did train
        Map<String, float[]> before = parameters(dir.resolve("base"));
        Map<String, float[]> after = parameters(dir.resolve("tuned"));
        assertEquals(before.keySet(), after.keySet());
        int backbone = 0;
        boolean headMoved = false;
        for (String name : before.keySet()) {
            if (name.replaceFirst("^[0-9]+", "").startsWith("backbone")) {
                assertArrayEquals(before.get(name), after.get(name), name);
                backbone++;
            } else {
                headMoved |= !java.util.Arrays.equals(before.get(name), after.get(name));
            }
        }
        assertTrue(
                backbone > 0 && headMoved,
                backbone + " backbone parameters, head moved " + headMoved);
        assertTrue(
                before.keySet().stream()
                        .anyMatch(n -> n.contains("backbone") && n.endsWith("runningVar")),
                "" + before.keySet());
    }

    /** Every parameter of the model in {@code dir}, by name. */
    private static Map<String, float[]> parameters(Path dir) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (SegmentationModel model = SegmentationModel.load(dir)) {
            for (Pair<String, Parameter> p : model.net().getParameters()) {
                out.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
        }
        return out;
    }

    @Test
    void shouldNormaliseABatchWithTheModelsInputMeanAndStd() {
        // Given an 8x8 frame of one colour, 0.2, 0.4 and 0.8 of full scale, and an input spec
        // other than the trainer's 0.45/0.25
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(new Color(51, 102, 204));
        g.fillRect(0, 0, 8, 8);
        g.dispose();
        LabeledFrame frame = new LabeledFrame(image, new byte[64]);
        ModelSpec.InputSpec input =
                new ModelSpec.InputSpec(
                        8, 8, new float[] {0.2f, 0.3f, 0.6f}, new float[] {0.5f, 0.25f, 0.1f});
        TrainingOptions o =
                TrainingOptions.builder().setOutput(dir).optCrop(8, 8).optFrame(8, 8).build();

        // When the trainer builds the batch
        float[] pixels;
        try (NDManager sm = NDManager.newBaseManager()) {
            pixels =
                    StepLoss.Batch.of(List.of(frame), o, input, new Random(1), sm, 2, null)
                            .images()
                            .toFloatArray();
        }

        // Then each channel is (x - mean) / std with the spec's figures
        float[] expected = new float[3 * 64];
        java.util.Arrays.fill(expected, 0, 64, 0f);
        java.util.Arrays.fill(expected, 64, 128, 0.4f);
        java.util.Arrays.fill(expected, 128, 192, 2f);
        assertArrayEquals(expected, pixels, 1e-5f);
    }

    @Test
    void shouldFineTuneOnTheInitModelsInputNormalisation() throws Exception {
        // Given a tiny model, and a copy of it whose model.json says mean 0.2 and std 0.5
        train(tiny(ModelType.RECURRENT, 1, 0, dir.resolve("base"), 2, null));
        Path other = copyWithInput(dir.resolve("base"), dir.resolve("other"), 0.2f, 0.5f);

        // When each is fine-tuned the same way, from the same weights, for one step
        CanvasTrainer.Result base =
                train(tiny(ModelType.RECURRENT, 1, 0, dir.resolve("a"), 2, dir.resolve("base")));
        CanvasTrainer.Result copy =
                train(tiny(ModelType.RECURRENT, 1, 0, dir.resolve("b"), 2, other));

        // Then the two saw differently normalised inputs, so their first losses differ (they were
        // equal: both trained on 0.45/0.25, though the copy is served with 0.2/0.5), and the copy
        // keeps its normalisation
        assertTrue(!base.losses().equals(copy.losses()), base.losses() + " and " + copy.losses());
        assertArrayEquals(new float[] {0.2f, 0.2f, 0.2f}, copy.spec().input().mean());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, copy.spec().input().std());
    }

    /** A copy of the model in {@code from} whose model.json has this input mean and std. */
    private static Path copyWithInput(Path from, Path to, float mean, float std)
            throws IOException {
        Files.createDirectories(to);
        Files.copy(
                from.resolve(SegmentationModel.PARAMETERS_FILE),
                to.resolve(SegmentationModel.PARAMETERS_FILE));
        JsonObject json =
                JsonParser.parseString(Files.readString(from.resolve(ModelSpec.FILE_NAME)))
                        .getAsJsonObject();
        JsonObject input = json.getAsJsonObject("input");
        input.add("mean", triple(mean));
        input.add("std", triple(std));
        Files.writeString(to.resolve(ModelSpec.FILE_NAME), json.toString());
        return to;
    }

    private static JsonArray triple(float value) {
        JsonArray a = new JsonArray();
        for (int i = 0; i < 3; i++) {
            a.add(value);
        }
        return a;
    }

    @Test
    void shouldReportTheLossPerFrameInTheVideoPhase() throws IOException {
        // Given the same untrained tiny model, whose loss on any frame is about the same
        // When it takes one step on stills, and one on clips of four frames
        CanvasTrainer.Result still =
                train(tiny(ModelType.RECURRENT, 1, 0, dir.resolve("still"), 4, null));
        CanvasTrainer.Result clips =
                train(tiny(ModelType.RECURRENT, 1, 1.0, dir.resolve("clips"), 4, null));

        // Then both report a loss per frame, within a quarter of each other (the clip step's was
        // the sum over its four frames, about four times the still's), and model.json says so
        double ratio = clips.losses().get(0) / still.losses().get(0);
        assertTrue(ratio > 0.75 && ratio < 1.25, still.losses() + " and " + clips.losses());
        assertEquals(clips.losses().get(0), clips.spec().metrics().get("finalLoss"));
    }
}
