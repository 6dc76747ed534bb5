package io.canvasflow.trainer;

import static io.canvasflow.testsupport.CommandAssertions.assertRefusedSaying;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.synthetic.Split;
import io.canvasflow.synthetic.SyntheticDataset;
import io.canvasflow.synthetic.VideoSequence;
import io.canvasflow.testsupport.CommandRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code canvasflow evaluate}'s options: what each kind of data takes, the type and classes of
 * model each place takes, and its help.
 */
class EvaluateCommandTest {

    @TempDir Path dir;

    @Test
    void shouldRefuseTheSyntheticSplitsOptionsWithLabelledData() {
        // Given labelled data, which is read whole and has no baseline column
        String data = "voc:" + dir.resolve("voc");
        Map<List<String>, String> refusals =
                Map.of(
                        List.of("--baseline", "none"),
                        "--baseline is only for the synthetic test split (--data synthetic); leave"
                                + " it out with --data "
                                + data,
                        List.of("--sequences", "4", "--frames", "3"),
                        "--sequences, --frames are only for the synthetic test split (--data"
                                + " synthetic); leave them out with --data "
                                + data);
        refusals.forEach(
                (args, sentence) -> {
                    // When evaluate is also given options of the synthetic test split
                    List<String> all =
                            new ArrayList<>(
                                    List.of(
                                            "--data",
                                            data,
                                            "--report",
                                            dir.resolve("report").toString()));
                    all.addAll(args);
                    CommandRun run =
                            CommandRun.of(new EvaluateCommand(), all.toArray(String[]::new));
                    // Then it refuses them in one sentence, before reading anything (they were
                    // ignored without a word)
                    assertEquals(2, run.exit(), args + ": " + run.err());
                    assertEquals("canvasflow evaluate: " + sentence, run.err().strip());
                    assertFalse(Files.exists(dir.resolve("report")), args.toString());
                });
    }

    @Test
    void shouldRefuseAClassMapWhoseLinesAreWrongBeforeReadingTheData() throws Exception {
        // Given a class map with a line that is not 'source = target', and data that is not even
        // there (reading it would be the first thing to fail otherwise)
        Path map = dir.resolve("map.txt");
        Files.writeString(map, "person = person\ncar to vehicle\n");
        CommandRun run =
                CommandRun.of(
                        new EvaluateCommand(),
                        "--data",
                        "voc:" + dir.resolve("absent"),
                        "--class-map",
                        map.toString(),
                        "--report",
                        dir.resolve("report").toString());

        // Then the map's line is what it says, where it was found only after all the data
        assertRefusedSaying(
                run,
                "canvasflow evaluate: --class-map: Class map "
                        + map
                        + " line 2 should read 'source = target', not 'car to vehicle'");
    }

    @Test
    void shouldRefuseAGapForDataWithoutCaptureTimesAndANegativeOne() {
        // Given VOC photos, which have no capture times
        String voc = "voc:" + dir.resolve("voc");
        CommandRun photos =
                CommandRun.of(
                        new EvaluateCommand(),
                        "--data",
                        voc,
                        "--max-gap-ms",
                        "500",
                        "--report",
                        dir.resolve("report").toString());
        // Then a capture-time gap for them is refused in one sentence
        assertRefusedSaying(
                photos,
                "canvasflow evaluate: --max-gap-ms is only for --data topic:NAME (a camera's"
                        + " numbered frames); leave it out with --data "
                        + voc);
        // And a negative gap is refused before the cluster is asked for anything
        CommandRun negative =
                CommandRun.of(
                        new EvaluateCommand(),
                        "--data",
                        "topic:frames-labelled",
                        "--max-gap-ms",
                        "-1",
                        "--report",
                        dir.resolve("report").toString());
        assertRefusedSaying(
                negative,
                "canvasflow evaluate: expected --max-gap-ms >= 0 (0 for no limit) but found -1");
        assertFalse(Files.exists(dir.resolve("report")));
    }

    @Test
    void shouldRefuseAFeedForwardModelAndARecurrentBaselineBeforeWritingAnything()
            throws Exception {
        // Given an untrained tiny recurrent model and a tiny feed-forward one, saved
        Path rnn = saved(EvaluationReportTest.tinySpec(), "rnn");
        Path ff = saved(EvaluationReportTest.tinyFeedForwardSpec(), "ff");
        Path report = dir.resolve("report");
        String synthetic = "--sequences 1 --frames 1 --max-iterations 2 --report " + report;
        Map<String, String> refusals =
                Map.of(
                        // a feed-forward model, whose "iterations" would be one pass charged again
                        // and again, with seeded bars passed by default
                        "--model " + ff + " --baseline none " + synthetic,
                        "--model "
                                + ff
                                + " is a feed-forward model, which runs one pass a frame and has"
                                + " no iterations to evaluate; give a recurrent model as --model,"
                                + " and this one as --baseline to score it beside it (or score it"
                                + " alone, one pass a frame, on labelled footage with --data)",
                        // on labelled footage it is scored as its one pass, so an iteration count
                        // for it is refused (before the data, which is not even there, is read)
                        "--model "
                                + ff
                                + " --data voc:"
                                + dir.resolve("voc")
                                + " --max-iterations 2 --report "
                                + report,
                        "--max-iterations is only for a recurrent --model (its iterations and"
                                + " seeded runs); leave it out with --model "
                                + ff
                                + ", a feed-forward model (one pass a frame)",
                        // a recurrent baseline, whose first iteration would be the ff row
                        "--model " + rnn + " --baseline " + rnn + " " + synthetic,
                        "--baseline "
                                + rnn
                                + " is a recurrent model, whose first iteration would be reported"
                                + " as the feed-forward baseline; give a feed-forward model as"
                                + " --baseline (the shipped models/ff by default), or none");
        refusals.forEach(
                (args, sentence) -> {
                    // When evaluate is given it
                    CommandRun run = CommandRun.of(new EvaluateCommand(), args.split(" "));
                    // Then it refuses in one sentence, and writes no report
                    assertRefusedSaying(run, "canvasflow evaluate: " + sentence);
                    assertFalse(Files.exists(report), args);
                });
    }

    @Test
    void shouldRefuseTheWrongTypesThroughTheJavaApiToo() throws Exception {
        // Given an untrained tiny recurrent model and a tiny feed-forward one, saved
        Path rnn = saved(EvaluationReportTest.tinySpec(), "rnn");
        Path ff = saved(EvaluationReportTest.tinyFeedForwardSpec(), "ff");
        // When each is given in the other's place
        IllegalArgumentException model =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> EvaluateCommand.run(ff, null, 1, 1, 2));
        IllegalArgumentException baseline =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> EvaluateCommand.run(rnn, rnn, 1, 1, 2));
        // Then each is refused in one sentence that names the parameter
        assertEquals(
                List.of(
                        "modelDir "
                                + ff
                                + " is a feed-forward model, which runs one pass a frame and has"
                                + " no iterations to evaluate; give a recurrent model as"
                                + " modelDir, and this one as baselineDir to score it beside it",
                        "baselineDir "
                                + rnn
                                + " is a recurrent model, whose first iteration would be reported"
                                + " as the feed-forward baseline; give a feed-forward model as"
                                + " baselineDir, or null"),
                List.of(model.getMessage(), baseline.getMessage()));
    }

    @Test
    void shouldRefuseAModelOrBaselineOfOtherClassesThanTheSplitsBeforeWritingAnything()
            throws Exception {
        // Given an untrained tiny recurrent model of the classes [sky, road, car], one of the
        // synthetic split's classes, and a feed-forward one of those and one more
        Path other = saved(EvaluationReportTest.tinySpec(), "other");
        Path rnn = saved(withClasses(EvaluationReportTest.tinySpec(), SPLIT), "rnn");
        List<String> wider = new ArrayList<>(SPLIT);
        wider.add("bicycle");
        Path ff = saved(withClasses(EvaluationReportTest.tinyFeedForwardSpec(), wider), "ff");
        Path report = dir.resolve("report");
        String synthetic = " --sequences 1 --frames 2 --max-iterations 2 --report " + report;
        Map<String, String> refusals =
                Map.of(
                        // scored by index, its figures meant nothing (exit 0)
                        "--model " + other + " --baseline none" + synthetic,
                        "--model "
                                + other
                                + " has the classes [sky, road, car], not every class of the"
                                + " synthetic test split "
                                + SPLIT
                                + "; give a model trained on the synthetic data (such as the"
                                + " shipped models/rnn) as --model, or score this one on labelled"
                                + " footage of its classes with --data",
                        // its class 6 fell outside the model's matrix, after the whole model was
                        // evaluated (exit 1)
                        "--model " + rnn + " --baseline " + ff + synthetic,
                        "--baseline "
                                + ff
                                + " has the classes "
                                + wider
                                + ", not those of --model "
                                + rnn
                                + " "
                                + SPLIT
                                + ", whose columns it is scored in; give a feed-forward model of"
                                + " those classes as --baseline (such as the shipped models/ff,"
                                + " beside a model trained on the synthetic data), or none");
        refusals.forEach(
                (args, sentence) -> {
                    // When evaluate is given it on the synthetic split
                    CommandRun run = CommandRun.of(new EvaluateCommand(), args.split(" "));
                    // Then it refuses in one sentence, and writes no report
                    assertRefusedSaying(run, "canvasflow evaluate: " + sentence);
                    assertFalse(Files.exists(report), args);
                });
        // And the Java API refuses them too, naming its parameters
        assertEquals(
                List.of(
                        "modelDir "
                                + other
                                + " has the classes [sky, road, car], not every class of the"
                                + " synthetic test split "
                                + SPLIT
                                + "; give a model trained on the synthetic data as modelDir, or"
                                + " score this one on labelled footage of its classes with"
                                + " FootageEvaluation",
                        "baselineDir "
                                + ff
                                + " has the classes "
                                + wider
                                + ", not those of modelDir "
                                + rnn
                                + " "
                                + SPLIT
                                + ", whose columns it is scored in; give a feed-forward model of"
                                + " those classes as baselineDir, or null"),
                List.of(
                        assertThrows(
                                        IllegalArgumentException.class,
                                        () -> EvaluateCommand.run(other, null, 1, 2, 2))
                                .getMessage(),
                        assertThrows(
                                        IllegalArgumentException.class,
                                        () -> EvaluateCommand.run(rnn, ff, 1, 2, 2))
                                .getMessage()));
    }

    @Test
    void shouldScoreTheSplitInTheModelsClassesByNameAsFootageIs() throws Exception {
        // Given an untrained tiny recurrent model of the synthetic split's classes, in the
        // opposite order
        List<String> reversed = new ArrayList<>(SPLIT);
        Collections.reverse(reversed);
        Path rnn = saved(withClasses(EvaluationReportTest.tinySpec(), reversed), "rnn");

        // When it is evaluated on the synthetic split
        EvaluateCommand.Evaluation result = EvaluateCommand.run(rnn, null, 1, 2, 1);

        // Then each label is scored as the model's class of its name (it was scored by index)
        VideoSequence generated = new SyntheticDataset().sequence(Split.TEST, 0, 2, 64, 48);
        List<String> expected = new ArrayList<>();
        List<String> scored = new ArrayList<>();
        for (Samples.Sample sample : result.samples().frames()) {
            byte[] labels = generated.frame(sample.frameIndex()).labels();
            for (int i = 0; i < labels.length; i++) {
                int label = labels[i] & 0xff;
                labels[i] = (byte) (label == 255 ? 255 : SPLIT.size() - 1 - label);
            }
            expected.add(Arrays.toString(labels));
            scored.add(Arrays.toString(sample.labels()));
        }
        assertEquals(expected, scored);
        assertEquals(reversed, result.classNames());
    }

    @Test
    void shouldRefuseASplitTooLargeForTheHeapBeforeMakingIt() throws Exception {
        // Given a tiny model of the split's classes and 64x48 frames, 6 bytes a pixel as the
        // split is made (it made every frame for minutes, then ran out of memory)
        Path rnn = saved(withClasses(EvaluationReportTest.tinySpec(), SPLIT), "rnn");
        Path report = dir.resolve("report");
        long most = Runtime.getRuntime().maxMemory() / 2 / (6 * 64 * 48);
        String sentence =
                "%s 1000000 and %s 1000 would hold 1000000000 synthetic 64x48 frames at once,"
                        + String.format(
                                java.util.Locale.ROOT,
                                " %.1f GiB, but half of this JVM's heap of %s holds at most %d of"
                                        + " them; give ",
                                1e9 * 6 * 64 * 48 / (1L << 30),
                                io.canvasflow.cli.options.CommandFailures.heap(),
                                most)
                        + "%s and %s whose product is at most "
                        + most
                        + ", or more heap (CANVASFLOW_HEAP)";

        // When a million sequences of a thousand frames are asked for, on the command line and
        // from Java
        CommandRun run =
                CommandRun.of(
                        new EvaluateCommand(),
                        "--model",
                        rnn.toString(),
                        "--baseline",
                        "none",
                        "--sequences",
                        "1000000",
                        "--frames",
                        "1000",
                        "--report",
                        report.toString());
        IllegalArgumentException fromJava =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> EvaluateCommand.run(rnn, null, 1_000_000, 1000, 2));

        // Then each is one sentence naming its options, with the most this heap holds, before a
        // frame is made or the report folder written
        assertRefusedSaying(
                run,
                "canvasflow evaluate: "
                        + sentence.formatted("--sequences", "--frames", "--sequences", "--frames"));
        assertEquals(
                sentence.formatted(
                        "sequenceCount", "framesPerSequence", "sequenceCount", "framesPerSequence"),
                fromJava.getMessage());
        assertFalse(Files.exists(report));
    }

    /** The synthetic test split's classes. */
    private static final List<String> SPLIT = ClassTable.SYNTHETIC.names();

    /** {@code spec} with these classes. */
    private static ModelSpec withClasses(ModelSpec spec, List<String> names) {
        return new ModelSpec(
                spec.formatVersion(),
                spec.modelId(),
                spec.version(),
                spec.network(),
                names.stream().map(n -> new ModelSpec.ClassInfo(n, "#808080")).toList(),
                spec.input(),
                spec.training(),
                null);
    }

    /** {@code spec}'s untrained model, saved in the folder {@code name}. */
    private Path saved(ModelSpec spec, String name) throws Exception {
        Path to = dir.resolve(name);
        try (SegmentationModel model = SegmentationModel.initialize(spec, DeviceChoice.CPU)) {
            model.save(to);
        }
        return to;
    }

    @Test
    void shouldSayInItsHelpThatItEvaluatesLabelledDataToo() {
        // (one space for picocli's line breaks and indents)
        String help =
                new CommandLine(new EvaluateCommand()).getUsageMessage().replaceAll("\\s+", " ");
        assertTrue(help.contains("or on labelled footage"), help);
        assertTrue(help.contains("Synthetic data only: the feed-forward model"), help);
    }
}
