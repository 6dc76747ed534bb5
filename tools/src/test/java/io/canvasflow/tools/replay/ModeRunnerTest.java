package io.canvasflow.tools.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.schemas.avro.MaskEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModeRunnerTest {

    @Test
    void shouldCountTheDrainFromTheFirstTransactionOn() {
        // Given 3 masks readable at 1,000 ms (the first transaction) and 4 more by 1,200 ms
        List<MaskCollector.Received> masks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            masks.add(received(i, 900 + i, 1_000));
        }
        for (int i = 3; i < 7; i++) {
            masks.add(received(i, 900 + i, i < 5 ? 1_100 : 1_200));
        }

        // Then the 4 segmented in the 200 ms after the first transaction make the rate
        assertEquals(20.0, ModeRunner.drainFps(masks), 1e-9);
    }

    @Test
    void shouldFallBackToProcessedTimesWhenOneTransactionCarriedEveryMask() {
        // Given 10 masks processed 8 ms apart and all readable at the same instant
        List<MaskCollector.Received> masks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            masks.add(received(i, 500 + 8L * i, 1_000));
        }

        // Then 9 intervals over the 72 ms between the first and the last processed time
        assertEquals(125.0, ModeRunner.drainFps(masks), 1e-9);
    }

    @Test
    void shouldGiveNoRateWithoutAnySpan() {
        assertTrue(Double.isNaN(ModeRunner.drainFps(List.of(received(0, 500, 1_000)))));
        assertTrue(
                Double.isNaN(
                        ModeRunner.drainFps(
                                List.of(received(0, 500, 1_000), received(1, 500, 1_000)))));
    }

    private static MaskCollector.Received received(long sequence, long processedMs, long atMs) {
        MaskEvent mask =
                MaskEvent.newBuilder()
                        .setCameraId("cam-1")
                        .setSequence(sequence)
                        .setCaptureTimestamp(Instant.ofEpochMilli(processedMs - 5))
                        .setProcessedTimestamp(Instant.ofEpochMilli(processedMs))
                        .setMaskWidth(1)
                        .setMaskHeight(1)
                        .setClassMap(ByteBuffer.wrap(new byte[0]))
                        .setClassFractions(List.of(1f))
                        .setClassNames(List.of("road"))
                        .setIterations(2)
                        .setSeeded(true)
                        .setResetReason(null)
                        .setSkipped(false)
                        .setModelId("test")
                        .setModelVersion("1")
                        .setModelMillis(5.0)
                        .setEndToEndLatencyMillis(5L)
                        .build();
        return new MaskCollector.Received(mask, atMs);
    }
}
