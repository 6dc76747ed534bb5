package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.registry.ModelCatalog;
import io.canvasflow.registry.ModelKeys;
import io.canvasflow.schemas.avro.AssignmentScope;
import io.canvasflow.schemas.avro.ModelAssignment;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CameraModelsTest {

    private final AtomicLong clock = new AtomicLong(TestFrames.T0.toEpochMilli());
    private final CameraModels cameras =
            new CameraModels(clock::get, IdleCanvases.retentionMs(CanvasFlowConfig.defaults()));

    @Test
    void shouldForgetACameraIdleLongerThanItsSeriesLast() {
        // Given two cameras served version v1
        cameras.put("cam-idle", "v1");
        cameras.put("cam-active", "v1");

        // When one sends again just after the idle time, and the other does not
        clock.addAndGet(CameraMeters.IDLE_MS + 1);
        cameras.put("cam-active", "v2");

        // Then the idle one is a camera not served yet; the other has its version
        assertEquals(
                Arrays.asList(null, "v2"),
                Arrays.asList(cameras.get("cam-idle"), cameras.get("cam-active")));
    }

    @Test
    void shouldRememberACameraForAsLongAsItsCanvasIsKept() {
        // Given a canvas.max.gap.ms of ten minutes, so that a canvas is kept ten minutes, and a
        // camera served version v1
        CanvasFlowConfig config =
                CanvasFlowConfig.builder()
                        .opt(CanvasFlowConfig.CANVAS_MAX_GAP_MS, "600000")
                        .build();
        CameraModels longer = new CameraModels(clock::get, IdleCanvases.retentionMs(config));
        longer.put("cam-1", "v1");

        // When it is idle seven minutes (a sweep runs as another camera sends), then past ten
        clock.addAndGet(7 * 60_000L);
        longer.put("cam-other", "v1");
        String afterSeven = longer.get("cam-1");
        clock.addAndGet(3 * 60_000L + 1);
        longer.put("cam-other", "v1");

        // Then its model is remembered while its canvas could seed a frame, and no longer
        assertEquals(Arrays.asList("v1", null), Arrays.asList(afterSeven, longer.get("cam-1")));
    }

    @Test
    void shouldNotPinTheModelOfACameraThatStopped() {
        // Given a camera kept on the loaded model while its assigned version is not loaded
        ModelCatalog catalog = new ModelCatalog(true, new ModelCatalog.Listener() {});
        catalog.applyAssignment(
                ModelKeys.assignment(AssignmentScope.CAMERA, "cam-1"),
                ModelAssignment.newBuilder()
                        .setScope(AssignmentScope.CAMERA)
                        .setTarget("cam-1")
                        .setModelVersion("not-loaded")
                        .setAssignedAt(Instant.now())
                        .setAssignedBy("test")
                        .build());
        LoadedModels loaded = new LoadedModels(null, 1);
        String version = TestModel.source().spec().version();
        loaded.put(version, new LoadedModels.Entry(TestModel.source(), false));
        cameras.put("cam-1", version);
        Set<String> whileSending = cameras.pinned(catalog, loaded, null, Set.of());

        // When the camera has sent nothing for longer than the idle time
        clock.addAndGet(CameraMeters.IDLE_MS + 1);

        // Then eviction no longer keeps its model for it, only the version assigned
        assertEquals(
                List.of(Set.of(version, "not-loaded"), Set.of("not-loaded")),
                List.of(whileSending, cameras.pinned(catalog, loaded, null, Set.of())));
    }
}
