package io.canvasflow.trainer;

import static io.canvasflow.testsupport.CommandAssertions.assertRefusedSaying;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.testsupport.CommandRun;
import io.canvasflow.trainer.data.LabelmeExamples;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code canvasflow train --data ...}: real labelled data, class maps, new class heads. */
class SpecialiseTest {

    @TempDir Path dir;

    /** A tiny network's tiny run, seeded: --arch tiny first (a fine-tuning run drops it). */
    private static final String[] TINY =
            concat(
                    concat(new String[] {"--arch", "tiny"}, TinyRun.SIZES.toArray(String[]::new)),
                    new String[] {"--seed", "3"});

    @Test
    void shouldLowerTheLossOnLabelmesVocPhotos() throws Exception {
        // Given labelme's VOC export of three real photos
        Optional<Path> voc = LabelmeExamples.vocDataset("semantic_segmentation");
        assumeTrue(voc.isPresent(), LabelmeExamples.HOW_TO);
        // When a tiny model trains on them
        TrainCommand command =
                command(
                        "--data",
                        "voc:" + voc.get(),
                        "--steps",
                        "40",
                        "--video-fraction",
                        "0",
                        "--lr",
                        "0.02",
                        "--output",
                        dir.resolve("m").toString());
        CanvasTrainer.Result result = command.specialise(quiet());
        // Then the loss falls, and the model has the dataset's classes and says where they came
        List<Double> losses = result.losses();
        assertTrue(
                losses.get(losses.size() - 1) < 0.8 * losses.get(0),
                "loss did not fall: " + losses);
        ModelSpec spec = SegmentationModel.readSpec(dir.resolve("m"));
        assertEquals("_background_", spec.classNames().get(0));
        assertEquals(21, spec.numClasses());
        Map<?, ?> lineage = (Map<?, ?>) spec.metrics().get("lineage");
        assertEquals("voc:" + voc.get(), lineage.get("source"));
    }

    @Test
    void shouldGiveAFineTunedModelANewClassHeadForAClassMap() throws Exception {
        // Given a tiny model trained on the synthetic street, and a VOC folder of two classes
        Path base = dir.resolve("base");
        assertEquals(0, execute("--steps", "2", "--output", base.toString()).exit());
        Path voc = voc(dir.resolve("voc"));
        Path map =
                Files.writeString(
                        dir.resolve("map.txt"), "background = background\nthing = person\n");
        // When it is fine-tuned on the folder through the class map
        CommandRun run =
                fineTuneOn(
                        voc,
                        "--init",
                        base.toString(),
                        "--class-map",
                        map.toString(),
                        "--steps",
                        "3",
                        "--video-fraction",
                        "0.5",
                        "--clip-frames",
                        "2",
                        "--seeded-iterations",
                        "3",
                        // (more than the run has: the backbone stays frozen for its 3)
                        "--freeze-backbone-steps",
                        "5",
                        "--output",
                        dir.resolve("tuned").toString());
        // Then it has the mapped classes and records its lineage and training settings
        assertEquals(0, run.exit(), run.err());
        ModelSpec spec = SegmentationModel.readSpec(dir.resolve("tuned"));
        assertEquals(List.of("background", "person"), spec.classNames());
        assertEquals(
                SegmentationModel.readSpec(base).version(), spec.metrics().get("fineTunedFrom"));
        assertEquals(3, ((Number) spec.metrics().get("frozenBackboneSteps")).intValue());
        assertEquals(2, ((Number) spec.metrics().get("clipFrames")).intValue());
        assertEquals(3, ((Number) spec.metrics().get("seededIterations")).intValue());
        try (SegmentationModel loaded = SegmentationModel.load(dir.resolve("tuned"))) {
            assertEquals(2, loaded.net().numClasses());
        }
    }

    @Test
    void shouldEvaluateAModelTrainedThroughAClassMapOnItsOwnData() throws Exception {
        // Given a model trained on a VOC folder through a class map (thing becomes person)
        Path voc = voc(dir.resolve("voc"));
        Path map =
                Files.writeString(
                        dir.resolve("map.txt"), "background = background\nthing = person\n");
        Path model = dir.resolve("m");
        CommandRun train = trainTwoStepsOn(voc, model, "--class-map", map.toString());
        assertEquals(0, train.exit(), train.err());
        // Then its lineage records the map
        Map<?, ?> lineage = (Map<?, ?>) SegmentationModel.readSpec(model).metrics().get("lineage");
        assertEquals(
                Map.of("background", "background", "thing", "person"), lineage.get("classMap"));
        // When it is evaluated on the same folder, without a class map
        CommandRun evaluate = evaluate(model, voc);
        // Then the recorded map is applied (its class 'thing' was refused as none of the model's,
        // with the advice to evaluate a model trained on these labels, which it was)
        assertEquals(0, evaluate.exit(), evaluate.err());
        String table = Files.readString(dir.resolve("report/evaluation.md"));
        assertTrue(table.contains("| IoU background | IoU person |"), table);
        // And, these being its training photos, the score is said to be its fit, not held out
        String note =
                "the model was trained on these frames (its model.json records voc:"
                        + voc
                        + " and no held-out range), so this is its fit, not a held-out score";
        assertTrue(evaluate.errLines().contains("canvasflow evaluate: " + note), evaluate.err());
        // (and that its three iterations stop below the six it runs from zero)
        assertTrue(
                evaluate.out().contains("--max-iterations 3 stops below the 6 iterations"),
                evaluate.out());
        assertTrue(table.contains("- scoredOn: " + note), table);
        // And the report says which class map it scored through, and where it came from
        assertTrue(
                table.contains(
                        "- classMap: {background=background, thing=person}\n"
                                + "- classMapFrom: model.json's lineage (the class map the model"
                                + " was trained with)\n"),
                table);
        assertEquals(
                "{\"background\":\"background\",\"thing\":\"person\"} model.json's lineage (the"
                        + " class map the model was trained with)",
                classMapInJson());
    }

    /** The report JSON's class map and where it came from, as one line. */
    private String classMapInJson() throws Exception {
        JsonObject lineage =
                JsonParser.parseString(Files.readString(dir.resolve("report/evaluation.json")))
                        .getAsJsonObject()
                        .getAsJsonObject("lineage");
        return lineage.get("classMap") + " " + lineage.get("classMapFrom").getAsString();
    }

    @Test
    void shouldEvaluateThroughAClassMapGivenToEvaluate() throws Exception {
        // Given a model trained on classes background and thing, and footage labelled with
        // background and object
        Path model = dir.resolve("m");
        CommandRun train = trainTwoStepsOn(voc(dir.resolve("voc")), model);
        assertEquals(0, train.exit(), train.err());
        Path other = voc(dir.resolve("other"));
        Files.writeString(other.resolve("class_names.txt"), "background\nobject\n");
        String version = SegmentationModel.readSpec(model).version();
        // When it is evaluated on that footage without a class map
        CommandRun byName = evaluate(model, other);
        // Then the refusal says what to do, and nothing is written
        assertRefusedSaying(
                byName,
                "canvasflow evaluate: The labels' classes [object] are not classes of model "
                        + version
                        + " [background, thing]; give --class-map FILE with a line 'CLASS ="
                        + " MODEL_CLASS' or 'CLASS = ignore' for each of the labels' classes");
        assertFalse(Files.exists(dir.resolve("report")));
        // And with --class-map it scores the model
        Path map =
                Files.writeString(
                        dir.resolve("map.txt"), "background = background\nobject = thing\n");
        CommandRun mapped = evaluate(model, other, "--class-map", map.toString());
        assertEquals(0, mapped.exit(), mapped.err());
        assertFalse(mapped.err().contains("trained on these frames"), mapped.err());
        assertTrue(Files.exists(dir.resolve("report/evaluation.json")));
        // and the report records that map, the file it came from, in the table and the JSON
        String table = Files.readString(dir.resolve("report/evaluation.md"));
        assertTrue(
                table.contains(
                        "- classMap: {background=background, object=thing}\n"
                                + "- classMapFrom: --class-map "
                                + map
                                + "\n"),
                table);
        assertEquals(
                "{\"background\":\"background\",\"object\":\"thing\"} --class-map " + map,
                classMapInJson());
        // And a map onto a class the model does not have is one sentence
        Path wrong =
                Files.writeString(
                        dir.resolve("wrong.txt"), "background = background\nobject = car\n");
        CommandRun onto = evaluate(model, other, "--class-map", wrong.toString());
        assertRefusedSaying(
                onto,
                "canvasflow evaluate: Class map "
                        + wrong
                        + " maps to [car], which are not classes of model "
                        + version
                        + " [background, thing]; map the data's classes onto those or to ignore");
        // And the synthetic split takes no class map
        CommandRun synthetic =
                CommandRun.of(
                        new EvaluateCommand(),
                        "--model",
                        model.toString(),
                        "--class-map",
                        map.toString());
        assertRefusedSaying(
                synthetic,
                "canvasflow evaluate: --class-map is only for labelled data (voc:, cityscapes:,"
                        + " labelme: or topic:); leave it out with --data synthetic");
    }

    @Test
    void shouldScoreAFeedForwardModelTrainedOnFootageAsItsOnePass() throws Exception {
        // Given a feed-forward model trained on a VOC folder
        Path voc = voc(dir.resolve("voc"));
        Path model = dir.resolve("ff");
        CommandRun train = trainTwoStepsOn(voc, model, "--type", "ff");
        assertEquals(0, train.exit(), train.err());
        String version = SegmentationModel.readSpec(model).version();
        // When it is evaluated on that folder with an iteration count
        CommandRun counted = evaluate(model, voc);
        // Then the count is refused, as it does not apply, and nothing is written
        assertRefusedSaying(
                counted,
                "canvasflow evaluate: --max-iterations is only for a recurrent --model (its"
                        + " iterations and seeded runs); leave it out with --model "
                        + model
                        + ", a feed-forward model (one pass a frame)");
        assertFalse(Files.exists(dir.resolve("report")));
        // And without one it is scored as its one pass a frame (it was refused either way, and
        // as --baseline the synthetic split is not its classes)
        CommandRun run = evaluateWith(model, voc, List.of());
        assertEquals(0, run.exit(), run.err());
        String table = Files.readString(dir.resolve("report/evaluation.md"));
        assertTrue(
                table.contains("- Model: `" + version + "`, feed-forward: one pass a frame\n"),
                table);
        assertEquals(
                List.of("| run ", "|---", "| one pass (feed-forward) "),
                table.lines()
                        .filter(l -> l.startsWith("|"))
                        .map(l -> l.substring(0, l.indexOf('|', 1)))
                        .toList());
        assertTrue(
                table.endsWith(
                        "the seeded row and the seeded / zero canvas ratio do not apply; no frame"
                                + " here follows another (these are photos, not a sequence), so"
                                + " there is no flicker figure\n"),
                table);
        JsonObject json =
                JsonParser.parseString(Files.readString(dir.resolve("report/evaluation.json")))
                        .getAsJsonObject();
        assertEquals("feed-forward", json.get("modelType").getAsString());
    }

    /** evaluate {@code model} on a VOC folder, three iterations, into {@code dir/report}. */
    private CommandRun evaluate(Path model, Path voc, String... more) {
        List<String> options = new ArrayList<>(List.of("--max-iterations", "3"));
        options.addAll(List.of(more));
        return evaluateWith(model, voc, options);
    }

    /** evaluate {@code model} on a VOC folder into {@code dir/report}, with {@code options}. */
    private CommandRun evaluateWith(Path model, Path voc, List<String> options) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--model",
                                model.toString(),
                                "--data",
                                "voc:" + voc,
                                "--report",
                                dir.resolve("report").toString()));
        args.addAll(options);
        return CommandRun.of(new EvaluateCommand(), args.toArray(String[]::new));
    }

    @Test
    void shouldRefuseAMaskWhoseSizeDiffersFromItsImage() throws Exception {
        Path voc = voc(dir.resolve("voc"), 96, 72, 48, 36);
        CommandRun run = trainTwoStepsOn(voc, dir.resolve("x"));
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("is 48x36 but its image"), run.err());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void shouldRefuseACorruptMaskPng() throws Exception {
        Path voc = voc(dir.resolve("voc"));
        Files.write(
                voc.resolve("SegmentationClassPNG/a.png"),
                new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        CommandRun run = trainTwoStepsOn(voc, dir.resolve("x"));
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("a.png"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void shouldRefuseAClassMapThatDoesNotKnowAClass() throws Exception {
        Path voc = voc(dir.resolve("voc"));
        Path map = Files.writeString(dir.resolve("map.txt"), "background = background\n");
        CommandRun run = trainTwoStepsOn(voc, dir.resolve("x"), "--class-map", map.toString());
        assertRefusedSaying(
                run,
                "canvasflow train: Class map "
                        + map
                        + " does not say what the data's class"
                        + " 'thing' becomes; add a line 'thing = CLASS' or 'thing = ignore'");
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void shouldRefuseBadOptionsBeforeTrainingAStep() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Map<List<String>, String> refusals =
                Map.of(
                        List.of("--freeze-backbone-steps", "-1"),
                        "expected --checkpoint-every, --freeze-backbone-steps and --seed-clamp >= 0",
                        List.of("--class-weights", "bogus"),
                        "--class-weights must be balanced or none, got bogus",
                        List.of("--holdout", "5-2"),
                        "--holdout",
                        List.of("--class-map", dir.resolve("nope.txt").toString()),
                        "--class-map: no file at " + dir.resolve("nope.txt"),
                        List.of(
                                "--data",
                                "topic:frames-labelled",
                                "--bootstrap-servers",
                                "127.0.0.1:1"),
                        "no Kafka broker at 127.0.0.1:1",
                        // NaN passed every comparison, then training diverged with a trace
                        List.of("--lr", "NaN"),
                        "expected --lr > 0, --momentum in [0, 1) and --weight-decay >= 0 but found"
                                + " NaN",
                        List.of("--weight-decay", "-1"),
                        "expected --lr > 0",
                        // ignored without a word with the synthetic street
                        List.of("--camera", "cam-1", "--holdout", "0-9"),
                        "--camera, --holdout are only for --data topic:NAME (a camera's numbered"
                                + " frames); leave them out with --data synthetic");
        refusals.forEach(
                (args, start) -> {
                    List<String> all = new ArrayList<>(args);
                    all.addAll(List.of("--steps", "2", "--output", dir.resolve("m").toString()));
                    CommandRun run = execute(all.toArray(String[]::new));

                    assertEquals(2, run.exit(), args + ": " + run.err());
                    assertTrue(
                            run.err().startsWith("canvasflow train: " + start),
                            args + ": " + run.err());
                    assertFalse(run.out().contains("step"), args + ": " + run.out());
                });
        CommandRun range = CommandRun.of(new EvaluateCommand(), "--range", "abc");
        assertRefusedSaying(
                range,
                "canvasflow evaluate: --range is only for --data topic:NAME (a camera's numbered"
                        + " frames); leave it out with --data synthetic");
        CommandRun intoFile = execute("--steps", "2", "--output", file.toString());
        assertEquals(2, intoFile.exit(), intoFile.err());
        // (picocli's words, refused as the option is read; canvasflow's root prints this line
        // alone)
        assertEquals(
                "Invalid value for option '--output': "
                        + file
                        + " is a file; give a folder to write",
                intoFile.errLines().get(0));
    }

    @Test
    void shouldRefuseCameraAndFrameOptionsForDataWithoutThem() throws Exception {
        // Given a VOC folder: photos, with no camera and no frame numbers
        Path voc = voc(dir.resolve("voc"));
        // When train is asked for a camera, frames and a held-out range of it
        CommandRun train =
                trainTwoStepsOn(
                        voc,
                        dir.resolve("m"),
                        "--camera",
                        "gate",
                        "--frames",
                        "0-9",
                        "--holdout",
                        "5-9");
        // Then it refuses in one sentence before training (it trained on every photo and
        // recorded 5-9 as held out, which evaluate then scored on)
        assertRefusedSaying(
                train,
                "canvasflow train: --camera, --frames, --holdout are only for --data topic:NAME (a"
                        + " camera's numbered frames); leave them out with --data voc:"
                        + voc);
        assertFalse(Files.exists(dir.resolve("m")));
        // And evaluate refuses its range and camera alike
        CommandRun evaluate =
                CommandRun.of(
                        new EvaluateCommand(),
                        "--data",
                        "labelme:" + voc,
                        "--range",
                        "5-9",
                        "--camera",
                        "gate",
                        "--report",
                        dir.resolve("report").toString());
        assertRefusedSaying(
                evaluate,
                "canvasflow evaluate: --range, --camera are only for --data topic:NAME (a camera's"
                        + " numbered frames); leave them out with --data labelme:"
                        + voc);
        assertFalse(Files.exists(dir.resolve("report")));
    }

    @Test
    void shouldRefuseAnInitModelThatDoesNotFitBeforeReadingTheData() throws Exception {
        // Given a tiny feed-forward model of 96x72 frames, and a VOC folder
        Path ff = dir.resolve("ff");
        CommandRun base = execute("--type", "ff", "--steps", "1", "--output", ff.toString());
        assertEquals(0, base.exit(), base.err());
        Path voc = voc(dir.resolve("voc"));
        // When a recurrent model is fine-tuned from it
        CommandRun wrongType =
                fineTuneOn(
                        voc,
                        "--init",
                        ff.toString(),
                        "--steps",
                        "1",
                        "--output",
                        dir.resolve("x").toString());
        // Then that is said before the data is read (it was said after the whole dataset)
        assertRefusedSaying(
                wrongType,
                "canvasflow train: --init "
                        + ff
                        + " holds a feed-forward (ff) model but --type is rnn; give --type ff or"
                        + " a recurrent (rnn) model");
        assertFalse(wrongType.out().contains("Reading"), wrongType.out());
        // And so is a crop larger than the model's frames
        CommandRun bigCrop = fineTuneForAStep(ff, "--data", "voc:" + voc, "--crop", "128x96");
        assertRefusedSaying(
                bigCrop,
                "canvasflow train: --crop 128x96 does not fit in the 96x72 frames of the --init"
                        + " model "
                        + ff
                        + "; give a --crop of at most 96x72");
        assertFalse(bigCrop.out().contains("Reading"), bigCrop.out());
        // And a --frame other than the model's (fine-tuning on synthetic frames of 128x96 wrote a
        // model.json that said 96x72, the size serve then fed it)
        CommandRun otherFrame = fineTuneForAStep(ff, "--frame", "128x96");
        assertRefusedSaying(
                otherFrame,
                "canvasflow train: --frame 128x96 is not the 96x72 input of the --init model "
                        + ff
                        + "; leave --frame out to fine-tune at that size");
        assertFalse(Files.exists(dir.resolve("x")));
    }

    /** A VOC folder of two 96x72 images with a square of class 1 ("thing"). */
    private static Path voc(Path root) throws Exception {
        return voc(root, 96, 72, 96, 72);
    }

    /** A VOC folder of two images with a square of class 1 ("thing"). */
    private static Path voc(Path root, int w, int h, int maskW, int maskH) throws Exception {
        Files.createDirectories(root.resolve("JPEGImages"));
        Files.createDirectories(root.resolve("SegmentationClassPNG"));
        Files.writeString(root.resolve("class_names.txt"), "background\nthing\n");
        for (String id : List.of("a", "b")) {
            BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            var g = image.createGraphics();
            g.setColor(java.awt.Color.DARK_GRAY);
            g.fillRect(0, 0, w, h);
            g.setColor(java.awt.Color.ORANGE);
            g.fillRect(w / 4, h / 4, w / 3, h / 3);
            g.dispose();
            ImageIO.write(image, "jpg", root.resolve("JPEGImages/" + id + ".jpg").toFile());
            BufferedImage mask = new BufferedImage(maskW, maskH, BufferedImage.TYPE_BYTE_GRAY);
            var raster = mask.getRaster();
            for (int y = maskH / 4; y < maskH / 4 + maskH / 3; y++) {
                for (int x = maskW / 4; x < maskW / 4 + maskW / 3; x++) {
                    raster.setSample(x, y, 0, 1);
                }
            }
            ImageIO.write(
                    mask, "png", root.resolve("SegmentationClassPNG/" + id + ".png").toFile());
        }
        return root;
    }

    private static TrainCommand command(String... args) {
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs(concat(TINY, args));
        return command;
    }

    private static CommandRun execute(String... args) {
        return CommandRun.of(new TrainCommand(), concat(TINY, args));
    }

    /** Trains the tiny model on a VOC folder. */
    private static CommandRun trainOn(Path voc, String... more) {
        return execute(concat(new String[] {"--data", "voc:" + voc}, more));
    }

    /** Fine-tunes on a VOC folder with {@link #TINY}'s options but --arch, refused with --init. */
    private static CommandRun fineTuneOn(Path voc, String... more) {
        String[] tiny = java.util.Arrays.copyOfRange(TINY, 2, TINY.length);
        return CommandRun.of(
                new TrainCommand(),
                concat(concat(tiny, new String[] {"--data", "voc:" + voc}), more));
    }

    /**
     * Fine-tunes the feed-forward model in {@code ff} for one step into {@code dir/x}, with these
     * options and none of {@link #TINY}'s.
     */
    private CommandRun fineTuneForAStep(Path ff, String... more) {
        String[] fineTune = {
            "--type",
            "ff",
            "--init",
            ff.toString(),
            "--steps",
            "1",
            "--output",
            dir.resolve("x").toString()
        };
        return CommandRun.of(new TrainCommand(), concat(fineTune, more));
    }

    private static String[] concat(String[] first, String[] then) {
        String[] all = new String[first.length + then.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(then, 0, all, first.length, then.length);
        return all;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** Two training steps on a VOC folder, into {@code output}. */
    private static CommandRun trainTwoStepsOn(Path voc, Path output, String... more) {
        return trainOn(
                voc, concat(new String[] {"--steps", "2", "--output", output.toString()}, more));
    }
}
