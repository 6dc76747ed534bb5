package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.schemas.avro.CanvasState;
import io.canvasflow.schemas.avro.Frame;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IdleCanvasesTest {

    private static final long T0 = TestFrames.T0.toEpochMilli();

    private final MockProcessorContext<String, SpecificRecord> context =
            new MockProcessorContext<>();
    private final Set<String> pending = new HashSet<>();
    private KeyValueStore<String, CanvasState> canvases;
    private long lastSweep = T0;

    @BeforeEach
    void setUp() {
        context.setCurrentSystemTimeMs(T0);
        canvases = TestCanvasStore.openIn(context);
    }

    private static CanvasFlowConfig config(long maxGapMs) {
        return CanvasFlowConfig.fromMap(
                Map.of(
                        CanvasFlowConfig.APPLICATION_ID,
                        "idle-canvases-test",
                        CanvasFlowConfig.CANVAS_MAX_GAP_MS,
                        Long.toString(maxGapMs)));
    }

    private IdleCanvases started(long maxGapMs) {
        IdleCanvases idle = new IdleCanvases(config(maxGapMs));
        idle.init(context, canvases, pending::contains);
        return idle;
    }

    /** Sweeps as the punctuation does, once a minute, until a time, ending with one at it. */
    private void sweepUntil(IdleCanvases idle, long untilMillis) {
        long interval = IdleCanvases.SWEEP_INTERVAL.toMillis();
        for (long at = lastSweep + interval; at < untilMillis; at += interval) {
            idle.sweep(at);
        }
        idle.sweep(untilMillis);
        lastSweep = untilMillis;
    }

    private void store(String camera) {
        Frame frame = TestFrames.jpeg(camera, 1, 64, 48);
        canvases.put(camera, CanvasStates.withoutCanvas(frame, TestModel.source().spec()));
    }

    private List<String> cameras() {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, CanvasState> all = canvases.all()) {
            all.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    @Test
    void shouldKeepACanvasForTheRetentionAndForgetItAfter() {
        // Given a camera seen at T0
        IdleCanvases idle = started(2000);
        store("cam-1");
        idle.seen("cam-1", T0);

        // When sweeps run until the retention and just after it
        sweepUntil(idle, T0 + CameraMeters.IDLE_MS);
        List<String> atRetention = cameras();
        sweepUntil(idle, T0 + CameraMeters.IDLE_MS + 1);

        // Then the canvas is kept at the retention and gone after
        assertEquals(List.of(List.of("cam-1"), List.of()), List.of(atRetention, cameras()));
    }

    @Test
    void shouldKeepACanvasAsLongAsTheMaximumGapWhenThatIsLonger() {
        // Given canvas.max.gap.ms of ten minutes, and a camera seen at T0
        long tenMinutes = 10 * 60_000L;
        IdleCanvases idle = started(tenMinutes);
        store("cam-1");
        idle.seen("cam-1", T0);

        // When a sweep runs after five minutes, and after ten
        sweepUntil(idle, T0 + CameraMeters.IDLE_MS + 1);
        List<String> afterFive = cameras();
        sweepUntil(idle, T0 + tenMinutes + 1);

        // Then a frame could still have been seeded at five: kept; gone after ten
        assertEquals(List.of(List.of("cam-1"), List.of()), List.of(afterFive, cameras()));
    }

    @Test
    void shouldNeverForgetTheCanvasOfACameraWithAPendingFrame() {
        // Given an idle camera whose frame was accepted and is not segmented yet
        IdleCanvases idle = started(2000);
        store("cam-1");
        idle.seen("cam-1", T0);
        pending.add("cam-1");

        // When a sweep runs past the retention, then another once the frame has left
        sweepUntil(idle, T0 + CameraMeters.IDLE_MS + 1);
        List<String> whilePending = cameras();
        pending.clear();
        sweepUntil(idle, T0 + CameraMeters.IDLE_MS + 2);

        // Then the canvas stays while the frame waits, and goes once it has left
        assertEquals(List.of(List.of("cam-1"), List.of()), List.of(whilePending, cameras()));
    }

    @Test
    void shouldCountAStoredCameraNoFrameNamedAsSeenWhenTheTaskStarted() {
        // Given a canvas restored into the store before the task started at T0
        store("cam-restored");
        IdleCanvases idle = started(2000);

        // When the first sweeps run, at the retention and just after it
        sweepUntil(idle, T0 + CameraMeters.IDLE_MS);
        List<String> atRetention = cameras();
        sweepUntil(idle, T0 + CameraMeters.IDLE_MS + 1);

        // Then it is kept for one retention from the start, then forgotten
        assertEquals(List.of(List.of("cam-restored"), List.of()), List.of(atRetention, cameras()));
    }

    @Test
    void shouldLeaveAStallOfTheTaskOutOfACamerasIdleTime() {
        // Given a camera seen at T0, a sweep on time a minute later, then the thread stalled for
        // ten minutes (the camera's frames wait in its backlog)
        IdleCanvases idle = started(2000);
        store("cam-1");
        idle.seen("cam-1", T0);
        long minute = IdleCanvases.SWEEP_INTERVAL.toMillis();
        sweepUntil(idle, T0 + minute);
        long afterStall = T0 + 11 * minute;

        // When the first sweep after the stall runs, then sweeps on time until the camera has been
        // idle one retention of running time (two minutes before the stall's end, three after)
        idle.sweep(afterStall);
        lastSweep = afterStall;
        List<String> afterTheStall = cameras();
        sweepUntil(idle, afterStall + CameraMeters.IDLE_MS - 2 * minute);
        List<String> atRetention = cameras();
        sweepUntil(idle, afterStall + CameraMeters.IDLE_MS - 2 * minute + 1);

        // Then the stall does not count: kept after it and at the retention, gone after that
        assertEquals(
                List.of(List.of("cam-1"), List.of("cam-1"), List.of()),
                List.of(afterTheStall, atRetention, cameras()));
    }
}
