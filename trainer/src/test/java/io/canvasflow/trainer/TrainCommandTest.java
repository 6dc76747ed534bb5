package io.canvasflow.trainer;

import static io.canvasflow.testsupport.CommandAssertions.assertRefusedSaying;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.testsupport.CommandRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code canvasflow train}: what it refuses before training, and what it may replace. */
class TrainCommandTest {

    @TempDir Path dir;

    private static final List<String> TINY =
            // (no checkpoint in runs this short unless --checkpoint-every asks for one)
            List.of(
                    "--type", "ff", "--arch", "tiny", "--frame", "96x72", "--crop", "64x48",
                    "--batch", "2");

    @Test
    void shouldRefuseAnOutputFolderThatHoldsAModelUnlessAskedToOverwriteIt() throws Exception {
        // Given a model in a folder
        Path m = dir.resolve("m");
        CommandRun first = train("--steps", "1", "--seed", "1", "-o", m.toString());
        assertEquals(0, first.exit(), first.err());
        byte[] model = Files.readAllBytes(m.resolve(ModelSpec.FILE_NAME));

        // When another run is asked to write there
        CommandRun again = train("--steps", "1", "--seed", "2", "-o", m.toString());

        // Then it is refused before any training, and the model is as it was (it was replaced by
        // the new run without a word, the shipped models/rnn too)
        assertRefusedSaying(
                again,
                "canvasflow train: --output "
                        + m
                        + " already holds a model (model.json); name a new folder, or give"
                        + " --overwrite to replace it");
        assertFalse(again.out().contains("Wrote"), again.out());
        assertArrayEquals(model, Files.readAllBytes(m.resolve(ModelSpec.FILE_NAME)));

        // And --resume, with no checkpoint there to continue, is refused too: starting from the
        // first step would replace the finished model
        CommandRun resume = train("--steps", "1", "--resume", "-o", m.toString());
        assertRefusedSaying(
                resume,
                "canvasflow train: --resume found no checkpoint in --output "
                        + m
                        + " (no "
                        + m.resolve("checkpoint").resolve("model.json")
                        + ") and a run from the first step would replace the model it holds"
                        + " (model.json); name a new folder, or give --overwrite to replace it");
        assertArrayEquals(model, Files.readAllBytes(m.resolve(ModelSpec.FILE_NAME)));

        // And --overwrite replaces the model
        CommandRun overwrite =
                train("--steps", "1", "--seed", "2", "--overwrite", "-o", m.toString());
        assertEquals(0, overwrite.exit(), overwrite.err());
        assertNotEquals(
                SegmentationModel.parseSpec(new String(model), "first").version(),
                SegmentationModel.readSpec(m).version());
    }

    @Test
    void shouldStartFromTheFirstStepWhenResumeFindsNoCheckpointYet() throws Exception {
        // Given an output folder that is not there yet, as a retried Job's first attempt finds it
        Path m = dir.resolve("job").resolve("m");

        // When the Job's one command, --resume included, runs
        CommandRun first = train("--steps", "1", "--seed", "1", "--resume", "-o", m.toString());

        // Then it trains from step 0, says so, and writes the model (it was exit 2)
        assertEquals(0, first.exit(), first.err());
        assertTrue(
                first.out().contains("No checkpoint in " + m + ": starting from step 0"),
                first.out());
        assertTrue(Files.exists(m.resolve(ModelSpec.FILE_NAME)));
    }

    @Test
    void shouldRefuseTheCheckpointOfAnUnfinishedRunUnlessResumedOrOverwritten() throws Exception {
        // Given a folder holding a run's checkpoint (step 2) and no model, as a stopped run leaves
        Path m = dir.resolve("m");
        CommandRun run =
                train("--steps", "3", "--checkpoint-every", "2", "--seed", "1", "-o", m.toString());
        assertEquals(0, run.exit(), run.err());
        Files.delete(m.resolve(ModelSpec.FILE_NAME));
        Files.delete(m.resolve(SegmentationModel.PARAMETERS_FILE));

        // When a run without --resume is asked to write there, Then it is refused
        CommandRun fresh = train("--steps", "3", "-o", m.toString());
        assertRefusedSaying(
                fresh,
                "canvasflow train: --output "
                        + m
                        + " already holds the checkpoint of an unfinished run (checkpoint/); give"
                        + " --resume to continue it, name a new folder, or give --overwrite to"
                        + " start afresh");

        // And --resume continues it
        CommandRun resumed = train("--steps", "3", "--seed", "1", "--resume", "-o", m.toString());
        assertResumedAtStepTwo(resumed);

        // And with the model and the checkpoint there, --overwrite starts afresh and takes the old
        // checkpoint away with the old model (a later --resume continued the old run)
        CommandRun both = train("--steps", "1", "-o", m.toString());
        assertEquals(2, both.exit(), both.err());
        assertTrue(
                both.err().contains("already holds a model (model.json) and a checkpoint"),
                both.err());
        CommandRun overwrite = train("--steps", "1", "--overwrite", "-o", m.toString());
        assertEquals(0, overwrite.exit(), overwrite.err());
        assertFalse(Files.exists(m.resolve("checkpoint")), "the old run's checkpoint is gone");
    }

    @Test
    void shouldRefuseToResumeTheCheckpointOfARunThatFinished() throws Exception {
        // Given a run that wrote a checkpoint at step 2 and then finished at step 3
        Path m = dir.resolve("m");
        String[] command = {
            "--steps", "3", "--checkpoint-every", "2", "--seed", "1", "--resume", "-o", m.toString()
        };
        CommandRun first = train(command);
        assertEquals(0, first.exit(), first.err());
        assertTrue(Files.exists(m.resolve("checkpoint").resolve(ModelSpec.FILE_NAME)));
        byte[] model = Files.readAllBytes(m.resolve(ModelSpec.FILE_NAME));
        byte[] parameters = Files.readAllBytes(m.resolve(SegmentationModel.PARAMETERS_FILE));

        // When the same command runs again, --resume included, as a retried Job runs it
        CommandRun again = train(command);

        // Then it is refused in one sentence and the finished model is as it was (it trained
        // step 3 again from the checkpoint and replaced the model with another version, exit 0)
        assertRefusedSaying(
                again,
                "canvasflow train: --output "
                        + m
                        + " holds a model of 3 steps, and the checkpoint (checkpoint/) its run"
                        + " kept, which --resume would train again from and replace the model with;"
                        + " name a new folder, give more --steps than 3 to train on from the"
                        + " checkpoint, or leave out --resume (with --overwrite) to train afresh");
        assertArrayEquals(model, Files.readAllBytes(m.resolve(ModelSpec.FILE_NAME)));
        assertArrayEquals(
                parameters, Files.readAllBytes(m.resolve(SegmentationModel.PARAMETERS_FILE)));

        // And more --steps than it was trained for go on from its last checkpoint (the README's
        // second run of models/rnn)
        CommandRun longer =
                train("--steps", "4", "--checkpoint-every", "2", "--resume", "-o", m.toString());
        assertEquals(0, longer.exit(), longer.err());
        assertTrue(
                longer.out().contains("Resuming from " + m.resolve("checkpoint") + " at step 2"));
        assertEquals(4, trainingSteps(m));
    }

    @Test
    void shouldRefuseToResumeAFinishedRunWhoseCheckpointACopyMadeNewerThanItsModel()
            throws Exception {
        // Given a run that wrote a checkpoint at step 2 and then finished at step 3, its folder
        // copied so that the checkpoint is now newer than the model (cp -r, kubectl cp), and
        // without the mark of a finished run (as an earlier version left its checkpoints)
        Path m = dir.resolve("m");
        String[] command = {
            "--steps", "3", "--checkpoint-every", "2", "--seed", "1", "--resume", "-o", m.toString()
        };
        assertEquals(0, train(command).exit());
        Files.delete(m.resolve("checkpoint").resolve(TrainOutput.FINISHED));
        Path checkpoint = m.resolve("checkpoint").resolve(ModelSpec.FILE_NAME);
        Files.setLastModifiedTime(
                checkpoint,
                FileTime.fromMillis(
                        Files.getLastModifiedTime(m.resolve(ModelSpec.FILE_NAME)).toMillis()
                                + 60_000));
        byte[] model = Files.readAllBytes(m.resolve(ModelSpec.FILE_NAME));

        // When the same command runs again, as a retried Job runs it
        CommandRun again = train(command);

        // Then it is refused by the steps, not the file times, and the model is as it was (it
        // trained step 3 again and replaced the model, exit 0)
        assertEquals(2, again.exit(), again.err());
        assertTrue(
                again.err().contains("holds a model (model.json) of 3 steps and a checkpoint"),
                again.err());
        assertArrayEquals(model, Files.readAllBytes(m.resolve(ModelSpec.FILE_NAME)));
    }

    @Test
    void shouldRefuseToResumeAFinishedRunsCheckpointAlsoWithOverwrite() throws Exception {
        // Given a run that wrote a checkpoint at step 2 and then finished at step 3
        Path m = dir.resolve("m");
        assertEquals(
                0,
                train("--steps", "3", "--checkpoint-every", "2", "--seed", "1", "-o", m.toString())
                        .exit());
        byte[] model = Files.readAllBytes(m.resolve(ModelSpec.FILE_NAME));

        // When --resume runs with --overwrite, as the refusal without it advised
        CommandRun again = train("--steps", "3", "--resume", "--overwrite", "-o", m.toString());

        // Then it is refused too, and the model is as it was (it trained step 3 again over it)
        assertEquals(2, again.exit(), again.err());
        assertTrue(
                again.err().contains("holds a model of 3 steps, and the checkpoint (checkpoint/)"),
                again.err());
        assertArrayEquals(model, Files.readAllBytes(m.resolve(ModelSpec.FILE_NAME)));
        // and more --steps go on from the checkpoint, as the README's second run does
        assertEquals(0, train("--steps", "4", "--resume", "-o", m.toString()).exit());
    }

    @Test
    void shouldResumeAStoppedOverwritingRunOfFewerStepsOnlyWithOverwrite() throws Exception {
        // Given a finished model of 5 steps, and a run with --overwrite of 3 steps into its folder
        // that stopped after its checkpoint at step 2, below the old model's steps
        Path m = dir.resolve("m");
        assertEquals(0, train("--steps", "5", "--seed", "1", "-o", m.toString()).exit());
        byte[] model = Files.readAllBytes(m.resolve(ModelSpec.FILE_NAME));
        leaveTheCheckpointOfAStoppedRunIn(m);

        // When --resume runs without --overwrite, Then it is refused, saying to add --overwrite
        CommandRun refused = train("--steps", "3", "--resume", "-o", m.toString());
        assertEquals(2, refused.exit(), refused.err());
        assertTrue(refused.err().contains("or add --overwrite"), refused.err());
        assertArrayEquals(model, Files.readAllBytes(m.resolve(ModelSpec.FILE_NAME)));

        // And with --overwrite, as the stopped run was given, it continues the checkpoint
        CommandRun resumed = train("--steps", "3", "--resume", "--overwrite", "-o", m.toString());
        assertResumedAtStepTwo(resumed);
        assertEquals(3, trainingSteps(m));
    }

    @Test
    void shouldResumeAnOverwritingRunThatStoppedOverAnOlderModel() throws Exception {
        // Given a finished model, and a run with --overwrite into its folder that stopped after
        // its checkpoint at step 2 (the old model is kept until the new one is written)
        Path m = dir.resolve("m");
        assertEquals(0, train("--steps", "1", "--seed", "1", "-o", m.toString()).exit());
        leaveTheCheckpointOfAStoppedRunIn(m);

        // When --resume runs, Then it continues the checkpoint, which is newer than the model
        CommandRun resumed = train("--steps", "3", "--resume", "-o", m.toString());
        assertResumedAtStepTwo(resumed);
        assertEquals(3, trainingSteps(m));
    }

    @Test
    void shouldFineTuneAModelIntoItsOwnFolderOnlyWithOverwrite() throws Exception {
        // Given a model
        Path m = dir.resolve("m");
        assertEquals(0, train("--steps", "1", "-o", m.toString()).exit());
        String version = SegmentationModel.readSpec(m).version();

        // When it is fine-tuned into its own folder, Then that is refused
        CommandRun refused = fineTune("--init", m.toString(), "--steps", "1", "-o", m.toString());
        assertRefusedSaying(
                refused,
                "canvasflow train: --init and --output are the same folder, "
                        + m
                        + ", and the model trained would replace the one it starts from; name a"
                        + " new --output folder, or give --overwrite to replace it");
        assertEquals(version, SegmentationModel.readSpec(m).version());

        // And with --overwrite the model read whole first is replaced by its fine-tuned self
        CommandRun tuned =
                fineTune(
                        "--init",
                        m.toString(),
                        "--steps",
                        "1",
                        "--lr",
                        "0.5",
                        "--overwrite",
                        "-o",
                        m.toString());
        assertEquals(0, tuned.exit(), tuned.err());
        ModelSpec written = SegmentationModel.readSpec(m);
        assertEquals(version, written.metrics().get("fineTunedFrom"));
        assertNotEquals(version, written.version());
        try (SegmentationModel loaded = SegmentationModel.load(m)) {
            assertEquals(written.version(), loaded.spec().version());
        }
    }

    @Test
    void shouldRefuseRecurrentOnlyOptionsForAFeedForwardModel() {
        // Given each option that only a recurrent model reads
        List<List<String>> given =
                List.of(
                        List.of("--iterations", "6"),
                        List.of("--seeded-iterations", "2"),
                        List.of("--clip-frames", "4"),
                        List.of("--video-fraction", "0.5"),
                        List.of("--wrong-seed-fraction", "0.5"),
                        List.of("--attached-seed"),
                        List.of("--seed-clamp", "4"));
        for (List<String> option : given) {
            // When a feed-forward model is trained with it (its value was ignored)
            Path out = dir.resolve("ff" + option.get(0));
            List<String> args = new ArrayList<>(option);
            args.addAll(List.of("--steps", "1", "-o", out.toString()));
            CommandRun run = train(args.toArray(String[]::new));
            // Then it is refused in one sentence, and nothing is written
            assertEquals(2, run.exit(), option + ": " + run.err());
            assertEquals(
                    "canvasflow train: "
                            + option.get(0)
                            + " is only for a recurrent model (--type rnn); leave it out with"
                            + " --type ff",
                    run.err().strip());
            assertFalse(Files.exists(out), option + " wrote " + out);
        }
    }

    @Test
    void shouldFineTuneAtTheInitModelsIterationsUnlessGivenOthers() throws Exception {
        // Given a recurrent model trained at 4 iterations from zero and 3 on seeded frames
        Path base = dir.resolve("base");
        CommandRun trained =
                rnn(
                        "--arch",
                        "tiny",
                        "--iterations",
                        "4",
                        "--seeded-iterations",
                        "3",
                        "--steps",
                        "2",
                        "--video-fraction",
                        "0.5",
                        "-o",
                        base.toString());
        assertEquals(0, trained.exit(), trained.err());

        // When it is fine-tuned with no iterations given, and with others given
        CommandRun plain = rnn("--init", base.toString(), "--steps", "2", "-o", dir + "/plain");
        CommandRun other =
                rnn(
                        "--init",
                        base.toString(),
                        "--iterations",
                        "2",
                        "--seeded-iterations",
                        "1",
                        "--steps",
                        "2",
                        "-o",
                        dir + "/other");

        // Then the first keeps the model's 4 and 3, the second trains at and records 2 and 1
        // (both recorded the initial model's 4, whatever they trained with, and ran clips at 2)
        assertEquals(0, plain.exit(), plain.err());
        assertEquals(0, other.exit(), other.err());
        assertEquals(List.of(4, 3), iterations(dir.resolve("plain")));
        assertEquals(List.of(2, 1), iterations(dir.resolve("other")));
    }

    /** The iterations from zero and on a seeded frame that the model in {@code dir} records. */
    private static List<Integer> iterations(Path model) {
        ModelSpec spec = SegmentationModel.readSpec(model);
        return List.of(
                spec.training().iterationsTrained(),
                ((Number) spec.metrics().get("seededIterations")).intValue());
    }

    @Test
    void shouldGiveAModelItsIdAndSeedClampFromScratchAndFineTuned() throws Exception {
        // Given a tiny recurrent model trained on synthetic frames with an id of its own
        Path base = dir.resolve("base");
        CommandRun trained =
                rnn(
                        "--arch",
                        "tiny",
                        "--model-id",
                        "street",
                        "--steps",
                        "1",
                        "-o",
                        base.toString());
        assertEquals(0, trained.exit(), trained.err());

        // When it is fine-tuned on synthetic frames under another id and seed clamp
        Path tuned = dir.resolve("tuned");
        CommandRun run =
                rnn(
                        "--init",
                        base.toString(),
                        "--model-id",
                        "my-model",
                        "--seed-clamp",
                        "2",
                        "--steps",
                        "1",
                        "-o",
                        tuned.toString());

        // Then each model has the id it was given, and the fine-tuned one the clamp (both were
        // ignored: canvasflow-rnn-synthetic, and the clamp of 4)
        assertEquals(0, run.exit(), run.err());
        ModelSpec spec = SegmentationModel.readSpec(tuned);
        assertEquals("my-model", spec.modelId());
        assertEquals(
                SegmentationModel.readSpec(base).architecture().withSeedClamp(2f).toString(),
                spec.architecture().toString());
        assertEquals("street", SegmentationModel.readSpec(base).modelId());
    }

    @Test
    void shouldRefuseASeedClampThatIsNotFiniteBeforeReplacingAModel() throws Exception {
        // Given a tiny recurrent model
        Path base = dir.resolve("base");
        assertEquals(0, rnn("--arch", "tiny", "--steps", "1", "-o", base.toString()).exit());
        byte[] parameters = Files.readAllBytes(base.resolve(SegmentationModel.PARAMETERS_FILE));
        byte[] json = Files.readAllBytes(base.resolve(ModelSpec.FILE_NAME));

        for (String clamp : List.of("Infinity", "NaN")) {
            // When it is fine-tuned over itself with a clamp that is no finite number (Infinity
            // was trained, then model.json could not be written over the new parameters; NaN was
            // taken as "the initial model's")
            CommandRun run =
                    rnn(
                            "--init",
                            base.toString(),
                            "--overwrite",
                            "--seed-clamp",
                            clamp,
                            "--steps",
                            "1",
                            "-o",
                            base.toString());

            // Then it is refused in one sentence before any step, and the model is as it was
            assertRefusedSaying(
                    run,
                    "canvasflow train: expected --checkpoint-every, --freeze-backbone-steps and"
                            + " --seed-clamp >= 0 (--seed-clamp a finite number) but found 0, 0"
                            + " and "
                            + clamp);
            assertArrayEquals(
                    parameters,
                    Files.readAllBytes(base.resolve(SegmentationModel.PARAMETERS_FILE)));
            assertArrayEquals(json, Files.readAllBytes(base.resolve(ModelSpec.FILE_NAME)));
        }
    }

    @Test
    void shouldRefuseAModelIdTheRegistryWouldRefuseBeforeTraining() {
        // Given ids that models publish refuses: a space and '/', and one too long for a version
        for (String id : List.of("gate 1/north", "m".repeat(188))) {
            // When a model is trained under it
            Path out = dir.resolve("x");
            CommandRun run =
                    rnn("--arch", "tiny", "--model-id", id, "--steps", "1", "-o", "" + out);

            // Then that is refused in one sentence, and nothing is written (it was trained, and
            // refused only at models publish)
            assertRefusedSaying(
                    run,
                    "canvasflow train: --model-id \""
                            + id
                            + "\" is no model id the registry takes: give one of letters, digits,"
                            + " '.', '_' and '-' only, beginning with a letter or digit, at most"
                            + " 187 characters");
            assertFalse(Files.exists(out));
        }
    }

    @Test
    void shouldRefuseAnArchitectureWithInit() throws Exception {
        // Given a tiny recurrent model
        Path base = dir.resolve("base");
        assertEquals(0, rnn("--arch", "tiny", "--steps", "1", "-o", base.toString()).exit());

        // When it is fine-tuned with --arch (the default network was trained, exit 0)
        Path out = dir.resolve("x");
        CommandRun run =
                rnn("--init", base.toString(), "--arch", "default", "--steps", "1", "-o", "" + out);

        // Then that is refused in one sentence, and nothing is written
        assertRefusedSaying(
                run,
                "canvasflow train: --arch is not for fine-tuning: the network is the --init"
                        + " model's ("
                        + base
                        + "); leave --arch out");
        assertFalse(Files.exists(out));
    }

    @Test
    void shouldRefuseAnInitModelOfTheOtherTypeOnSyntheticDataSayingWhatToDo() throws Exception {
        // Given an untrained tiny feed-forward model and a tiny recurrent one, of 64x48 frames
        Path ff = saved(EvaluationReportTest.tinyFeedForwardSpec(), "ff");
        Path rnn = saved(EvaluationReportTest.tinySpec(), "rnn");
        Path out = dir.resolve("x");
        List<String> run = List.of("--crop", "64x48", "--steps", "1", "-o", out.toString());
        Map<List<String>, String> refusals =
                Map.of(
                        List.of("--init", ff.toString()),
                        "--init "
                                + ff
                                + " holds a feed-forward (ff) model but --type is rnn; give --type"
                                + " ff or a recurrent (rnn) model",
                        List.of("--init", rnn.toString(), "--type", "ff"),
                        "--init "
                                + rnn
                                + " holds a recurrent (rnn) model but --type is ff; give --type"
                                + " rnn or a feed-forward (ff) model");
        refusals.forEach(
                (init, sentence) -> {
                    // When it is fine-tuned on synthetic data as the other type
                    List<String> args = new ArrayList<>(init);
                    args.addAll(run);
                    // Then that is the sentence labelled data gets, which says what to do (it
                    // named the types' enum values), and nothing is written
                    assertRefusedSaying(
                            CommandRun.of(new TrainCommand(), args.toArray(String[]::new)),
                            "canvasflow train: " + sentence);
                    assertFalse(Files.exists(out), init.toString());
                });
    }

    /** What one 96x72 frame and its 64x48 crop take at least: 4 bytes a pixel, 21 a crop pixel. */
    private static final long FRAME_BYTES = 4 * 96 * 72 + 21 * 64 * 48;

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // a hundred million frames (it rendered frames for minutes, then ran out of memory)
                "--type ff --batch 100000000 | --batch 100000000 would hold 100000000 | 100000000"
                        + " | give --batch %d or less",
                // video clips a million frames long, that even --batch 1 cannot hold: the
                // sentence names the clip length that fits, not only the frame and crop sizes
                "--type rnn --batch 1 --video-fraction 1 --clip-frames 1000000 | --batch 1 of"
                        + " 1000000-frame clips (--clip-frames) would hold 1000000 | 1000000 |"
                        + " give --clip-frames %d or less with --batch 1, or a smaller --frame or"
                        + " --crop"
            })
    void shouldRefuseWhatAStepCannotHoldInHalfTheHeapBeforeAnyFrameIsMade(
            String counts, String held, long frames, String todo) {
        // Given a step of 96x72 frames, each with a 64x48 crop, more than half the heap holds
        Path out = dir.resolve("x");
        long most = Runtime.getRuntime().maxMemory() / 2 / FRAME_BYTES;
        List<String> args = new ArrayList<>(List.of(counts.split(" ")));
        args.addAll(
                List.of(
                        "--arch",
                        "tiny",
                        "--frame",
                        "96x72",
                        "--crop",
                        "64x48",
                        "--steps",
                        "1",
                        "-o",
                        out.toString()));

        // When it is asked for
        CommandRun run = CommandRun.of(new TrainCommand(), args.toArray(String[]::new));

        // Then it is refused in one sentence with the most this heap holds, and nothing written
        assertRefusedSaying(
                run,
                String.format(
                        java.util.Locale.ROOT,
                        "canvasflow train: %s 96x72 frames and their 64x48 crops at once, %s, but"
                                + " half of this JVM's heap of %s holds at most %d of them; %s,"
                                + " or more heap (CANVASFLOW_HEAP)",
                        held,
                        HeapRoom.size((double) frames * FRAME_BYTES),
                        io.canvasflow.cli.options.CommandFailures.heap(),
                        most,
                        String.format(java.util.Locale.ROOT, todo, most)));
        assertFalse(Files.exists(out));
    }

    @Test
    void shouldRefuseFreezingTheBackboneWithoutInit() {
        // Given labelled data (not even there: the option is refused before it is read)
        Path out = dir.resolve("x");
        // When a model is trained from scratch with a frozen backbone (a random one was frozen)
        CommandRun run =
                train(
                        "--data",
                        "voc:" + dir.resolve("voc"),
                        "--freeze-backbone-steps",
                        "2",
                        "--steps",
                        "2",
                        "-o",
                        out.toString());
        // Then that is refused in one sentence, and nothing is written
        assertRefusedSaying(
                run,
                "canvasflow train: --freeze-backbone-steps is only for fine-tuning a model given"
                        + " with --init DIR; leave it out with a model trained from scratch (no"
                        + " --init)");
        assertFalse(Files.exists(out));
    }

    @Test
    void shouldRefuseAHoldoutThatCoversEveryFrameBeforeReadingTheTopic() {
        // Given a topic that is not there, on a broker that is not there either: the ranges alone
        // are judged, before any read
        Path out = dir.resolve("all-held-out");
        // When every frame of --frames is held out
        CommandRun run =
                train(
                        "--data",
                        "topic:frames-labelled",
                        "--camera",
                        "vtest",
                        "--frames",
                        "100-199",
                        "--holdout",
                        "90-199",
                        "--bootstrap-servers",
                        "127.0.0.1:1",
                        "-o",
                        out.toString());
        // Then that is what the one sentence says (not that the topic lacks the frames), and
        // nothing is written
        assertRefusedSaying(
                run,
                "canvasflow train: --holdout 90-199 holds out every frame of --frames 100-199,"
                        + " which leaves none to train on; give a --holdout outside --frames, or"
                        + " one that covers only part of it");
        assertFalse(Files.exists(out));
    }

    @Test
    void shouldRefuseATruncatedInitModelBeforeReadingTheTopic() throws Exception {
        // Given a tiny feed-forward model whose parameter file lost all but its first 100 bytes,
        // and a topic on a broker that is not there: the model alone is judged, before any read
        Path init = saved(EvaluationReportTest.tinyFeedForwardSpec(), "truncated");
        ModelSpec.ParametersFile params = SegmentationModel.readSpec(init).parameters();
        Path file = init.resolve(params.file());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, 100));
        Path out = dir.resolve("from-truncated");
        // When it is fine-tuned on the topic
        CommandRun run =
                CommandRun.of(
                        new TrainCommand(),
                        "--init",
                        init.toString(),
                        "--type",
                        "ff",
                        "--crop",
                        "64x48",
                        "--data",
                        "topic:frames-labelled",
                        "--camera",
                        "vtest",
                        "--bootstrap-servers",
                        "127.0.0.1:1",
                        "--steps",
                        "1",
                        "-o",
                        out.toString());
        // Then the one sentence is the model's (not the broker's, said after a read that can take
        // minutes when it is there), and nothing is written
        assertRefusedSaying(
                run,
                "canvasflow train: parameter file "
                        + file
                        + " is 100 bytes but model.json says "
                        + params.bytes()
                        + ": it is truncated or from another model");
        assertFalse(Files.exists(out));
    }

    /** {@code spec}'s untrained model, saved in the folder {@code name}. */
    private Path saved(ModelSpec spec, String name) throws Exception {
        Path to = dir.resolve(name);
        try (SegmentationModel model = SegmentationModel.initialize(spec, DeviceChoice.CPU)) {
            model.save(to);
        }
        return to;
    }

    /**
     * Puts the checkpoint at step 2 of a run of 3 steps into {@code m}, as a run into it that
     * stopped after that checkpoint leaves it.
     */
    private void leaveTheCheckpointOfAStoppedRunIn(Path m) throws Exception {
        Path stopped = dir.resolve("stopped");
        assertEquals(
                0,
                train("--steps", "3", "--checkpoint-every", "2", "-o", stopped.toString()).exit());
        Files.move(stopped.resolve("checkpoint"), m.resolve("checkpoint"));
        // (that run finished, so its checkpoint is marked so; a run that stopped leaves no mark)
        Files.delete(m.resolve("checkpoint").resolve(TrainOutput.FINISHED));
    }

    /** The run went on from the checkpoint at step 2, and said so. */
    private static void assertResumedAtStepTwo(CommandRun run) {
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("at step 2"), run.out());
    }

    private static int trainingSteps(Path model) {
        return ((Number) SegmentationModel.readSpec(model).metrics().get("trainingSteps"))
                .intValue();
    }

    /** A tiny recurrent run, 64x48 crops of 96x72 frames, with these options. */
    private static CommandRun rnn(String... args) {
        List<String> all = new ArrayList<>(TinyRun.SIZES);
        all.addAll(List.of(args));
        return CommandRun.of(new TrainCommand(), all.toArray(String[]::new));
    }

    /** {@link #TINY}'s run from {@code --init}: without --arch, the model's (refused). */
    private static CommandRun fineTune(String... args) {
        List<String> all = new ArrayList<>(TINY);
        all.removeAll(List.of("--arch", "tiny"));
        all.addAll(List.of(args));
        return CommandRun.of(new TrainCommand(), all.toArray(String[]::new));
    }

    private static CommandRun train(String... args) {
        List<String> all = new ArrayList<>(TINY);
        all.addAll(List.of(args));
        return CommandRun.of(new TrainCommand(), all.toArray(String[]::new));
    }
}
