package io.canvasflow.tools.bench;

import static io.canvasflow.testsupport.CommandAssertions.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.testsupport.CommandRun;
import io.canvasflow.testsupport.Refusals;
import io.canvasflow.tools.ModelFlagPairs;
import io.canvasflow.tools.ShippedModels;
import io.canvasflow.tools.capacity.CapacityCommand;
import io.canvasflow.tools.common.CorePlacement;
import io.canvasflow.tools.common.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ScaleBenchCommandTest {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    @SuppressWarnings("unchecked")
    void shouldMeasureCameraCountsARestoreAndATakeoverAndFeedTheCapacityModel(@TempDir Path dir)
            throws Exception {
        // Given a short run: 2 and 6 cameras at 6 frames/s for 3 s, then 300 cameras restored
        Path json = dir.resolve("scale.json");

        // When bench scale runs (serve and the broker in child JVMs, nothing pinned)
        CommandRun run =
                CommandRun.of(
                        new ScaleBenchCommand(),
                        "--cameras",
                        "2,6",
                        "--rate",
                        "6",
                        "--seconds",
                        "3",
                        "--restore",
                        "300",
                        "--restore-partitions",
                        "4",
                        "--no-pin",
                        "--model",
                        ShippedModels.rnn().toString(),
                        "-D",
                        "canvas.keyframe.interval=0",
                        "--json",
                        json.toString());

        // Then each camera count has its per-frame cost from the serve process, every frame's mask
        assertEquals(0, run.exit(), run.out() + run.err());
        Map<String, Object> result = Json.parseObject(Files.readString(json));
        List<Map<String, Object>> runs = (List<Map<String, Object>>) result.get("runs");
        assertEquals(List.of(2.0, 6.0), runs.stream().map(r -> r.get("cameras")).toList());
        for (Map<String, Object> r : runs) {
            assertTrue(((Number) r.get("cpuMsPerFrame")).doubleValue() > 1, r.toString());
            assertTrue(((Number) r.get("rssBytes")).doubleValue() > 100e6, r.toString());
            // a canvas is classes x H/8 x W/8 float16s and a header
            assertTrue(((Number) r.get("canvasBytesPerCamera")).doubleValue() > 1000, r.toString());
            assertEquals(1.0, ((Number) r.get("seededShare")).doubleValue(), r.toString());
            // where the stream thread's time went, from serve's /metrics
            Map<String, Object> stages = (Map<String, Object>) r.get("stagesMsPerFrame");
            assertTrue(((Number) stages.get("backbone")).doubleValue() > 0, stages.toString());
            assertTrue(((Number) stages.get("commit wait")).doubleValue() > 0, stages.toString());
            // and the commits that waited: counted, each a few milliseconds
            assertTrue(((Number) r.get("commitsPerSecond")).doubleValue() > 1, r.toString());
            assertTrue(((Number) r.get("msPerCommit")).doubleValue() > 0, r.toString());
        }
        // and the restore read all 300 cameras into an empty state directory, then a second
        // instance took half the partitions
        Map<String, Object> restore = ((List<Map<String, Object>>) result.get("restores")).get(0);
        assertTrue(((Number) restore.get("restoreSeconds")).doubleValue() > 0, restore.toString());
        assertTrue(((Number) restore.get("stateDirBytes")).doubleValue() > 0, restore.toString());
        Map<String, Object> takeover = (Map<String, Object>) restore.get("takeover");
        assertEquals(2.0, takeover.get("partitions"), restore.toString());
        assertTrue(run.out().contains("CPU ms/f") && run.out().contains("ms/commit"), run.out());

        // And the capacity model reads the JSON (for few cameras at a low rate: at its default
        // 100 cameras at 10 frames/s, this shared 2-core machine once measured a cost that needs
        // more stream threads than partitions, which capacity rightly refuses)
        CommandRun capacity =
                CommandRun.of(
                        new CapacityCommand(),
                        "--measured",
                        json.toString(),
                        "--cameras",
                        "10,20",
                        "--fps",
                        "1");
        assertEquals(0, capacity.exit(), capacity.err());
        assertTrue(capacity.out().contains("The formulas against the measured runs"));
    }

    @Test
    void shouldSayInOneSentenceThatNothingListensAtTheClusterAddress() {
        // Given an address where nothing listens, for each benchmark that can use a cluster
        for (Object command :
                List.of(new ScaleBenchCommand(), new PipelineBenchCommand(), new SoakCommand())) {
            long start = System.nanoTime();

            // When the benchmark is pointed at it
            CommandRun run = CommandRun.of(command, "--bootstrap-servers", "127.0.0.1:1");

            // Then it stops at once with one sentence naming the address, before starting anything
            assertEquals(2, run.exit(), command + ": " + run.err());
            // (picocli adds the usage text here; the canvasflow launcher prints the sentence alone)
            assertTrue(
                    run.err()
                            .lines()
                            .findFirst()
                            .orElse("")
                            .contains("no Kafka broker at 127.0.0.1:1"),
                    run.err());
            assertTrue(
                    System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), command.toString());
        }
    }

    @Test
    void shouldGiveEachServeTheModelOfModelOverADashDModelDir() {
        // Given -D model.dir, with and without --model
        Path model = Path.of("/models/mine");
        Map<String, String> d = Map.of("model.dir", "/models/other");
        CorePlacement anywhere = CorePlacement.shared("a test");

        // Then --model is each serve's (the -D was applied after it; the command refuses one that
        // names another model, as serve does: ModelFlagPairs), and the -D applies alone
        assertEquals(
                model.toAbsolutePath().toString(),
                new ScaleBenchmark.Common("b", anywhere, model, d, Path.of("w"))
                        .settings("app", 1, Path.of("s"))
                        .get("model.dir"));
        assertEquals(
                "/models/other",
                new ScaleBenchmark.Common("b", anywhere, null, d, Path.of("w"))
                        .settings("app", 1, Path.of("s"))
                        .get("model.dir"));
    }

    @Test
    void shouldRefuseAModelAndADashDModelDirThatDisagreeAndTakeThemWhereTheyAgree() {
        // Given --model with a -D model.dir that names another model, and with one that names
        // the same folder, at a cluster where nothing listens
        ModelFlagPairs pairs = new ModelFlagPairs(ScaleBenchCommand::new);

        // When canvasflow bench scale reads each command line
        Map<List<String>, List<Object>> results = pairs.results();

        // Then two models are one sentence naming both, as serve says it, before anything
        // starts; one model passes the check and stops at the broker's
        assertEquals(pairs.expected(), results);
    }

    @Test
    void shouldRefuseASettingEachServeSetsItselfAndSayWhichInItsHelp() {
        // Given -D settings that would replace a serve's own: its cluster, ids, topics and state
        // directory, on which the benchmark's publisher, mask reader and clean-up rely, and its
        // HTTP port, which --http-port replaces; and ones it applies (the stream threads and the
        // canvas gap, which it does not set, or sets only by default), given with a cluster where
        // nothing listens so that nothing starts
        Map<List<String>, String> refusals =
                Map.of(
                        List.of("-D", "bootstrap.servers=127.0.0.1:1"),
                        "-D bootstrap.servers cannot be used with canvasflow bench scale:"
                                + " --bootstrap-servers sets it (without it, an embedded broker);"
                                + " leave it out",
                        List.of("-D", "application.id=mine"),
                        "-D application.id cannot be used with canvasflow bench scale: each run"
                                + " sets its own (a fresh application id, topics and state"
                                + " directory); leave it out",
                        List.of("-D", "topic.frames=frames"),
                        "-D topic.frames cannot be used",
                        List.of("-D", "topic.partitions=3"),
                        "-D topic.partitions cannot be used with canvasflow bench scale: each run"
                                + " gives its topics the partitions its own options say",
                        List.of("-D", "state.dir=/tmp/scale-state"),
                        "-D state.dir cannot be used",
                        // kafka. is a prefix the configuration strips: the same setting
                        List.of("-D", "kafka.state.dir=/tmp/scale-state"),
                        "-D kafka.state.dir cannot be used",
                        List.of("-D", "http.port=8080"),
                        "-D http.port cannot be used with canvasflow bench scale: each run picks a"
                                + " free port of its own; leave it out",
                        List.of(
                                "--bootstrap-servers",
                                "127.0.0.1:1",
                                "-D",
                                "num.stream.threads=2",
                                "-D",
                                "canvas.max.gap.ms=5000"),
                        "no Kafka broker at 127.0.0.1:1");

        // Then each of a serve's own is refused before anything starts, and the others are not
        for (CommandRun run : Refusals.assertEachRefused(ScaleBenchCommand::new, refusals)) {
            assertTrue(!run.out().contains("Starting"), run.out());
        }
        // and the help of -D names them
        String words = Refusals.helpWords(new ScaleBenchCommand());
        assertTrue(words.contains("exceptthoseeachrunsetsitself(bootstrap.servers,"), words);
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void shouldNameTheVariablesItDoesNotPassOnToServe(@TempDir Path dir) throws Exception {
        // Given bench scale in a JVM whose environment sets serve's canvas gap and model following,
        // which each serve is given by -D, and stream threads, which it is not given at all (the
        // value of one is not even a number); pointed at an address where nothing listens, so
        // that it stops before starting anything
        Map<String, String> variables =
                Map.of(
                        "CANVASFLOW_CANVAS_MAX_GAP_MS", "5000",
                        "CANVASFLOW_MODELS_FOLLOW", "true",
                        "CANVASFLOW_NUM_STREAM_THREADS", "two");

        // When it starts
        ChildBench.Ended bench =
                ChildBench.run(
                        variables,
                        dir.resolve("scale.log"),
                        "scale",
                        "--bootstrap-servers",
                        "127.0.0.1:1");

        // Then it names them in one line before its refusal, the bad value not refused: its
        // serves would not read it
        assertEquals(2, bench.exit(), bench.output());
        assertTrue(
                bench.saidBefore(
                        "canvasflow bench scale: CANVASFLOW_CANVAS_MAX_GAP_MS,"
                                + " CANVASFLOW_MODELS_FOLLOW, CANVASFLOW_NUM_STREAM_THREADS are not"
                                + " passed on to the runs, which take only the benchmark's"
                                + " settings and -D; give a setting as -D to measure with it",
                        "no Kafka broker at 127.0.0.1:1"),
                bench.output());
    }

    @Test
    void shouldRefuseABadRateInOneSentence() {
        CommandRun run = CommandRun.of(new ScaleBenchCommand(), "--rate", "0");
        assertRefused(run, "--rate > 0");
    }

    @Test
    void shouldRefuseARestoreCountGivenTwiceInOneSentence() {
        CommandRun run = CommandRun.of(new ScaleBenchCommand(), "--restore", "10000,1000,10000");
        assertRefused(
                run,
                "expected --restore each camera count once (the resident set per"
                        + " camera is the line through different counts) but found"
                        + " [10000, 1000, 10000]");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldTakeTheResidentSetGrowthBetweenTheFewestAndTheMostCameras() {
        // Given restores of 1,000, 10,000 and 5,000 cameras, in that order (400, 490, 450 MB)
        List<RestoreBenchmark.Run> restores =
                List.of(
                        new RestoreBenchmark.Run(1_000, 12, 9_000_000, 1, 3, 400_000_000, 0, null),
                        new RestoreBenchmark.Run(
                                10_000, 12, 90_000_000, 3, 5, 490_000_000, 0, null),
                        new RestoreBenchmark.Run(
                                5_000, 12, 45_000_000, 2, 4, 450_000_000, 0, null));

        // When the report is made
        Map<String, Object> json =
                ScaleReport.json(
                        io.canvasflow.tools.common.CorePlacement.shared("test"),
                        List.of(),
                        restores);

        // Then the growth is 90 MB over the 9,000 cameras between the fewest and the most, not
        // between the first and the last to run
        assertEquals(10e6, (Double) json.get("rssGrowthBytesPer1000Cameras"), 1e-3);
    }

    @Test
    void shouldRefuseATakeoverOfOnePartitionInOneSentence() {
        // Given restores of one partition, which a second serve cannot take half of
        CommandRun run = CommandRun.of(new ScaleBenchCommand(), "--restore-partitions", "1");
        assertRefused(
                run,
                "expected --restore-partitions >= 2 for the take-over, in which a"
                        + " second serve takes half of them (or --no-takeover) but"
                        + " found 1");

        // while without the take-over one partition passes the checks (and meets no broker)
        CommandRun alone =
                CommandRun.of(
                        new ScaleBenchCommand(),
                        "--restore-partitions",
                        "1",
                        "--no-takeover",
                        "--bootstrap-servers",
                        "127.0.0.1:1");
        assertTrue(alone.err().contains("no Kafka broker at 127.0.0.1:1"), alone.err());
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldGiveNoTakeoverTimeWhenTheDeadlinePassedAndExitWithOne() {
        // Given a take-over that owned 1 of 6 partitions, unrestored, when its deadline passed
        RestoreBenchmark.Run restore =
                new RestoreBenchmark.Run(
                        1_000,
                        12,
                        9_000_000,
                        1,
                        3,
                        400_000_000,
                        0,
                        new RestoreBenchmark.Takeover(Double.NaN, 1, Double.NaN, false));

        // When it is reported
        Map<String, Object> json =
                ScaleReport.json(
                        io.canvasflow.tools.common.CorePlacement.shared("test"),
                        List.of(),
                        List.of(restore));
        java.io.StringWriter err = new java.io.StringWriter();
        int status = ScaleBenchCommand.exitStatus(json, new java.io.PrintWriter(err, true));

        // Then it has no seconds (it printed the 180 s deadline as measured), says incomplete,
        // and the run exits 1 with a line saying why
        Map<String, Object> takeover =
                (Map<String, Object>)
                        ((List<Map<String, Object>>) json.get("restores")).get(0).get("takeover");
        assertEquals(false, takeover.get("complete"));
        assertEquals(null, takeover.get("seconds"));
        assertTrue(ScaleReport.table(json).contains("incomplete (1 p)"), ScaleReport.table(json));
        assertEquals(1, status);
        assertEquals(
                "canvasflow bench scale: the second serve had not taken over half of 12"
                        + " partitions, restored, within 180 s; no take-over time is given",
                err.toString().strip());
    }

    @Test
    void shouldRefuseFewerMeasuredFramesThanCamerasInOneSentence() {
        // Given 64 cameras and a load of 6 frames/s for 3 s: 18 frames, most cameras none
        CommandRun run =
                CommandRun.of(
                        new ScaleBenchCommand(),
                        "--cameras",
                        "4,64",
                        "--rate",
                        "6",
                        "--seconds",
                        "3");

        // Then it is refused before anything starts (it printed a report and exited 0)
        assertEquals(2, run.exit(), run.out());
        assertTrue(
                run.err()
                        .contains(
                                "expected --rate x --seconds of at least a frame per camera (64)"
                                        + " but found 6.0 x 3.0 = 18 frames"),
                run.err());
        assertTrue(!run.out().contains("Starting"), run.out());
    }
}
