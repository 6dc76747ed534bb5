package io.canvasflow.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.testsupport.CommandRun;
import io.canvasflow.testsupport.Refusals;
import io.canvasflow.tools.ModelFlagPairs;
import io.canvasflow.tools.ShippedModels;
import io.canvasflow.tools.common.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SoakCommandTest {

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
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void shouldSegmentEveryFrameAndLeaveNoNdArraysBehind() throws Exception {
        // Given a short soak of two cameras, the broker in a child JVM as by default
        Soak.Settings settings =
                new Soak.Settings(
                        40,
                        2,
                        2,
                        1,
                        6,
                        8,
                        new Soak.Pacing(Duration.ofMillis(500), 8, null, Duration.ofMinutes(1)));

        // When it runs
        Soak.Result r =
                SoakCommand.run(
                        settings,
                        SoakCommand.BrokerPlacement.CHILD_JVM,
                        null,
                        ShippedModels.rnn(),
                        Map.of(),
                        new PrintWriter(new StringWriter(), true));

        // Then every frame has its mask, memory was sampled, and the frames left no NDArray
        assertEquals(
                List.of(true, 40L, 40L),
                List.of(
                        r.throughput().complete(),
                        r.throughput().frames(),
                        r.throughput().masks()));
        assertTrue(r.setup().broker().startsWith("in a child JVM"), r.setup().broker());
        assertTrue(r.samples().size() >= 2, "samples " + r.samples());
        assertTrue(
                r.end().sample().rssBytes() > 0 && r.end().sample().ndArrays() > 0,
                "end " + r.end());
        assertEquals(0, r.ndArrayDrift());
        assertTrue(Double.isFinite(r.rssDriftPercent()));
        assertTrue(SoakReport.json(r).contains("\"rssDriftPercent\""));
        assertTrue(SoakReport.table(r).contains("RSS drift, end vs after warm-up"));
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void shouldStopAtOnceWithOneSentenceAndNoFiguresWhenItsTopologyStops() {
        // Given a broker that refuses Kafka Streams' changelogs, so that the soak's topology goes
        // to ERROR at its first rebalance, and a soak whose idle timeout is 45 s
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder()
                        .optConfig(
                                "create.topic.policy.class.name", RefuseChangelogs.class.getName())
                        .build()
                        .start()) {

            // When it runs
            long start = System.nanoTime();
            CommandRun run =
                    CommandRun.of(
                            new SoakCommand(),
                            "--bootstrap-servers",
                            broker.bootstrapServers(),
                            "--model",
                            ShippedModels.rnn().toString(),
                            "--frames",
                            "8",
                            "--cameras",
                            "1",
                            "--partitions",
                            "1",
                            "--clip-frames",
                            "2",
                            "--sample-interval",
                            "1s",
                            "--idle-timeout",
                            "45s");
            double seconds = (System.nanoTime() - start) / 1e9;

            // Then it ends well within the idle timeout (it sampled an idle process until then),
            // with status 1 and one sentence that says why (there was none; the rest of standard
            // error is this JVM's log, the broker's included), and prints no figures (it printed an
            // RSS drift "after warm-up" with no frame segmented)
            String said =
                    "canvasflow bench soak: Kafka Streams stopped before running: ERROR, with 0"
                            + " of 8 frames segmented, so the soak has no figures: a stream thread"
                            + " failed, and a new one would fail the same way, so serve stops: the"
                            + " cluster refused it with PolicyViolationException";
            List<String> sentences =
                    run.errLines().stream().filter(l -> l.startsWith("canvasflow ")).toList();
            assertEquals(
                    List.of(1, true, List.of(said), false),
                    List.of(
                            run.exit(),
                            seconds < 25,
                            sentences.stream().map(l -> l.startsWith(said) ? said : l).toList(),
                            run.out().contains("drift")),
                    run.out() + run.err());
        }
    }

    @Test
    void shouldPlayAClipBackAndForth() {
        List<Integer> order =
                java.util.stream.LongStream.range(0, 9).mapToObj(i -> Soak.pingPong(i, 4)).toList();

        assertEquals(List.of(0, 1, 2, 3, 2, 1, 0, 1, 2), order);
    }

    @Test
    void shouldRefuseOutOfRangeOptionsNamingEachBeforeStartingAnything() {
        Map<List<String>, String> refusals =
                Map.of(
                        List.of("--frames", "10", "--warm-up-frames", "10"),
                        "expected --warm-up-frames >= 0 and below --frames but found 10",
                        List.of("--sample-interval", "0s"),
                        "expected a duration longer than zero but found '0s'",
                        List.of("--idle-timeout", "abc"),
                        "expected a duration such as 500ms, 30s, 5m, 1h or PT30S but found 'abc'",
                        List.of("--backlog", "0"),
                        "expected --backlog >= 1 but found 0",
                        // said "expected --warm-up-frames >= 0 and below --frames but found 1",
                        // of an option not given
                        List.of("--frames", "1"),
                        "expected --frames above the warm-up frames (1 by default: 10% of"
                                + " --frames, at least 1) but found 1; give more --frames, or"
                                + " --warm-up-frames below them",
                        // 999 stream threads made no progress
                        List.of("--threads", "999"),
                        "expected --threads from 1 to 4 but found 999: a stream thread beyond the"
                                + " 4 partitions of the frames topic frames-soak-ID gets no"
                                + " frame to segment",
                        List.of("--threads", "0"),
                        "expected --threads from 1 to 4 but found 0");
        Refusals.assertEachRefused(SoakCommand::new, refusals);
    }

    @Test
    void shouldRefuseAClipTheHeapCannotHoldBeforeStartingAnything() {
        // Given clips of a million rendered frames per camera, 229 GiB (refused only after the
        // broker and Kafka Streams had started, with a WARN first)
        Map<List<String>, String> refusals =
                Map.of(
                        List.of("--clip-frames", "1000000"),
                        "--clip-frames 1000000 would hold 1000000 rendered 256x192 frames, 228.9"
                                + " GiB, but this JVM's heap of");

        // Then it is refused in one sentence before any broker starts
        for (CommandRun run : Refusals.assertEachRefused(SoakCommand::new, refusals)) {
            assertFalse(run.out().contains("Starting"), run.out());
            assertTrue(
                    run.err()
                            .lines()
                            .findFirst()
                            .orElse("")
                            .endsWith("give fewer frames or more heap (CANVASFLOW_HEAP)"),
                    run.err());
        }
    }

    @Test
    void shouldRefuseAModelAndADashDModelDirThatDisagreeAndTakeThemWhereTheyAgree() {
        // Given --model with a -D model.dir that names another model, and with one that names
        // the same folder, at a cluster where nothing listens
        ModelFlagPairs pairs = new ModelFlagPairs(SoakCommand::new);

        // When canvasflow bench soak reads each command line
        Map<List<String>, List<Object>> results = pairs.results();

        // Then two models are one sentence naming both, as serve says it, before anything
        // starts; one model passes the check and stops at the broker's
        assertEquals(pairs.expected(), results);
    }

    @Test
    void shouldRefuseASettingTheRunSetsItselfAndSayWhichInItsHelp() {
        // Given -D settings that the run would overwrite: its stream threads, its cluster and its
        // own ids, topics and state directory; and ones it applies, given with a cluster where
        // nothing listens so that nothing starts
        Map<List<String>, String> refusals =
                Map.of(
                        List.of("-D", "num.stream.threads=2"),
                        "-D num.stream.threads cannot be used with canvasflow bench soak:"
                                + " --threads sets it; leave it out",
                        List.of("-D", "bootstrap.servers=127.0.0.1:1"),
                        "--bootstrap-servers sets it (without it, an embedded broker)",
                        List.of("-D", "application.id=mine"),
                        "-D application.id cannot be used with canvasflow bench soak: each run"
                                + " sets its own (a fresh application id, topics and state"
                                + " directory); leave it out",
                        List.of("-D", "topic.masks=masks"),
                        "-D topic.masks cannot be used",
                        List.of("-D", "state.dir=/tmp/soak-state"),
                        "-D state.dir cannot be used",
                        List.of(
                                "--bootstrap-servers",
                                "127.0.0.1:1",
                                "-D",
                                "canvas.keyframe.interval=30",
                                "-D",
                                "processing.guarantee=at_least_once"),
                        "no Kafka broker at 127.0.0.1:1");

        // Then each of the run's own is refused before anything starts, and the others are not
        for (CommandRun run : Refusals.assertEachRefused(SoakCommand::new, refusals)) {
            assertTrue(!run.out().contains("Starting"), run.out());
        }
        // and the help of -D names them
        String words = Refusals.helpWords(new SoakCommand());
        assertTrue(words.contains("exceptthosetherunsetsitself(num.stream.threads,"), words);
    }

    @Test
    void shouldPrintNoDriftWhereTheWarmUpWasNotReached() {
        // Given a soak that got 2 of its 4 warm-up frames before its idle timeout, so it took no
        // warm-up checkpoint (it took one anyway and printed its drift as "after warm-up")
        Soak.Sample first = new Soak.Sample(0, 0, 50_000_000, 60_000_000, 100_000_000, 5, 1.0);
        Soak.Sample end = new Soak.Sample(70, 2, 52_000_000, 60_000_000, 103_000_000, 5, 1.0);
        Soak.Result r =
                twoSampleSoak(new Soak.Throughput(40, 2, false, 70, 2 / 70.0), 4, first, null, end);

        // When it is reported
        String table = SoakReport.table(r);
        Map<String, Object> json = Json.parseObject(SoakReport.json(r));

        // Then the table says why there is no drift and shows none, and the JSON has none
        assertEquals(
                List.of(
                        true,
                        false,
                        Arrays.asList(null, null, null, null),
                        "live NDArrays: 5 before the first frame, 5 after the last (drift +0), at"
                                + " most 5 in between"),
                List.of(
                        table.contains(
                                "\nno drift figures: the warm-up (4 frames) was not reached, 2"
                                        + " masks came before the idle timeout\n"),
                        table.contains("warm-up*") || table.contains("drift,"),
                        Arrays.asList(
                                json.get("rssDriftPercent"),
                                json.get("rssSlopeMbPer10kFrames"),
                                json.get("heapAfterGcDriftPercent"),
                                json.get("warmUp")),
                        table.lines().reduce((a, b) -> b).orElse("")),
                table);
    }

    @Test
    void shouldReportMegabytesOfTenToTheSixBytes() {
        // Given a soak whose resident set went from 100,000,000 to 101,000,000 bytes over the
        // 10,000 frames after its warm-up
        Soak.Sample warm = new Soak.Sample(10, 0, 50_000_000, 60_000_000, 100_000_000, 5, 1.0);
        Soak.Sample end = new Soak.Sample(200, 10_000, 50_000_000, 60_000_000, 101_000_000, 5, 1.0);
        Soak.Result r =
                twoSampleSoak(
                        new Soak.Throughput(10_000, 10_000, true, 200, 50),
                        0,
                        warm,
                        new Soak.Checkpoint("warm-up", warm),
                        end);

        // Then its MB are 10^6 bytes, as scale's and capacity's (they were MiB: 95.4 and 0.95)
        assertEquals(1.0, r.rssSlopeMbPer10kFrames(), 1e-9);
        String table = SoakReport.table(r);
        assertTrue(table.contains("RSS slope after warm-up: +1.00 MB per 10,000 frames"), table);
        assertTrue(table.contains("100.0") && table.contains("MB: 10^6 bytes"), table);
    }

    /**
     * The result of a one-camera soak sampled twice, the last sample its end checkpoint.
     *
     * @param warm the warm-up checkpoint, null where the soak did not reach it
     */
    private static Soak.Result twoSampleSoak(
            Soak.Throughput throughput,
            long warmUpFrames,
            Soak.Sample first,
            Soak.Checkpoint warm,
            Soak.Sample end) {
        return new Soak.Result(
                new Soak.Setup(1, 1, "test", "1"),
                throughput,
                warmUpFrames,
                List.of(first, end),
                warm,
                new Soak.Checkpoint("end", end));
    }
}
