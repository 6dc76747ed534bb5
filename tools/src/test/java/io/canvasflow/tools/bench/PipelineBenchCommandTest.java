package io.canvasflow.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.testsupport.CommandRun;
import io.canvasflow.testsupport.Refusals;
import io.canvasflow.tools.ModelFlagPairs;
import io.canvasflow.tools.ShippedModels;
import io.canvasflow.tools.common.CorePlacement;
import io.canvasflow.tools.common.CpuUse;
import io.canvasflow.tools.common.Footage;
import io.canvasflow.tools.common.Latency;
import io.canvasflow.tools.common.LatencyProbe;
import io.canvasflow.tools.replay.StageTimes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class PipelineBenchCommandTest {

    /**
     * One PyTorch intra-op thread: these tests check behaviour, not speed, and on a busy machine an
     * OpenMP team per stream thread oversubscribes the cores (a frame then takes tens of times
     * longer).
     */
    @BeforeAll
    static void oneIntraOpThread() {
        TorchThreads.set(1);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void shouldMeasureBareModelAndOneAndTwoStreamThreadsOnTheSameFrames() throws Exception {
        // Given two synthetic cameras of five frames
        PipelineBenchCommand.Settings settings = settings(2, 5, 3, null);

        // When the benchmark runs
        PipelineBenchmark.Result r =
                PipelineBenchCommand.run(settings, new PrintWriter(new StringWriter(), true));

        // Then the bare model on one thread and on two, and both end-to-end runs, saw every frame
        assertEquals(10, r.frames());
        assertEquals(
                List.of("bare model", "bare model", "end-to-end", "end-to-end"),
                r.phases().stream().map(PipelineBenchmark.Phase::name).toList());
        assertEquals(
                List.of(0, 0, 1, 2),
                r.phases().stream().map(p -> p.threads().streamThreads()).toList());
        assertEquals(
                List.of(1, 2, 1, 2),
                r.phases().stream().map(p -> p.threads().modelThreads()).toList());
        for (PipelineBenchmark.Phase p : r.phases()) {
            assertEquals(
                    List.of(true, 10L),
                    List.of(p.throughput().complete(), p.throughput().frames()),
                    p.toString());
            assertTrue(p.throughput().fps() > 0 && p.throughput().meanModelMs() > 0, p.toString());
            // The time of the threads that ran the model is theirs, not the process's rest
            assertTrue(p.cpu().ms(CpuUse.Group.MODEL_THREADS) > 0, p.toString());
            // and the frames/s is of every frame over the span the processor time is of
            assertEquals(
                    p.throughput().frames(),
                    p.throughput().fps() * p.cpu().wallMs() / 1000,
                    1e-6,
                    p.toString());
            // and it is broken down by stage; end to end, with Kafka's commit and poll waits
            assertTrue(p.stagesMs().get("backbone") > 0, p.toString());
            assertEquals(
                    p.threads().streamThreads() > 0,
                    p.stagesMs().containsKey(StageTimes.COMMIT_WAIT),
                    p.toString());
            if (p.threads().streamThreads() > 0) {
                // of which the flush is a part
                double flush = p.stagesMs().get(StageTimes.COMMIT_FLUSH);
                assertTrue(
                        flush >= 0 && flush <= p.stagesMs().get(StageTimes.COMMIT_WAIT),
                        p.toString());
            }
        }
        assertTrue(
                PipelineBenchTable.table(r).contains("commit wait"), PipelineBenchTable.table(r));
        assertTrue(r.phases().get(2).latency().p50Ms() >= 0, "latency measured");
        // and the broker's commit was probed without the model, once per round
        assertEquals(1, r.commitProbes().size());
        CommitProbe.Result probe = r.commitProbes().get(1);
        assertTrue(
                probe.roundTripP50Ms() > 0 && probe.commitMs() > probe.endMs(), probe.toString());
        assertTrue(r.phases().get(2).stagesMs().get(StageTimes.COMMITS) > 0, "commits counted");
        assertTrue(r.endToEndOverBare() > 0 && r.twoThreadsOverOne() > 0);
        String json = PipelineBenchCommand.json(r);
        assertTrue(json.contains("\"endToEndOneThreadOverBare\""), json);
        assertTrue(PipelineBenchTable.table(r).contains("2 stream threads / 1 stream thread"));
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void shouldRunAgainstAGivenClusterInATopicOfItsOwn() throws Exception {
        // Given a Kafka cluster that the benchmark does not start
        try (EmbeddedKafkaBroker cluster = EmbeddedKafkaBroker.builder().build().start()) {
            PipelineBenchCommand.Settings settings = settings(1, 4, 0, cluster.bootstrapServers());

            // When the benchmark runs against it
            StringWriter console = new StringWriter();
            PipelineBenchmark.Result r =
                    PipelineBenchCommand.run(settings, new PrintWriter(console, true));

            // Then every run saw the 4 frames, published to a topic named for the run
            assertTrue(
                    console.toString().contains("Using the Kafka cluster at "), console.toString());
            for (PipelineBenchmark.Phase p : r.phases()) {
                assertEquals(
                        List.of(true, 4L),
                        List.of(p.throughput().complete(), p.throughput().frames()),
                        p.toString());
            }
            try (Admin admin =
                    Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
                Set<String> topics = admin.listTopics().names().get();
                assertTrue(
                        topics.stream().anyMatch(t -> t.matches("frames-bench-[0-9a-z]+")),
                        "the run's frames topic");
                // and the commit probe took its topic and group away again
                assertTrue(
                        topics.stream().noneMatch(t -> t.startsWith("canvasflow-commit-probe-")),
                        topics.toString());
                // and so did each run with its application's topics and consumer group
                List<String> groups =
                        admin.listGroups().all().get().stream().map(g -> g.groupId()).toList();
                assertEquals(List.of(), groups);
                assertTrue(
                        topics.stream().noneMatch(t -> t.startsWith("canvasflow-")),
                        topics.toString());
            }
        }
    }

    @Test
    void shouldCompareEachSideAtItsFastestCompleteIntraOpCount() {
        // Given runs at several intra-op counts, the fastest two-thread run incomplete
        PipelineBenchmark.Result r =
                new PipelineBenchmark.Result(
                        100,
                        2,
                        2,
                        2,
                        List.of(
                                phase(0, 2, 50, true),
                                phase(0, 1, 40, true),
                                phase(1, 2, 30, true),
                                phase(1, 1, 40, true),
                                phase(2, 1, 60, true),
                                phase(2, 2, 90, false)),
                        "model-v1",
                        CorePlacement.shared("test"),
                        new TreeMap<>());

        // When the ratios are taken
        List<Double> ratios = List.of(r.endToEndOverBare(), r.twoThreadsOverOne());

        // Then one stream thread's best (40) is set against the bare model's best (50), and the
        // complete two-thread run (60) against one thread's best; the table says which runs
        assertEquals(List.of(0.8, 1.5), ratios);
        assertEquals(List.of(0.6, 1.0), List.of(r.endToEndOverBareAt(2), r.endToEndOverBareAt(1)));
        String table = PipelineBenchTable.table(r);
        assertTrue(
                table.contains(
                        "end-to-end, 1 stream thread / bare model: 0.800   (bar: >= 0.9, NOT met)"
                                + "   [40.0 f/s at 1 intra-op / 50.0 f/s at 2 intra-op]"),
                table);
        assertTrue(
                table.contains(
                        "2 stream threads / 1 stream thread: 1.500   (bar: >= 1.6, NOT met)"
                                + "   [60.0 f/s at 1 intra-op / 40.0 f/s at 1 intra-op]"),
                table);
    }

    /**
     * Settings for a short run: one partition per camera, as many warm-up frames as cameras, one
     * round, no second two-thread run.
     */
    private static PipelineBenchCommand.Settings settings(
            int cameras, int frames, int latencyFrames, String bootstrapServers) {
        return new PipelineBenchCommand.Settings(
                new Footage(cameras, frames, null, 0),
                cameras,
                ShippedModels.rnn(),
                new PipelineBenchmark.Measure(
                        cameras,
                        new LatencyProbe(latencyFrames, 0.8),
                        false,
                        Duration.ofMinutes(1),
                        1,
                        CorePlacement.shared("test"),
                        0),
                Map.of(),
                bootstrapServers,
                // a child broker, but this test JVM is not pinned to a core: other tests share it
                "child-shared");
    }

    private static PipelineBenchmark.Phase phase(
            int streamThreads, int intraOp, double fps, boolean complete) {
        return phase(streamThreads, intraOp, fps, complete, 1);
    }

    /** 100 frames of 2 cameras on 2 processors, PyTorch at 1 intra-op thread. */
    private static PipelineBenchmark.Result oneIntraOpResult(
            List<PipelineBenchmark.Phase> phases, Map<Integer, CommitProbe.Result> probes) {
        return new PipelineBenchmark.Result(
                100,
                2,
                2,
                1,
                phases,
                "model-v1",
                CorePlacement.shared("test"),
                new TreeMap<>(probes));
    }

    private static PipelineBenchmark.Phase phase(
            int streamThreads, int intraOp, double fps, boolean complete, int round) {
        return phase(
                new PipelineBenchmark.Threads(streamThreads, Math.max(1, streamThreads), intraOp),
                fps,
                complete,
                round,
                Map.of());
    }

    /** A complete round-1 phase on one intra-op thread, with the stage times it measured. */
    private static PipelineBenchmark.Phase phase(
            int streamThreads, double fps, Map<String, Double> stagesMs) {
        return phase(
                new PipelineBenchmark.Threads(streamThreads, Math.max(1, streamThreads), 1),
                fps,
                true,
                1,
                stagesMs);
    }

    private static PipelineBenchmark.Phase phase(
            PipelineBenchmark.Threads threads,
            double fps,
            boolean complete,
            int round,
            Map<String, Double> stagesMs) {
        return new PipelineBenchmark.Phase(
                threads.streamThreads() == 0 ? "bare model" : "end-to-end",
                threads,
                new PipelineBenchmark.Throughput(100, fps, 1000 / fps, complete),
                Latency.none(),
                1.0,
                round,
                null,
                stagesMs);
    }

    @Test
    void shouldTakeEachConfigurationAtItsFastestRound() {
        // Given two rounds, the machine busier for the bare model in round 1 and for the
        // end-to-end run in round 2
        PipelineBenchmark.Phase bare1 = phase(0, 1, 40, true);
        PipelineBenchmark.Phase e2e1 = phase(1, 1, 38, true);
        PipelineBenchmark.Phase bare2 = phase(0, 1, 44, true, 2);
        PipelineBenchmark.Phase e2e2 = phase(1, 1, 30, true, 2);
        PipelineBenchmark.Result r = oneIntraOpResult(List.of(bare1, e2e1, bare2, e2e2), Map.of());

        // Then each side is taken at its fastest round: 38 / 44
        assertEquals(38.0 / 44.0, r.endToEndOverBare(), 1e-9);
        assertEquals(38.0 / 44.0, r.endToEndOverBareAt(1), 1e-9);
        // and within each round: 38 / 40 and 30 / 44
        assertEquals(List.of(38.0 / 40.0, 30.0 / 44.0), r.endToEndOverBareByRound());
        assertTrue(
                PipelineBenchTable.table(r).contains("within each round: 0.950, 0.682"),
                PipelineBenchTable.table(r));
        assertTrue(
                PipelineBenchTable.table(r).contains("    2 bare model"),
                PipelineBenchTable.table(r));
    }

    @Test
    void shouldPutTheProbedCommitCostAsACeilingOnTheRatio() {
        // Given a bare frame of 20 ms, a stream thread that committed every 5 frames and waited
        // 1.2 ms a frame for its commits, and a probe whose commit took 5 ms (2 + 2 + 1); the
        // model 1 ms slower end to end
        PipelineBenchmark.Phase bare =
                phase(0, 50, Map.of("backbone", 16.0, StageTimes.OTHER, 0.5));
        PipelineBenchmark.Phase e2e =
                phase(
                        1,
                        45,
                        Map.of(
                                StageTimes.COMMIT_WAIT,
                                1.2,
                                StageTimes.COMMIT_FLUSH,
                                0.5,
                                StageTimes.COMMITS,
                                0.2,
                                "produce",
                                0.3,
                                StageTimes.OTHER,
                                0.7,
                                "backbone",
                                17.0));
        PipelineBenchmark.Result r =
                oneIntraOpResult(
                        List.of(bare, e2e), Map.of(1, new CommitProbe.Result(0.5, 1.5, 2, 2, 1)));

        String lines = PipelineBenchTable.commitLines(r);

        // Then the commit is 1.2 / 0.2 = 6 ms in the stream, beside the probe's 5 ms; waiting
        // 1.2 ms a frame for its commits, the ratio can reach 20 / 21.2 at most
        assertTrue(lines.contains("one exactly-once commit 5.00 ms"), lines);
        assertTrue(
                lines.contains(
                        "a commit every 5.0 frames, 6.00 ms each (the probe's that round: 5.00 ms)"),
                lines);
        assertTrue(lines.contains("commit waits alone: 1.20 ms a frame"), lines);
        assertTrue(lines.contains("could reach 0.943"), lines);
        // and Kafka's cost is the commit wait, the produce stage the bare thread does not have and
        // 0.2 ms more other than bare (1.2 + 0.3 + 0.2), not the flush (in the commit wait), the
        // commit count or the slower model
        assertEquals(1.7, r.kafkaMsPerFrame(), 1e-9);
        assertEquals(20 / 21.7, r.endToEndOverBareModelAlike(), 1e-9);
        assertTrue(
                lines.contains("Kafka's cost: 1.70 ms a frame (commit waits 1.20, the rest 0.50"),
                lines);
        assertTrue(PipelineBenchCommand.json(r).contains("\"commitsPerFrame\": 0.2"));

        // and a round whose probe the broker refused prints the stream's commit alone
        PipelineBenchmark.Result unprobed = oneIntraOpResult(List.of(bare, e2e), Map.of());
        String alone = PipelineBenchTable.commitLines(unprobed);
        assertTrue(alone.contains("6.00 ms each\n"), alone);
        assertTrue(!alone.contains("probe"), alone);
    }

    @Test
    void shouldCompareTheBareModelOnOneThreadWithOneStreamThreadAndOnTwoWithTwo() {
        // Given the bare model on 1 thread (80 f/s) and on 2 (140 f/s), and 1 and 2 stream threads
        PipelineBenchmark.Phase bareTwo =
                phase(new PipelineBenchmark.Threads(0, 2, 1), 140, true, 1, Map.of());
        PipelineBenchmark.Result r =
                new PipelineBenchmark.Result(
                        100,
                        4,
                        2,
                        2,
                        List.of(
                                phase(0, 1, 80, true),
                                bareTwo,
                                phase(1, 1, 64, true),
                                phase(2, 1, 112, true)),
                        "model-v1",
                        CorePlacement.shared("test"),
                        new TreeMap<>());

        // Then the first bar takes the one-thread bare model, and the two-thread figures pair up
        assertEquals(64.0 / 80.0, r.endToEndOverBare(), 1e-9);
        assertEquals(140.0 / 80.0, r.bareTwoThreadsOverOne(), 1e-9);
        assertEquals(112.0 / 140.0, r.endToEndOverBareTwoThreads(), 1e-9);
        assertEquals(List.of(1), r.bareIntraOpCounts());
        assertTrue(
                PipelineBenchTable.table(r)
                        .contains(
                                "end-to-end, 2 stream threads / bare model, 2" + " threads: 0.800"),
                PipelineBenchTable.table(r));
    }

    @Test
    void shouldExitWithOneAndGiveNoP99WhenALatencyProbeIsIncomplete() {
        // Given an end-to-end run whose probe of 40 frames got 37 masks before the idle timeout
        List<Double> arrived = new java.util.ArrayList<>();
        for (int ms = 1; ms <= 37; ms++) {
            arrived.add((double) ms);
        }
        PipelineBenchmark.Phase e2e =
                new PipelineBenchmark.Phase(
                        "end-to-end",
                        new PipelineBenchmark.Threads(1, 1, 1),
                        new PipelineBenchmark.Throughput(100, 40, 25, true),
                        Latency.of(40, 32.0, arrived),
                        1.0,
                        1,
                        null,
                        Map.of());
        PipelineBenchmark.Result r =
                oneIntraOpResult(List.of(phase(0, 1, 50, true), e2e), Map.of());
        StringWriter err = new StringWriter();

        // When its exit status is decided and its figures printed
        int status = PipelineBenchCommand.exitStatus(r, new PrintWriter(err, true));
        String json = PipelineBenchCommand.json(r);

        // Then it is 1 with a line saying so, the JSON flags the probe and has no p99, and the
        // table says how many masks came
        assertEquals(1, status);
        assertEquals(
                "canvasflow bench pipeline: round 1, 1 stream thread(s) x 1 intra-op: latency"
                        + " probe incomplete: 37 of 40 masks arrived before the idle timeout; a"
                        + " percentile a missing mask would decide is not given",
                err.toString().strip());
        assertTrue(
                json.contains("\"latencyReceived\": 37,\n      \"latencyComplete\": false,"), json);
        assertTrue(json.contains("\"latencyP99Ms\": null"), json);
        assertTrue(
                PipelineBenchTable.table(r).contains("(probe incomplete: 37 of 40)"),
                PipelineBenchTable.table(r));
        // and the line printed after the run gives the p50 and no p99 either, not NaN
        assertEquals(
                "  40.0 frames/s; latency p50 20 ms, p99 - ms at 32.0 frames/s\n",
                PipelineBenchTable.endToEndLine(e2e, 40));
        // while a run whose probes all completed exits 0
        assertEquals(
                0,
                PipelineBenchCommand.exitStatus(
                        oneIntraOpResult(List.of(phase(0, 1, 50, true)), Map.of()),
                        new PrintWriter(new StringWriter())));
    }

    @Test
    void shouldSayInWordsThatNoLatencyProbeRan() {
        // Given an end-to-end run of 40 frames/s with --latency-frames 0
        PipelineBenchmark.Phase e2e = phase(1, 1, 40, true);

        // When the line printed after it is made
        String line = PipelineBenchTable.endToEndLine(e2e, 0);

        // Then it says the latency was not measured and why, with no NaN figures
        assertEquals("  40.0 frames/s; latency not measured (--latency-frames 0)\n", line);
    }

    @Test
    void shouldShowARemainderOfTheStagesBelowZeroAsAboutZero() {
        // Given a bare run of 50 f/s (20 ms a frame) whose stage timers came to 20.91 ms a frame,
        // leaving -0.91 ms for other, and an end-to-end run with 0.70 ms left
        PipelineBenchmark.Phase bare =
                phase(0, 50, Map.of("backbone", 20.91, StageTimes.OTHER, -0.91));
        PipelineBenchmark.Phase e2e = phase(1, 40, Map.of("backbone", 24.3, StageTimes.OTHER, 0.7));
        PipelineBenchmark.Result r = oneIntraOpResult(List.of(bare, e2e), Map.of());

        // When the stage table is printed
        String table = PipelineBenchTable.stagesTable(r);

        // Then the bare run's other is about zero, not a negative time, and the end-to-end run's
        // is as measured; the JSON keeps the figure as measured
        List<String> other =
                table.lines().filter(l -> l.startsWith(StageTimes.OTHER + " ")).toList();
        assertEquals(
                List.of("other ~0 0.70"),
                other.stream().map(PipelineBenchCommandTest::words).toList(),
                table);
        String json = PipelineBenchCommand.json(r);
        assertTrue(json.contains("\"other\": -0.91"), json);
    }

    @Test
    void shouldSayWhatTheResizeEncodeAndOtherRowsTimeAndWhereAGcPauseCounts() {
        // Given a bare and an end-to-end run with their stage timers
        PipelineBenchmark.Phase bare =
                phase(0, 50, Map.of("resize", 1.5, "encode", 0.3, StageTimes.OTHER, 0.3));
        PipelineBenchmark.Phase e2e =
                phase(1, 40, Map.of("resize", 1.6, "encode", 0.3, StageTimes.OTHER, 0.6));
        PipelineBenchmark.Result r = oneIntraOpResult(List.of(bare, e2e), Map.of());

        // When the stage table is printed
        String table = PipelineBenchTable.stagesTable(r);

        // Then its footnote says that resize is mostly the logits' upsample and argmax, that
        // encode also builds the new canvas, and that a GC pause counts in the stage it stops,
        // not in other
        List<String> note = table.lines().filter(l -> l.startsWith("(")).toList();
        assertEquals(
                List.of(
                        "(a model thread's wall time per frame: the frame stages as"
                                + " canvasflow_frame_stage_seconds times them; resize = the"
                                + " segmenter's work around the network, mostly the upsample and"
                                + " argmax of its logits to the class map, and the input tensor;"
                                + " encode = the mask event (PNG, class fractions) and the new"
                                + " canvas (float16 logits, its CanvasState); a GC pause counts in"
                                + " the stage it stops (one an allocation starts mostly in resize,"
                                + " which allocates the most); end to end, commit wait = the"
                                + " exactly-once commit (producer flush and transaction calls;"
                                + " commit flush = the part of it waiting until the transaction's"
                                + " records are sent and acknowledged), poll wait = the rest of"
                                + " Kafka Streams' blocked-time-ns-total; other = what is left: the"
                                + " stream thread's own loop, punctuation, the canvas policy, the"
                                + " stored canvas's decode and the scene-cut check; ~0 where the"
                                + " stages came to a little more than the wall time)"),
                note,
                table);
    }

    /** A line's words, one space between them. */
    private static String words(String line) {
        return String.join(" ", line.strip().split("\\s+"));
    }

    @Test
    void shouldRefuseAModelAndADashDModelDirThatDisagreeAndTakeThemWhereTheyAgree() {
        // Given --model with a -D model.dir that names another model, and with one that names
        // the same folder, at a cluster where nothing listens
        ModelFlagPairs pairs = new ModelFlagPairs(PipelineBenchCommand::new);

        // When canvasflow bench pipeline reads each command line
        Map<List<String>, List<Object>> results = pairs.results();

        // Then two models are one sentence naming both, as serve says it, before anything
        // starts; one model passes the check and stops at the broker's
        assertEquals(pairs.expected(), results);
    }

    @Test
    void shouldRefuseASettingTheRunsSetThemselvesOrWouldNotUseAndNotOfferOneInItsHelp() {
        // Given -D settings that the runs would overwrite: the canvas policy of seeded-2, which
        // both sides run, and the stream threads, which each end-to-end run sets; and a limit on
        // the frames of a video that is not given (it ran, the option unused)
        Map<List<String>, String> refusals =
                Map.of(
                        List.of("--video-frames", "10"),
                        "--video-frames applies to the frames of --video; give a --video or leave"
                                + " it out",
                        List.of("-D", "canvas.keyframe.interval=30"),
                        "-D canvas.keyframe.interval cannot be used with canvasflow bench"
                                + " pipeline: the mode sets it (seeded-2 to 0); leave it out",
                        List.of("-D", "canvas.seeded.iterations=3"),
                        "the mode sets it (seeded-2 to 2)",
                        List.of("-D", "num.stream.threads=2"),
                        "each end-to-end run sets its own (1 and 2 stream threads)");

        // Then each is refused before anything starts
        for (CommandRun run : Refusals.assertEachRefused(PipelineBenchCommand::new, refusals)) {
            assertTrue(!run.out().contains("Starting"), run.out());
        }
        // and the help's example of -D is one that applies
        String words = Refusals.helpWords(new PipelineBenchCommand());
        assertTrue(words.contains("-Dprocessing.guarantee=at_least_once"), words);
        assertTrue(!words.contains("canvas.keyframe.interval=30"), words);
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void shouldSayWhichModeSettingsTheEnvironmentSetsThatTheRunsReplace(@TempDir Path dir)
            throws Exception {
        // Given bench pipeline in a JVM whose environment sets the keyframe interval, which the
        // runs' mode (seeded-2) sets itself, and the gap after which a canvas resets, which it
        // does not; pointed at an address where nothing listens, so that it stops before starting
        // anything
        Map<String, String> variables =
                Map.of(
                        "CANVASFLOW_CANVAS_KEYFRAME_INTERVAL", "30",
                        "CANVASFLOW_CANVAS_MAX_GAP_MS", "5000");

        // When it starts
        ChildBench.Ended bench =
                ChildBench.run(
                        variables,
                        dir.resolve("pipeline.log"),
                        "pipeline",
                        "--bootstrap-servers",
                        "127.0.0.1:1");

        // Then it says, before its refusal, that the runs replace the keyframe interval, in
        // replay's sentence; the gap, which applies, goes unsaid
        String output = bench.output();
        assertEquals(2, bench.exit(), output);
        assertTrue(
                bench.saidBefore(
                        "canvasflow bench pipeline: canvas.keyframe.interval (environment"
                                + " variable CANVASFLOW_CANVAS_KEYFRAME_INTERVAL) is replaced"
                                + " in each run by its mode's own value; the runs measure the"
                                + " modes, not that setting",
                        "no Kafka broker at 127.0.0.1:1"),
                output);
        assertTrue(!output.contains("canvas.max.gap.ms"), output);
    }
}
