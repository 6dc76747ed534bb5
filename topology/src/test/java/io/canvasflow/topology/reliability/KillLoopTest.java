package io.canvasflow.topology.reliability;

import static io.canvasflow.topology.reliability.Fixtures.everyFrame;
import static io.canvasflow.topology.reliability.Fixtures.sequences;
import static io.canvasflow.topology.reliability.Fixtures.unexpectedResets;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.topology.reliability.TopicRecorder.Received;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} in a child JVM, exactly-once, with the session timeout and static membership it
 * ships with, killed with SIGKILL and started again at once on its state directory, {@code
 * canvasflow.killloop.cycles} times (20 by default; the kill times come from {@code
 * canvasflow.killloop.seed}), while four cameras, one per partition, publish 1.5 frames a second
 * each. Issue 18 saw a partition sit idle for 17 to 45 s after such a restart while serve was
 * RUNNING.
 *
 * <p>After each start every partition must give a mask within 10 s; from then until the kill no
 * partition may go more than 5 s without a mask while one of its frames waits; and at the end a
 * {@code read_committed} reader must have exactly one mask per frame, each seeded but the first.
 * Whenever a partition misses a bar, a thread dump of serve is taken and printed with the failure.
 * The figures go to {@code target/reliability/kill-loop.txt}.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KillLoopTest {

    private static final int PARTITIONS = 4;
    private static final List<String> CAMERAS = Fixtures.cameras(PARTITIONS, 1);
    private static final Duration PERIOD = Duration.ofMillis(667);
    private static final int CYCLES = Integer.getInteger("canvasflow.killloop.cycles", 20);
    private static final Duration RESUME_BAR = Duration.ofSeconds(10);
    private static final Duration IDLE_BAR = Duration.ofSeconds(5);

    /** Serve's life after every partition resumed: a random time in this range, then SIGKILL. */
    private static final int MIN_RUN_MS = 2_000;

    private static final int MAX_RUN_MS = 8_000;
    private static final Duration GIVE_UP = Duration.ofSeconds(60);
    private static final Path LOGS = Path.of("target", "reliability", "kill-loop");

    @TempDir Path dir;

    /** Each missed bar, once per run and partition. */
    private final List<String> misses = new ArrayList<>();

    /** Thread dumps of serve, one per run that missed a bar. */
    private final List<String> dumps = new ArrayList<>();

    /** The longest time each partition sat without a mask while a frame waited, in nanos. */
    private final long[] maxIdle = new long[PARTITIONS];

    @Test
    void shouldKeepEveryPartitionMovingThroughRepeatedSigkillRestarts() throws Exception {
        Random random = new Random(Long.getLong("canvasflow.killloop.seed", 18));
        List<String> figures = new ArrayList<>();
        List<Double> resumes = new ArrayList<>();
        try (EmbeddedKafkaBroker kafka =
                EmbeddedKafkaBroker.builder()
                        .optConfig(
                                "transaction.abort.timed.out.transaction.cleanup.interval.ms",
                                "1000")
                        .build()
                        .start()) {
            // Given four cameras at 1.5 frames/s, one per partition, and serve as shipped
            Fixtures.createTopics(kafka, PARTITIONS);
            Map<String, String> settings =
                    Fixtures.settings(
                            kafka.bootstrapServers(), "canvasflow-kill-loop", dir.resolve("state"));
            settings.remove(StreamsConfig.consumerPrefix("session.timeout.ms"));
            settings.remove(StreamsConfig.consumerPrefix("heartbeat.interval.ms"));
            long published;
            List<Received<MaskEvent>> all;
            try (TopicRecorder<MaskEvent> masks = TopicRecorder.masks(kafka);
                    CameraPublisher cameras =
                            new CameraPublisher(
                                    kafka, CAMERAS, 1, 1_000_000, PERIOD, () -> Long.MAX_VALUE)) {
                // When serve is killed with SIGKILL a few seconds after each start and started
                // again at once
                for (int cycle = 1; cycle <= CYCLES; cycle++) {
                    try (ChildServe child = start(settings, cycle)) {
                        Watch watch = new Watch(cycle, child, masks, cameras);
                        double[] resumed = watch.awaitResume();
                        int runMs = MIN_RUN_MS + random.nextInt(MAX_RUN_MS - MIN_RUN_MS);
                        watch.watchFor(Duration.ofMillis(runMs));
                        double killedAfter = watch.secondsSinceStart();
                        child.kill();
                        resumes.add(Arrays.stream(resumed).max().orElseThrow());
                        figures.add(
                                String.format(
                                        "cycle %d: every partition resumed %s s after the start;"
                                                + " SIGKILL %.1f s after the start, %d frames"
                                                + " of each camera published",
                                        cycle, seconds(resumed), killedAfter, cameras.published()));
                    }
                }
                // And started once more, with the cameras stopping
                try (ChildServe child = start(settings, CYCLES + 1)) {
                    Watch watch = new Watch(CYCLES + 1, child, masks, cameras);
                    double[] resumed = watch.awaitResume();
                    resumes.add(Arrays.stream(resumed).max().orElseThrow());
                    cameras.close();
                    published = cameras.published();
                    watch.watchUntil(published);
                    Thread.sleep(2_000); // a duplicate would arrive by now
                    all = masks.received();
                    figures.add(
                            String.format(
                                    "last start: every partition resumed %s s after the start;"
                                            + " %d frames of each camera published",
                                    seconds(resumed), published));
                }
            }
            List<MaskEvent> values = TopicRecorder.valuesOf(all);
            long distinct =
                    values.stream()
                            .map(m -> m.getCameraId() + "#" + m.getSequence())
                            .distinct()
                            .count();
            long expected = published * CAMERAS.size();
            List<Double> sorted = resumes.stream().sorted().toList();
            figures.add(
                    String.format(
                            "kill loop: %d SIGKILL/restart cycles; resume after each start (the"
                                    + " slowest partition, JVM start and model load included)"
                                    + " min %.1f s, median %.1f s, max %.1f s; longest idle with a"
                                    + " frame waiting per partition %s s; %d frames, %d masks"
                                    + " read (read_committed), %d lost, %d duplicated",
                            CYCLES,
                            sorted.get(0),
                            sorted.get(sorted.size() / 2),
                            sorted.get(sorted.size() - 1),
                            seconds(Arrays.stream(maxIdle).mapToDouble(n -> n / 1e9).toArray()),
                            expected,
                            values.size(),
                            expected - distinct,
                            values.size() - distinct));
            Fixtures.report("kill-loop", String.join(System.lineSeparator(), figures));

            // Then no partition missed a bar, and there is exactly one mask per frame, seeded
            assertEquals(
                    List.of(),
                    misses,
                    "partitions that stalled\n"
                            + String.join("\n", figures)
                            + "\n"
                            + String.join("\n", dumps));
            assertEquals(everyFrame(CAMERAS, published), sequences(values));
            assertEquals(List.of(), unexpectedResets(values));
        }
    }

    private static ChildServe start(Map<String, String> settings, int cycle) throws Exception {
        return ChildServe.start(
                Fixtures.modelDir(), settings, LOGS.resolve("serve-" + cycle + ".log"));
    }

    private static String seconds(double[] values) {
        StringBuilder out = new StringBuilder("[");
        for (double v : values) {
            out.append(out.length() > 1 ? ", " : "").append(String.format("%.1f", v));
        }
        return out.append(']').toString();
    }

    /**
     * Watches one run of serve from its start: when each partition gave its first mask of the run,
     * and how long each went without a mask while one of its frames waited.
     */
    private final class Watch {

        private final int cycle;
        private final ChildServe child;
        private final TopicRecorder<MaskEvent> masks;
        private final CameraPublisher cameras;
        private final long startNanos = System.nanoTime();
        private final Instant startInstant = Instant.now();
        private final long[] resumedNanos = new long[PARTITIONS];
        private final long[] lastMaskNanos = new long[PARTITIONS];
        private final long[] lastSequence = new long[PARTITIONS];
        private final boolean[] missed = new boolean[PARTITIONS];
        private boolean dumped;
        private int seen;

        Watch(
                int cycle,
                ChildServe child,
                TopicRecorder<MaskEvent> masks,
                CameraPublisher cameras) {
            this.cycle = cycle;
            this.child = child;
            this.masks = masks;
            this.cameras = cameras;
        }

        /** Waits until every partition gave a mask of this run; seconds from the start, each. */
        double[] awaitResume() throws InterruptedException {
            while (Arrays.stream(resumedNanos).anyMatch(n -> n == 0)) {
                poll();
                if (System.nanoTime() - startNanos > GIVE_UP.toNanos() || !child.isAlive()) {
                    throw new AssertionError(
                            "run "
                                    + cycle
                                    + ": partitions did not resume within "
                                    + GIVE_UP.toSeconds()
                                    + " s of the start: "
                                    + misses
                                    + "\n"
                                    + String.join("\n", dumps)
                                    + child.logTail(60));
                }
                Thread.sleep(50);
            }
            return Arrays.stream(resumedNanos).mapToDouble(n -> (n - startNanos) / 1e9).toArray();
        }

        /** Watches every partition's progress for a while. */
        void watchFor(Duration duration) throws InterruptedException {
            long end = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < end) {
                poll();
                Thread.sleep(50);
            }
        }

        /** Watches until every camera has a mask of frame {@code last}. */
        void watchUntil(long last) throws InterruptedException {
            long deadline = System.nanoTime() + GIVE_UP.toNanos();
            while (Arrays.stream(lastSequence).anyMatch(s -> s < last)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "masks up to frame "
                                    + last
                                    + " did not arrive within "
                                    + GIVE_UP.toSeconds()
                                    + " s; last masks "
                                    + Arrays.toString(lastSequence)
                                    + child.logTail(60));
                }
                poll();
                Thread.sleep(50);
            }
        }

        double secondsSinceStart() {
            return (System.nanoTime() - startNanos) / 1e9;
        }

        private void poll() {
            List<Received<MaskEvent>> all = masks.received();
            for (; seen < all.size(); seen++) {
                Received<MaskEvent> r = all.get(seen);
                int p = CAMERAS.indexOf(r.value().getCameraId());
                lastSequence[p] = Math.max(lastSequence[p], r.value().getSequence());
                // Masks committed by an earlier run may arrive after this start; they are not
                // this run's progress.
                if (r.value().getProcessedTimestamp().isAfter(startInstant)) {
                    if (resumedNanos[p] == 0) {
                        resumedNanos[p] = r.arrivedNanos();
                    }
                    lastMaskNanos[p] = r.arrivedNanos();
                }
            }
            long now = System.nanoTime();
            for (int p = 0; p < PARTITIONS; p++) {
                if (resumedNanos[p] == 0) {
                    if (now - startNanos > RESUME_BAR.toNanos()) {
                        miss(p, "no mask " + RESUME_BAR.toSeconds() + " s after the start");
                    }
                    continue;
                }
                Long waitingSince = cameras.sentNanos(CAMERAS.get(p), lastSequence[p] + 1);
                if (waitingSince == null) {
                    continue; // nothing waits
                }
                long idle = now - Math.max(lastMaskNanos[p], waitingSince);
                maxIdle[p] = Math.max(maxIdle[p], idle);
                if (idle > IDLE_BAR.toNanos()) {
                    miss(
                            p,
                            String.format(
                                    "no mask for %.1f s while frame %d waited",
                                    idle / 1e9, lastSequence[p] + 1));
                }
            }
        }

        private void miss(int partition, String what) {
            if (missed[partition]) {
                return;
            }
            missed[partition] = true;
            misses.add(
                    String.format(
                            "run %d, partition %d, %.1f s after the start: %s",
                            cycle, partition, secondsSinceStart(), what));
            if (!dumped) {
                dumped = true;
                dumps.add("--- thread dump of serve, run " + cycle + " ---\n" + child.threadDump());
            }
        }
    }
}
