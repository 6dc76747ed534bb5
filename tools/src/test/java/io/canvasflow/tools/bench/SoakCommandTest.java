package io.canvasflow.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.testsupport.Refusals;
import io.canvasflow.tools.ShippedModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
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
        assertTrue(SoakCommand.json(r).contains("\"rssDriftPercent\""));
        assertTrue(Soak.table(r).contains("RSS drift, end vs after warm-up"));
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
                        "expected --backlog >= 1 but found 0");
        Refusals.assertEachRefused(SoakCommand::new, refusals);
    }
}
