package io.canvasflow.topology;

import static io.canvasflow.topology.TestFrames.T0;
import static io.canvasflow.topology.TestFrames.jpeg;
import static io.canvasflow.topology.TopologyHarness.Seen.reset;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.schemas.StoreNames;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ResetReason;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The canvas of a camera that sends no more frames goes after a while, in both modes. */
class IdleCanvasTopologyTest {

    private static final int W = 64;
    private static final int H = 48;

    /** Past the retention (five minutes) and the sweep that follows it. */
    private static final Duration PAST_RETENTION =
            Duration.ofMillis(CameraMeters.IDLE_MS)
                    .plus(IdleCanvases.SWEEP_INTERVAL)
                    .plusSeconds(1);

    @TempDir Path stateDir;

    /** A frame of a camera captured at a time. */
    private static Frame frameAt(String camera, long sequence, Instant capture) {
        return Frame.newBuilder(jpeg(camera, sequence, W, H)).setCaptureTimestamp(capture).build();
    }

    /** The cameras with a key in a store. */
    private static List<String> keys(KeyValueStore<String, ?> store) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, ?> all = store.all()) {
            all.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    /**
     * Sends a frame of cam-idle and cam-active, then one of cam-active every 30 s until {@link
     * #PAST_RETENTION}; returns the time the last was captured.
     */
    private static Instant keepOneCameraActive(TopologyHarness t) {
        t.send(frameAt("cam-idle", 1, T0));
        t.send(frameAt("cam-active", 1, T0));
        long sequence = 1;
        Instant capture = T0;
        while (Duration.between(T0, capture).compareTo(PAST_RETENTION) < 0) {
            capture = capture.plusSeconds(30);
            t.send(frameAt("cam-active", ++sequence, capture));
        }
        // latest-only mode segments the last one at its next drain
        t.advanceTo(t.wallClock().plus(LatestOnlyProcessor.DRAIN_INTERVAL));
        t.masks.readValuesToList();
        return capture;
    }

    /** The last record of a camera in the canvas store's changelog, as its key and value. */
    private static List<Object> lastChangelogRecord(TopologyHarness t, String camera) {
        TestOutputTopic<String, byte[]> changelog =
                t.driver.createOutputTopic(
                        t.config.applicationId() + "-" + StoreNames.CANVAS_STORE + "-changelog",
                        Serdes.String().deserializer(),
                        Serdes.ByteArray().deserializer());
        KeyValue<String, byte[]> last = null;
        for (KeyValue<String, byte[]> kv : changelog.readKeyValuesToList()) {
            if (kv.key.equals(camera)) {
                last = kv;
            }
        }
        return last == null ? List.of() : Arrays.asList(last.key, last.value);
    }

    @Test
    void shouldForgetTheCanvasOfAnIdleCameraAndKeepTheActiveOnes() {
        try (TopologyHarness t = new TopologyHarness(stateDir, Map.of())) {
            // Given two cameras, one of which stops while the other sends a frame every 30 s
            // When the wall clock passes the retention and the sweep after it
            Instant last = keepOneCameraActive(t);

            // Then only the active camera keeps a canvas, and the idle one's last changelog record
            // is a tombstone, which compaction keeps only until delete.retention.ms
            assertEquals(List.of("cam-active"), keys(t.canvases));
            assertEquals(Arrays.asList("cam-idle", null), lastChangelogRecord(t, "cam-idle"));

            // And when the idle camera comes back, its frame starts from a zero canvas, as the
            // camera's first
            t.send(frameAt("cam-idle", 2, last.plusSeconds(1)));
            assertEquals(List.of(reset("cam-idle", 2, 6, ResetReason.FIRST_FRAME)), t.seen());
            assertEquals(List.of("cam-active", "cam-idle"), keys(t.canvases));
        }
    }

    @Test
    void shouldForgetACanvasThatNoFrameNamedSinceTheTaskStarted() {
        try (TopologyHarness t = new TopologyHarness(stateDir, Map.of())) {
            // Given a canvas in the store that no frame of this task named, as one restored from
            // the changelog, beside one a frame wrote
            t.send(frameAt("cam-1", 1, T0));
            t.canvases.put("cam-restored", t.canvases.get("cam-1"));

            // When the wall clock passes the retention and the sweep after it
            t.advanceTo(t.wallClock().plus(PAST_RETENTION));

            // Then both are gone
            assertEquals(List.of(), keys(t.canvases));
        }
    }

    @Test
    void shouldForgetAnIdleCameraInLatestOnlyModeAndSegmentItsFrameWhenItComesBack() {
        try (TopologyHarness t =
                new TopologyHarness(
                        stateDir, Map.of(CanvasFlowConfig.PROCESSING_MODE, "latest-only"))) {
            // Given latest-only mode, one camera idle past the retention and one active
            Instant last = keepOneCameraActive(t);
            assertEquals(List.of("cam-active"), keys(t.canvases));

            // When the idle camera's frame arrives
            t.send(frameAt("cam-idle", 2, last.plusSeconds(1)));
            t.advanceTo(t.wallClock().plus(LatestOnlyProcessor.DRAIN_INTERVAL));

            // Then the frame accepted is segmented from a zero canvas, and nothing stays pending
            assertEquals(List.of(reset("cam-idle", 2, 6, ResetReason.FIRST_FRAME)), t.seen());
            KeyValueStore<String, Frame> pending =
                    t.driver.getKeyValueStore(StoreNames.PENDING_FRAMES_STORE);
            assertEquals(List.<KeyValue<String, Frame>>of(), pendingOf(pending));
        }
    }

    private static List<KeyValue<String, Frame>> pendingOf(KeyValueStore<String, Frame> store) {
        List<KeyValue<String, Frame>> all = new ArrayList<>();
        try (KeyValueIterator<String, Frame> it = store.all()) {
            it.forEachRemaining(all::add);
        }
        return all;
    }
}
