package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.schemas.FrameOrder;
import io.canvasflow.schemas.avro.MaskEvent;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CanvasFlowMetricsTest {

    private static MaskEvent mask(long captureMs, long processedMs) {
        return mask("cam", 1, captureMs, processedMs);
    }

    private static MaskEvent mask(String camera, long sequence, long captureMs, long processedMs) {
        return MaskEvent.newBuilder()
                .setCameraId(camera)
                .setSequence(sequence)
                .setCaptureTimestamp(Instant.ofEpochMilli(captureMs))
                .setProcessedTimestamp(Instant.ofEpochMilli(processedMs))
                .setMaskWidth(1)
                .setMaskHeight(1)
                .setClassMap(java.nio.ByteBuffer.allocate(1))
                .setClassFractions(List.of(1f))
                .setClassNames(List.of("a"))
                .setIterations(2)
                .setSeeded(true)
                .setModelId("m")
                .setModelVersion("v")
                .setModelMillis(10)
                .setEndToEndLatencyMillis(FrameOrder.saturatedDifference(processedMs, captureMs))
                .build();
    }

    @Test
    void shouldKeepCaptureTimesThatAreNotLatenciesOutOfTheLatencyMetric() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CanvasFlowMetrics metrics = new CanvasFlowMetrics(registry);
        long now = 1_800_000_000_000L;

        // Given a real latency of 80 ms, then a frame captured at -5000 ms (1969), one from the
        // future, and the overflow pair Long.MAX_VALUE / Long.MIN_VALUE
        metrics.mask(mask(now - 80, now));
        metrics.mask(mask(-5000, now));
        metrics.mask(mask(now + 60_000, now));
        metrics.mask(mask(Long.MIN_VALUE, now));
        metrics.mask(mask(Long.MAX_VALUE, now));

        // Then the latency metric saw the real one only, and the others are counted apart
        Timer latency = registry.find("canvasflow.end.to.end.latency").timer();
        assertEquals(1, latency.count());
        assertEquals(80.0, latency.max(TimeUnit.MILLISECONDS), 1e-9);
        assertEquals(4.0, registry.find("canvasflow.frames.clock.skewed").counter().count());
    }

    /** The per-camera series of a Prometheus scrape, line by line, sorted. */
    private static List<String> cameraSeries(PrometheusMeterRegistry registry) {
        return registry.scrape()
                .lines()
                .filter(l -> l.startsWith("canvasflow_camera_"))
                .sorted()
                .toList();
    }

    @Test
    void shouldStopExportingTheSeriesOfACameraWhosePartitionMovedAway() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        long now = 1_800_000_000_000L;
        CanvasFlowMetrics metrics = new CanvasFlowMetrics(registry, () -> now);

        // Given a camera on partition 7 (with a duplicate) and one on partition 4, both segmented
        metrics.cameraPartition("gate-a", 7);
        metrics.mask(mask("gate-a", 14, now - 170, now));
        metrics.duplicate("gate-a");
        metrics.cameraPartition("dock", 4);
        metrics.mask(mask("dock", 3, now - 58, now));

        // When a rebalance leaves this instance the even partitions
        metrics.retainPartitions(List.of(0, 2, 4, 6, 8, 10));

        // Then only the camera it still owns has series, and /cameras lists only it
        assertEquals(
                List.of(
                        "canvasflow_camera_lag_seconds{camera=\"dock\"} 0.058",
                        "canvasflow_camera_last_sequence{camera=\"dock\"} 3.0"),
                cameraSeries(registry));
        assertEquals(List.of(new CanvasFlowMetrics.Camera("dock", 4, 3, 58)), metrics.cameras());

        // And when the partition comes back with a frame, the camera has new series
        metrics.retainPartitions(List.of(4, 7));
        metrics.cameraPartition("gate-a", 7);
        metrics.mask(mask("gate-a", 15, now - 20, now));
        assertEquals(
                List.of(
                        "canvasflow_camera_lag_seconds{camera=\"dock\"} 0.058",
                        "canvasflow_camera_lag_seconds{camera=\"gate-a\"} 0.02",
                        "canvasflow_camera_last_sequence{camera=\"dock\"} 3.0",
                        "canvasflow_camera_last_sequence{camera=\"gate-a\"} 15.0"),
                cameraSeries(registry));
    }

    @Test
    void shouldForgetACameraThatSentNoFrameForFiveMinutes() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicLong clock = new AtomicLong(1_800_000_000_000L);
        CanvasFlowMetrics metrics = new CanvasFlowMetrics(registry, clock::get);

        // Given a camera that stopped lagging 3.023 s, and one that goes on
        metrics.cameraPartition("gate-b", 1);
        metrics.mask(mask("gate-b", 9, clock.get() - 3023, clock.get()));
        metrics.cameraPartition("street", 2);
        metrics.mask(mask("street", 1, clock.get() - 40, clock.get()));

        // When five minutes pass, the other camera sends a frame a minute, and a scrape comes
        for (int minute = 1; minute <= 5; minute++) {
            clock.addAndGet(60_000);
            metrics.cameraPartition("street", 2);
            metrics.mask(mask("street", 1 + minute, clock.get() - 40, clock.get()));
        }
        metrics.forgetIdleCameras();
        List<String> atFiveMinutes = cameraSeries(registry);
        clock.addAndGet(1);
        metrics.forgetIdleCameras();

        // Then the stopped camera's lag stays exported five minutes, and not a millisecond more
        assertEquals(
                List.of(
                        "canvasflow_camera_lag_seconds{camera=\"gate-b\"} 3.023",
                        "canvasflow_camera_lag_seconds{camera=\"street\"} 0.04",
                        "canvasflow_camera_last_sequence{camera=\"gate-b\"} 9.0",
                        "canvasflow_camera_last_sequence{camera=\"street\"} 6.0"),
                atFiveMinutes);
        assertEquals(
                List.of(
                        "canvasflow_camera_lag_seconds{camera=\"street\"} 0.04",
                        "canvasflow_camera_last_sequence{camera=\"street\"} 6.0"),
                cameraSeries(registry));
        assertEquals(List.of(new CanvasFlowMetrics.Camera("street", 2, 6, 40)), metrics.cameras());
    }

    @Test
    void shouldCountAFeedForwardFrameNeitherSeededNorReset() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CanvasFlowMetrics metrics = new CanvasFlowMetrics(registry);
        long now = 1_800_000_000_000L;

        // Given the mask of a feed-forward model: one pass, not seeded, no reset reason
        MaskEvent onePass =
                MaskEvent.newBuilder(mask(now - 80, now))
                        .setIterations(1)
                        .setSeeded(false)
                        .setResetReason(null)
                        .build();

        // When it is counted
        metrics.mask(onePass);

        // Then it is a processed frame, and neither a seeded one nor a reset of any reason
        assertEquals(
                List.of(1.0, 0.0, List.of()),
                List.of(
                        registry.find("canvasflow.frames.processed").counter().count(),
                        registry.find("canvasflow.frames.seeded").counter().count(),
                        registry.find("canvasflow.frames.reset").counters().stream()
                                .map(c -> c.getId().getTag("reason"))
                                .toList()));
    }
}
