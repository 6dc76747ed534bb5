package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.schemas.FrameOrder;
import io.canvasflow.schemas.avro.MaskEvent;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CanvasFlowMetricsTest {

    private static MaskEvent mask(long captureMs, long processedMs) {
        return MaskEvent.newBuilder()
                .setCameraId("cam")
                .setSequence(1)
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
}
