package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ResetReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CameraStatsTest {

    @Test
    void shouldCountFramesSeedingResetsAndLatencyPercentiles() {
        // Given 100 segmented frames with latencies 1..100 ms: the first a FIRST_FRAME reset, the
        // 50th a TIME_GAP reset, the rest seeded; then two skipped frames
        CameraStats stats = new CameraStats("cam", Duration.ofSeconds(5));
        for (int i = 1; i <= 100; i++) {
            ResetReason reason =
                    i == 1 ? ResetReason.FIRST_FRAME : i == 50 ? ResetReason.TIME_GAP : null;
            stats.record(event(i, reason == null ? 2 : 6, reason, i, false));
        }
        stats.record(event(101, 0, null, 999, true));
        stats.record(event(102, 0, null, 999, true));

        // When
        CameraSummary summary = stats.summary();

        // Then: 102 frames captured 100 ms apart; the 5 s window holds 51 captures, 10 a second
        CameraSummary expected =
                new CameraSummary(
                        "cam",
                        102,
                        2,
                        summary.fps(),
                        50,
                        99,
                        new CameraSummary.Segmentation(
                                (98 * 2 + 2 * 6) / 100.0,
                                98,
                                Map.of(ResetReason.FIRST_FRAME, 1L, ResetReason.TIME_GAP, 1L),
                                10.0,
                                List.of("1"),
                                ResetReason.TIME_GAP),
                        102);
        assertEquals(expected, summary);
        assertEquals(10.0, summary.fps(), 0.5);
        assertEquals(2, summary.segmentation().resetTotal());
    }

    @Test
    void shouldReportTheCamerasRateWhenItsMasksAreReadAllAtOnce() {
        // Given a 10 frames/s camera's 50 masks, read in one moment (as from the beginning)
        CameraStats stats = new CameraStats("cam", Duration.ofSeconds(5));
        for (int i = 1; i <= 50; i++) {
            stats.record(event(i, 2, null, 10, false));
        }

        // When summarised
        double fps = stats.summary().fps();

        // Then it is the camera's 10 frames/s, not how fast they were read
        assertEquals(10.0, fps, 1e-9);
    }

    @Test
    void shouldStartTheRateAgainWhenTheCamerasClockIsSetBack() {
        // Given a camera at 10 frames/s whose clock is then set back an hour, and 20 more frames
        // at 5 frames/s
        CameraStats stats = new CameraStats("cam", Duration.ofSeconds(5));
        for (int i = 1; i <= 50; i++) {
            stats.record(event(i, 2, null, 10, false));
        }
        for (int i = 0; i < 20; i++) {
            MaskEvent event = event(51 + i, 2, null, 10, false);
            event.setCaptureTimestamp(Instant.ofEpochMilli(5_000 - 3_600_000 + i * 200L));
            stats.record(event);
        }

        // When summarised
        double fps = stats.summary().fps();

        // Then the rate is the new frames' alone
        assertEquals(5.0, fps, 1e-9);
    }

    @Test
    void shouldReportNoLatencyBeforeTheFirstSegmentedFrame() {
        CameraSummary summary = new CameraStats("cam", Duration.ofSeconds(5)).summary();

        assertEquals(-1, summary.latencyP50Millis());
        assertEquals(-1, summary.lastSequence());
        assertEquals(0.0, summary.fps());
    }

    @Test
    void shouldFormatOneTableLinePerCamera() {
        CameraStats stats = new CameraStats("lobby", Duration.ofSeconds(5));
        stats.record(event(0, 6, ResetReason.FIRST_FRAME, 42, false));

        String table = StatsTable.format(java.util.List.of(stats.summary()));

        assertEquals(2, table.lines().count());
        String line = table.lines().skip(1).findFirst().orElseThrow();
        assertEquals(true, line.startsWith("lobby "), line);
        assertEquals(true, line.contains("first_frame=1"), line);
    }

    @Test
    void shouldShowEachModelThatSegmentedACameraInOrder() {
        // Given a camera switched from model 1 to model 2 by an assignment
        CameraStats stats = new CameraStats("cam", Duration.ofSeconds(5));
        stats.record(event(1, 6, ResetReason.FIRST_FRAME, 10, false));
        stats.record(event(2, 2, null, 10, false));
        // (set on the record: a builder copy of a record with an enum needs Avro's class trust,
        // which a serde installs, and this test makes none)
        MaskEvent switched = event(3, 6, ResetReason.MODEL_VERSION_CHANGE, 10, false);
        switched.setModelVersion("2");
        stats.record(switched);

        // When summarised
        CameraSummary summary = stats.summary();

        // Then both versions show, in order, and the table's line names them
        assertEquals(List.of("1", "2"), summary.segmentation().models());
        String line = StatsTable.line(summary);
        assertTrue(line.endsWith("1 -> 2"), line);
        assertTrue(line.contains("model_version_change=1"), line);
    }

    static MaskEvent event(
            long sequence, int iterations, ResetReason reason, long latency, boolean skipped) {
        return MaskEvent.newBuilder(
                        TestMasks.mask("cam", sequence, 80, 60, new byte[skipped ? 0 : 1]))
                .setIterations(iterations)
                .setSeeded(!skipped && reason == null)
                .setResetReason(reason)
                .setSkipped(skipped)
                .setModelMillis(skipped ? 0 : 10.0)
                .setEndToEndLatencyMillis(latency)
                .setCaptureTimestamp(Instant.ofEpochMilli(sequence * 100))
                .build();
    }
}
