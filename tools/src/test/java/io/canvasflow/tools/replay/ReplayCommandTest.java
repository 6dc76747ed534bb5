package io.canvasflow.tools.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.registry.ModelPublication;
import io.canvasflow.registry.ModelRegistryClient;
import io.canvasflow.schemas.avro.AssignmentScope;
import io.canvasflow.testsupport.CommandRun;
import io.canvasflow.testsupport.Refusals;
import io.canvasflow.tools.ModelFlagPairs;
import io.canvasflow.tools.ShippedModels;
import io.canvasflow.tools.bench.TorchThreads;
import io.canvasflow.tools.common.Footage;
import io.canvasflow.tools.common.LatencyProbe;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReplayCommandTest {

    /**
     * One PyTorch intra-op thread: these tests check behaviour, not speed, and on a busy machine an
     * OpenMP team per stream thread oversubscribes the cores (a frame then takes tens of times
     * longer).
     */
    @BeforeAll
    static void oneIntraOpThread() {
        TorchThreads.set(1);
    }

    private static final int CAMERAS = 2;
    private static final int FRAMES = 6;

    @TempDir Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void shouldReplayEveryModeOnSyntheticFramesAndWriteTheReport() throws Exception {
        // Given a self-contained replay of two synthetic cameras with ground truth
        ReplayCommand.Settings settings =
                selfContained(2, new Footage(CAMERAS, FRAMES, null, 0), ReplayMode.standard(), 3);

        // When it runs
        StringWriter console = new StringWriter();
        ReplayCommand.Outcome outcome =
                ReplayCommand.replay(settings, new PrintWriter(console, true));

        // Then every mode segmented every frame, with the iterations its settings ask for
        ReplayResult result = outcome.result();
        List<String> names = result.modes().stream().map(ModeResult::mode).toList();
        assertEquals(List.of("seeded-2", "zero-2", "zero-6", "feed-forward"), names);
        int frames = CAMERAS * FRAMES;
        assertEquals(frames, result.input().frames());
        assertEquals(frames, result.input().groundTruthFrames());
        for (ModeResult m : result.modes()) {
            assertEquals(
                    List.of(true, (long) frames, (long) frames, 0L),
                    List.of(
                            m.counts().complete(),
                            m.counts().frames(),
                            m.quality().groundTruthFrames(),
                            m.counts().deadLetters()),
                    m.mode());
            assertTrue(
                    m.quality().miou() > 0.2 && m.quality().miou() <= 1,
                    m.mode() + " mIoU " + m.quality().miou());
            assertTrue(
                    m.quality().flicker().share() >= 0 && m.quality().flicker().share() < 0.5,
                    m.mode() + " flicker " + m.quality().flicker().share());
            assertEquals(ModeResult.FLICKER_GT, m.quality().flicker().basis(), m.mode());
            assertEquals((long) CAMERAS * (FRAMES - 1), m.quality().flicker().pairs(), m.mode());
            assertTrue(m.cost().modelMsMean() > 0 && m.cost().fps() > 0, m.mode() + " cost");
            assertEquals(3, m.latency().frames(), m.mode());
            assertTrue(
                    m.latency().p99Ms() >= m.latency().p50Ms() && m.latency().p50Ms() >= 0,
                    m.mode());
        }
        ModeResult seeded = result.mode("seeded-2").orElseThrow();
        assertEquals(Map.of("FIRST_FRAME", (long) CAMERAS), firstFrameResets(seeded));
        assertTrue(
                seeded.canvas().seeded() > 0 && seeded.canvas().meanIterations() < 6,
                "seeded-2 seeds");
        assertEquals(
                List.of(2.0, 6.0, 1.0),
                List.of(
                        result.mode("zero-2").orElseThrow().canvas().meanIterations(),
                        result.mode("zero-6").orElseThrow().canvas().meanIterations(),
                        result.mode("feed-forward").orElseThrow().canvas().meanIterations()));
        assertTrue(
                result.mode("zero-6").orElseThrow().cost().gflopsMean()
                        > seeded.cost().gflopsMean(),
                "zero-6 costs more GFLOPs than seeded-2");

        // And the report holds the JSON with all modes, the Markdown and the plots
        List<String> files = new ArrayList<>();
        outcome.files().forEach(f -> files.add(f.getFileName().toString()));
        assertEquals(
                List.of(
                        ReplayReport.JSON,
                        ReplayReport.MARKDOWN,
                        ReplayReport.QUALITY_PLOT,
                        ReplayReport.FLICKER_PLOT,
                        ReplayReport.COST_PLOT,
                        ReplayReport.LATENCY_PLOT,
                        ReplayReport.SAMPLES_PLOT),
                files);
        JsonObject json =
                JsonParser.parseString(Files.readString(dir.resolve("report/" + ReplayReport.JSON)))
                        .getAsJsonObject();
        JsonArray modes = json.getAsJsonArray("modes");
        assertEquals(4, modes.size());
        assertTrue(json.getAsJsonObject("ratios").get("seeded2OverZero6Miou").getAsDouble() > 0);
        assertTrue(console.toString().contains("| seeded-2 |"), console.toString());
    }

    /** Real footage without ground truth; set CANVASFLOW_VTEST to the path of vtest.avi. */
    @Test
    @EnabledIfEnvironmentVariable(named = "CANVASFLOW_VTEST", matches = ".+")
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void shouldReplayRealFootageWithoutGroundTruth() throws Exception {
        // Given thirty frames of a real street video, which carries no ground truth (enough that
        // the drain of the faster mode spans more than one transaction)
        Path video = Path.of(System.getenv("CANVASFLOW_VTEST"));
        ReplayCommand.Settings settings =
                selfContained(
                        1,
                        new Footage(0, 1, video, 30),
                        List.of(ReplayMode.SEEDED_2, ReplayMode.FEED_FORWARD),
                        0);

        // When it is replayed
        ReplayResult result =
                ReplayCommand.replay(settings, new PrintWriter(new StringWriter(), true)).result();

        // Then flicker falls back to the share of changing pixels, and cost and throughput are
        // there while mIoU is not
        assertEquals(
                List.of(30L, 0L),
                List.of(result.input().frames(), result.input().groundTruthFrames()));
        for (ModeResult m : result.modes()) {
            assertEquals(
                    List.of(true, 30L, ModeResult.FLICKER_ALL, true, true),
                    List.of(
                            m.counts().complete(),
                            m.counts().frames(),
                            m.quality().flicker().basis(),
                            Double.isNaN(m.quality().miou()),
                            m.cost().fps() > 0
                                    && m.cost().modelMsMean() > 0
                                    && m.quality().flicker().share() >= 0),
                    m.mode());
        }
        assertEquals(
                List.of("flicker of seeded-2 / feed-forward"),
                result.checks().stream().map(ReplayResult.Check::description).toList());
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void shouldReplayTheGivenModelOnAClusterWhoseRegistryAssignsAnother() throws Exception {
        // Given a cluster whose model registry assigns the feed-forward model to every camera
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
            ModelRegistryClient registry =
                    new ModelRegistryClient(
                            broker.clientConfig(), ModelRegistryClient.RegistryTopics.defaults());
            registry.createTopics((short) 1);
            ModelPublication ff =
                    ModelPublication.read(
                            ShippedModels.feedForward(), ModelPublication.DEFAULT_CHUNK_BYTES);
            registry.publish(ff);
            registry.assign(AssignmentScope.DEFAULT, null, ff.version());

            // When the recurrent model is replayed on it
            ReplayCommand.Settings settings = onCluster(broker, "frames", 1, 3, 1);
            ReplayResult result =
                    ReplayCommand.replay(settings, new PrintWriter(new StringWriter(), true))
                            .result();

            // Then the recurrent model segmented every frame (the evaluator refuses a mask of
            // another model), not the one the registry assigns
            ModeResult seeded = result.mode("seeded-2").orElseThrow();
            assertEquals(
                    List.of(SegmentationModel.readSpec(ShippedModels.rnn()).version(), 3L),
                    List.of(seeded.modelVersion(), seeded.counts().frames()));
        }
    }

    @Test
    void shouldCheckTheThreadsAgainstTheClustersTopicBeforePublishingToIt() throws Exception {
        // Given a cluster whose frames topic has one partition, and a replay that would make it
        // with four
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
            broker.createTopics(Map.of("one-partition", 1));
            ReplayCommand.Settings settings = onCluster(broker, "one-partition", 4, 2, 2);

            // When two stream threads are asked for
            IllegalArgumentException e =
                    org.junit.jupiter.api.Assertions.assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    ReplayCommand.replay(
                                            settings, new PrintWriter(new StringWriter(), true)));

            // Then the topic's own partition count refuses them, before a frame is published
            assertTrue(e.getMessage().contains("one-partition"), e.getMessage());
            try (var admin = org.apache.kafka.clients.admin.Admin.create(broker.clientConfig())) {
                var partition = new org.apache.kafka.common.TopicPartition("one-partition", 0);
                long end =
                        admin.listOffsets(
                                        Map.of(
                                                partition,
                                                org.apache.kafka.clients.admin.OffsetSpec.latest()))
                                .all()
                                .get()
                                .get(partition)
                                .offset();
                assertEquals(0, end);
            }
        }
    }

    /**
     * A seeded-2 replay of the shipped model on a cluster: one synthetic camera published to a
     * topic made with these partitions if absent, these stream threads, no latency probe.
     */
    private ReplayCommand.Settings onCluster(
            EmbeddedKafkaBroker broker, String topic, int partitions, int frames, int threads) {
        return new ReplayCommand.Settings(
                new ReplayCommand.Cluster(
                        broker.bootstrapServers(), topic, FrameRange.all(), partitions, false),
                new Footage(1, frames, null, 0),
                new ReplayCommand.Run(
                        List.of(ReplayMode.SEEDED_2),
                        ShippedModels.rnn(),
                        ShippedModels.feedForward(),
                        threads,
                        Duration.ofMinutes(1)),
                new LatencyProbe(0, 0.8),
                dir.resolve("report"),
                null,
                Map.of());
    }

    private static Map<String, Long> firstFrameResets(ModeResult m) {
        return m.canvas().resets().entrySet().stream()
                .filter(e -> e.getKey().equals("FIRST_FRAME"))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Test
    void shouldParseRangeModesAndTimes() {
        ReplayCommand command = new ReplayCommand();
        new CommandLine(command)
                .parseArgs(
                        "--bootstrap-servers",
                        "kafka:9092",
                        "--topic",
                        "cams",
                        "--from-offset",
                        "10",
                        "--to-offset",
                        "200",
                        "--from-time",
                        "2026-01-31T12:00:00Z",
                        "--to-time",
                        "1769864400000",
                        "--modes",
                        "seeded-2,ff",
                        "--threads",
                        "2",
                        "-D",
                        "canvas.max.gap.ms=500");

        assertEquals(
                List.of(
                        "kafka:9092",
                        "cams",
                        10L,
                        200L,
                        Instant.parse("2026-01-31T12:00:00Z"),
                        Instant.ofEpochMilli(1769864400000L),
                        List.of("seeded-2", "ff"),
                        2,
                        Map.of("canvas.max.gap.ms", "500")),
                List.of(
                        command.kafkaOptions.bootstrapServers(),
                        command.topic,
                        command.fromOffset,
                        command.toOffset,
                        command.fromTime,
                        command.toTime,
                        command.modes,
                        command.threads,
                        command.configOptions.overrides()));
        assertEquals(ReplayMode.FEED_FORWARD, ReplayMode.named("ff"));
    }

    @Test
    void shouldRefuseAnUnknownModeAndAnEmptySelfContainedReplay() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli =
                new CommandLine(new ReplayCommand())
                        .setOut(new PrintWriter(out))
                        .setErr(new PrintWriter(err));

        int unknown = cli.execute("--modes", "seeded-2,zero-9");
        int empty = cli.execute("--cameras", "0");
        // ran both, then failed at the plots with the report half-written
        int twice = cli.execute("--modes", "seeded-2,seeded-2");
        int ffTwice = cli.execute("--modes", "ff,zero-2,feed-forward");
        // a cluster's frames topic of a name Kafka refuses: "failed: Topic 'bad name' is invalid"
        // and status 1, after the broker was asked
        int badTopic = cli.execute("--topic", "bad name", "--bootstrap-servers", "127.0.0.1:1");
        // 999 stream threads on the 4 partitions it creates
        int threads = cli.execute("--threads", "999");

        assertEquals(
                List.of(2, 2, 2, 2, 2, 2),
                List.of(unknown, empty, twice, ffTwice, badTopic, threads));
        assertTrue(
                err.toString().contains("unknown replay mode 'zero-9'")
                        && err.toString().contains("an embedded broker starts empty")
                        && err.toString()
                                .contains("--modes names seeded-2 twice; name each mode once")
                        && err.toString()
                                .contains("--modes names feed-forward twice; name each mode once")
                        && err.toString()
                                .contains(
                                        "Invalid value for option '--topic': Topic name is"
                                                + " invalid: 'bad name' contains one or more"
                                                + " characters other than ASCII alphanumerics,"
                                                + " '.', '_' and '-'")
                        && !err.toString().contains("no Kafka broker")
                        && !out.toString().contains("Starting an embedded")
                        && err.toString()
                                .contains(
                                        "expected --threads from 1 to 4 but found 999: a stream"
                                                + " thread beyond the 4 partitions of the frames"
                                                + " topic frames gets no frame to segment"),
                err.toString());
    }

    @Test
    void shouldRefuseABadModelSettingOrReportBeforeStartingTheBroker() throws Exception {
        Path emptyModel = Files.createDirectories(dir.resolve("empty-model"));
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Path badGap = Files.writeString(dir.resolve("bad-gap.properties"), "canvas.max.gap.ms=x\n");
        Map<List<String>, String> refusals =
                Map.of(
                        // a file's bad value that -D mends gets as far as the broker check
                        List.of(
                                "--config",
                                badGap.toString(),
                                "-D",
                                "canvas.max.gap.ms=5000",
                                "--bootstrap-servers",
                                "127.0.0.1:1"),
                        "no Kafka broker at 127.0.0.1:1",
                        List.of("--model", emptyModel.toString()),
                        "--model: no model.json in " + emptyModel,
                        List.of("--baseline", emptyModel.toString()),
                        "--baseline: no model.json in " + emptyModel,
                        List.of("-D", "canvas.no.such.setting=1"),
                        "canvas.no.such.setting",
                        List.of("--report", file.toString()),
                        file + " is a file; give a folder to write",
                        List.of("--report", file.resolve("r").toString()),
                        "lies under " + file + ", which is a file",
                        List.of("--video", file.toString()),
                        "--video: FFmpeg cannot read " + file,
                        List.of("--bootstrap-servers", "127.0.0.1:1"),
                        "no Kafka broker at 127.0.0.1:1",
                        List.of("--latency-load", "2"),
                        "expected --latency-load in (0, 1] but found 2.0",
                        List.of("--threads", "0"),
                        "expected --threads >= 1 but found 0");
        for (CommandRun run : Refusals.assertEachRefused(ReplayCommand::new, refusals)) {
            assertFalse(run.out().contains("Starting an embedded"), run.out());
        }
    }

    @Test
    void shouldRefuseAModelAndADashDModelDirThatDisagreeAndTakeThemWhereTheyAgree() {
        // Given --model with a -D model.dir that names another model, and with one that names
        // the same folder, at a cluster where nothing listens
        ModelFlagPairs pairs = new ModelFlagPairs(ReplayCommand::new);

        // When canvasflow replay reads each command line
        Map<List<String>, List<Object>> results = pairs.results();

        // Then two models are one sentence naming both, as serve says it, before anything
        // starts; one model passes the check and stops at the broker's
        assertEquals(pairs.expected(), results);
    }

    @Test
    void shouldRefuseASettingTheRunsSetThemselvesAndNotOfferOneInItsHelp() {
        // Given -D settings that each replayed run would overwrite
        Map<List<String>, String> refusals =
                Map.of(
                        List.of("-D", "canvas.keyframe.interval=30"),
                        "-D canvas.keyframe.interval cannot be used with canvasflow replay: the"
                                + " mode sets it (seeded-2 to 0, zero-2 to 1, zero-6 to 1,"
                                + " feed-forward to 1); leave it out",
                        List.of("--modes", "seeded-2", "-D", "canvas.full.iterations=4"),
                        "the mode sets it (seeded-2 to the model's own)",
                        List.of("-D", "num.stream.threads=2"),
                        "-D num.stream.threads cannot be used with canvasflow replay: --threads"
                                + " sets it",
                        List.of("-D", "state.dir=" + dir),
                        "each run sets its own",
                        List.of("-D", "bootstrap.servers=127.0.0.1:1"),
                        "--bootstrap-servers sets it");

        // Then each is refused before the broker starts
        for (CommandRun run : Refusals.assertEachRefused(ReplayCommand::new, refusals)) {
            assertFalse(run.out().contains("Starting an embedded"), run.out());
        }
        // and the help's example of -D is one that applies
        String words = Refusals.helpWords(new ReplayCommand());
        assertTrue(words.contains("-Dprocessing.guarantee=at_least_once"), words);
        assertFalse(words.contains("canvas.keyframe.interval=30"), words);
    }

    @Test
    // a refusal is at once; a replay that ran instead would take minutes
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRefuseAnEmptyOrReversedRangeBeforeStartingTheBroker() {
        // Given ranges that hold no frame: the upper bounds are exclusive (an empty one started a
        // broker and published the footage before it was refused)
        Map<List<String>, String> refusals =
                Map.of(
                        List.of("--from-offset", "20", "--to-offset", "10"),
                        "expected --to-offset above --from-offset 20 (the replay stops before"
                                + " --to-offset) but found 10",
                        List.of("--from-offset", "5", "--to-offset", "5"),
                        "expected --to-offset above --from-offset 5 (the replay stops before"
                                + " --to-offset) but found 5",
                        List.of("--to-offset", "0"),
                        "expected --to-offset >= 1 (the replay stops before it) but found 0",
                        List.of(
                                "--from-time",
                                "2026-01-31T12:00:00Z",
                                "--to-time",
                                "2026-01-31T12:00:00Z"),
                        "expected --to-time after --from-time 2026-01-31T12:00:00Z (the replay"
                                + " stops before --to-time) but found 2026-01-31T12:00:00Z");

        // Then each is refused in one sentence before the broker starts
        for (CommandRun run : Refusals.assertEachRefused(ReplayCommand::new, refusals)) {
            assertFalse(run.out().contains("Starting an embedded"), run.out());
        }
    }

    @Test
    // a refusal is at once; a replay that ran instead would take minutes
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRefuseOptionsThatWouldGoUnusedBeforeStartingTheBroker() {
        // Given options that ran to exit 0 and did nothing: topics kept on an embedded broker
        // that is deleted at the end, a frame limit for a video that is not given
        Map<List<String>, String> refusals =
                Map.of(
                        List.of("--keep-topics"),
                        "--keep-topics keeps the topics on the cluster of --bootstrap-servers; the"
                                + " embedded broker's go with it, so leave it out or give"
                                + " --bootstrap-servers",
                        List.of("--video-frames", "10"),
                        "--video-frames applies to the frames of --video; give a --video or leave"
                                + " it out");

        // Then each is refused in one sentence before the broker starts
        for (CommandRun run : Refusals.assertEachRefused(ReplayCommand::new, refusals)) {
            assertFalse(run.out().contains("Starting an embedded"), run.out());
        }
    }

    /**
     * A replay on an embedded broker of the shipped models, one stream thread, the report in {@code
     * dir/report}.
     */
    private ReplayCommand.Settings selfContained(
            int partitions, Footage footage, List<ReplayMode> modes, int latencyFrames) {
        return new ReplayCommand.Settings(
                new ReplayCommand.Cluster(null, "frames", FrameRange.all(), partitions, false),
                footage,
                new ReplayCommand.Run(
                        modes,
                        ShippedModels.rnn(),
                        ShippedModels.feedForward(),
                        1,
                        Duration.ofMinutes(1)),
                new LatencyProbe(latencyFrames, 0.8),
                dir.resolve("report"),
                null,
                Map.of());
    }
}
