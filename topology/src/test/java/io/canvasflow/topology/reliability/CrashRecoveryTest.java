package io.canvasflow.topology.reliability;

import static io.canvasflow.topology.reliability.Fixtures.everyFrame;
import static io.canvasflow.topology.reliability.Fixtures.how;
import static io.canvasflow.topology.reliability.Fixtures.sequences;
import static io.canvasflow.topology.reliability.Fixtures.unexpectedResets;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.topology.CanvasFlowConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code canvasflow serve} in a child JVM, exactly-once, killed with SIGKILL in the middle of a
 * backlog of 2,400 frames of eight cameras, twice: restarted on its own state directory, then on an
 * empty one, as on a replaced machine. A {@code read_committed} reader must see exactly one mask
 * per frame, and each restart must go on from the canvases in the changelog, not from zero.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CrashRecoveryTest {

    private static final int PARTITIONS = 4;
    private static final List<String> CAMERAS = Fixtures.cameras(PARTITIONS, 2);
    private static final int FRAMES = 250;
    private static final Duration PERIOD = Duration.ofMillis(40);

    /** How many frames the cameras may be ahead of the masks, each. */
    private static final int LEAD = 50;

    private static final int TOTAL = CAMERAS.size() * FRAMES;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final Path LOGS = Path.of("target", "reliability");

    @TempDir Path dir;

    /** What each run measured, for {@code target/reliability/crash-recovery.txt}. */
    private final List<String> figures = new ArrayList<>();

    @Test
    void shouldEmitExactlyOneMaskPerFrameAndSeedFromTheRestoredCanvasAfterSigkill()
            throws Exception {
        try (EmbeddedKafkaBroker kafka = Fixtures.crashBroker().build().start()) {
            // Given eight cameras, two per partition, publishing 25 frames a second each
            Fixtures.createTopics(kafka, PARTITIONS);
            Map<String, String> settings =
                    Fixtures.settings(
                            kafka.bootstrapServers(), "canvasflow-crash", dir.resolve("state"));
            try (TopicRecorder<MaskEvent> masks = TopicRecorder.masks(kafka);
                    TopicRecorder<DeadLetter> deadLetters = TopicRecorder.deadLetters(kafka);
                    CameraPublisher cameras =
                            CameraPublisher.aheadOfMasks(
                                    kafka, CAMERAS, FRAMES, PERIOD, masks, LEAD)) {

                // When serve is killed with SIGKILL after a quarter of the masks, restarted on the
                // same state directory and killed again after half, then restarted on an empty
                // state directory
                List<Instant> kills = new ArrayList<>();
                kills.add(runAndKill(settings, masks, cameras, TOTAL / 4, "crash-1.log"));
                kills.add(runAndKill(settings, masks, cameras, TOTAL / 2, "crash-2.log"));
                settings.put(CanvasFlowConfig.STATE_DIR, dir.resolve("new-state").toString());
                List<MaskEvent> all;
                try (ChildServe last =
                        ChildServe.start(
                                Fixtures.modelDir(), settings, LOGS.resolve("crash-3.log"))) {
                    long started = System.nanoTime();
                    cameras.awaitDone(RUN_TIMEOUT);
                    all = awaitOrExplain(() -> masks.awaitValues(TOTAL, RUN_TIMEOUT, SETTLE), last);
                    figures.add(
                            String.format(
                                    "crash recovery: the last run had every mask %.1f s after its"
                                            + " start (with a %d s wait for duplicates)",
                                    (System.nanoTime() - started) / 1e9, SETTLE.toSeconds()));
                }
                figures.add(
                        String.format(
                                "crash recovery: %d frames published, %d masks read"
                                        + " (read_committed), %d of them distinct"
                                        + " (camera, sequence), %d dead letters",
                                TOTAL,
                                all.size(),
                                all.stream()
                                        .map(m -> m.getCameraId() + "#" + m.getSequence())
                                        .distinct()
                                        .count(),
                                deadLetters.size()));
                Fixtures.report("crash-recovery", String.join(System.lineSeparator(), figures));

                // Then every frame has exactly one mask, in order per camera
                assertEquals(everyFrame(CAMERAS, FRAMES), sequences(all));
                // And after each restart, each camera's first mask is seeded from the canvas of
                // its last committed mask before the kill
                for (Instant kill : kills) {
                    assertEquals(
                            expectedFirstAfter(all, kill),
                            firstAfter(all, kill),
                            "first mask of each camera after the kill at " + kill);
                }
                // And no canvas was lost anywhere: every frame but each camera's first is seeded
                assertEquals(List.of(), unexpectedResets(all));
                // And no frame was dead-lettered
                assertEquals(List.of(), deadLetters.values());
            }
        }
    }

    /**
     * Starts serve, waits until the reader has at least {@code until} masks and one from this run
     * of every camera, kills it with SIGKILL and says when.
     */
    private Instant runAndKill(
            Map<String, String> settings,
            TopicRecorder<MaskEvent> masks,
            CameraPublisher cameras,
            int until,
            String log)
            throws Exception {
        try (ChildServe child =
                ChildServe.start(Fixtures.modelDir(), settings, LOGS.resolve(log))) {
            Instant started = Instant.now();
            int before = masks.size();
            awaitOrExplain(
                    () -> {
                        Fixtures.await(
                                until + " masks, some of every camera from this run",
                                RUN_TIMEOUT,
                                () ->
                                        !child.isAlive()
                                                || masks.size() >= until
                                                        && firstAfter(masks.values(), started)
                                                                        .size()
                                                                == CAMERAS.size(),
                                () -> " (read " + masks.size() + ")");
                        return null;
                    },
                    child);
            if (!child.isAlive()) {
                throw new AssertionError("serve exited by itself" + child.logTail(40));
            }
            if (cameras.done()) {
                throw new AssertionError(
                        "the cameras finished publishing before the kill: the test needs a"
                                + " slower camera or an earlier kill");
            }
            Instant killed = Instant.now();
            child.kill();
            figures.add(
                    String.format(
                            "crash recovery: killed serve (%s) with SIGKILL %.1f s after its"
                                    + " start, %d masks read before its start, %d at the kill,"
                                    + " frame %d of %d of each camera published",
                            log,
                            Duration.between(started, killed).toMillis() / 1e3,
                            before,
                            masks.size(),
                            cameras.published(),
                            FRAMES));
            return killed;
        }
    }

    /** Each camera's first mask processed after an instant, as {@link Fixtures#how}. */
    private static Map<String, String> firstAfter(List<MaskEvent> masks, Instant instant) {
        Map<String, String> out = new TreeMap<>();
        for (MaskEvent m : masks) {
            if (m.getProcessedTimestamp().isAfter(instant)) {
                out.putIfAbsent(m.getCameraId(), how(m));
            }
        }
        return out;
    }

    /**
     * For each camera, the mask that continues from its last mask committed before an instant: the
     * next sequence, seeded.
     */
    private static Map<String, String> expectedFirstAfter(List<MaskEvent> masks, Instant instant) {
        Map<String, Long> last = new TreeMap<>();
        CAMERAS.forEach(c -> last.put(c, 0L));
        for (MaskEvent m : masks) {
            if (!m.getProcessedTimestamp().isAfter(instant)) {
                last.merge(m.getCameraId(), m.getSequence(), Math::max);
            }
        }
        Map<String, String> out = new TreeMap<>();
        last.forEach((camera, seq) -> out.put(camera, "#" + (seq + 1) + " seeded"));
        return out;
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    /** Runs a step, adding the child's last log lines to an assertion failure. */
    private static <T> T awaitOrExplain(Step<T> step, ChildServe child) throws Exception {
        try {
            return step.run();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + child.logTail(60), e);
        }
    }
}
