package io.canvasflow.trainer;

import static io.canvasflow.testsupport.CommandAssertions.assertRefusedSaying;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.testsupport.CommandRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code canvasflow evaluate}'s options: what each kind of data takes, and its help. */
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
    void shouldSayInItsHelpThatItEvaluatesLabelledDataToo() {
        // (one space for picocli's line breaks and indents)
        String help =
                new CommandLine(new EvaluateCommand()).getUsageMessage().replaceAll("\\s+", " ");
        assertTrue(help.contains("or on labelled footage"), help);
        assertTrue(help.contains("Synthetic data only: the feed-forward model"), help);
    }
}
