package io.canvasflow.topology.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.model.Architecture;
import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.registry.ModelCatalog;
import io.canvasflow.registry.ModelKeys;
import io.canvasflow.schemas.avro.AssignmentScope;
import io.canvasflow.schemas.avro.ModelAssignment;
import io.canvasflow.topology.ModelRouter;
import io.canvasflow.topology.ModelSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which model a camera gets as assignments come and go, without Kafka: a catalog fed by hand. */
class ModelRouterTest {

    @TempDir Path temp;

    private static ModelAssignment assignment(AssignmentScope scope, String target, String v) {
        return ModelAssignment.newBuilder()
                .setScope(scope)
                .setTarget(target)
                .setModelVersion(v)
                .setAssignedAt(Instant.now())
                .setAssignedBy("test")
                .build();
    }

    private static String modelOf(ModelRouter router, String camera) {
        try (ModelRouter.Lease lease = router.acquire(camera)) {
            return lease.model().spec().version();
        }
    }

    @Test
    void shouldGiveAnUnassignedCameraTheDefaultAsAFreshInstanceWould() throws Exception {
        // Given serve's model A as the fallback and a camera assigned B, loaded
        Path dirA = temp.resolve("a");
        Path dirB = temp.resolve("b");
        String a = Fixtures.saveTinyModel(dirA, Architecture.tiny()).version();
        ModelSpec b = Fixtures.saveTinyModel(dirB, Architecture.tiny());
        ModelCatalog catalog = new ModelCatalog(true, new ModelCatalog.Listener() {});
        String key = ModelKeys.assignment(AssignmentScope.CAMERA, "c1");
        try (ModelRouter router =
                ModelRouter.following(
                        catalog,
                        ModelSource.load(dirA, DeviceChoice.CPU),
                        true,
                        DeviceChoice.CPU,
                        3,
                        (v, r, m) -> {})) {
            catalog.applyAssignment(key, assignment(AssignmentScope.CAMERA, "c1", b.version()));
            router.modelReady(b, dirB);
            router.preloadAssigned(Duration.ofSeconds(60));
            assertEquals(b.version(), modelOf(router, "c1"));
            assertEquals(a, modelOf(router, "c2"));

            // When its assignment is taken back (B stays loaded, and published)
            catalog.applyAssignment(key, null);
            router.assignmentsChanged();

            // Then it goes back to the fallback at once, as an instance started now would give it
            assertEquals(a, modelOf(router, "c1"));

            // And when B becomes everyone's default, and then that is taken back too
            String defaultKey = ModelKeys.assignment(AssignmentScope.DEFAULT, null);
            catalog.applyAssignment(
                    defaultKey, assignment(AssignmentScope.DEFAULT, null, b.version()));
            router.assignmentsChanged();
            assertEquals(b.version(), modelOf(router, "c1"));
            assertEquals(b.version(), modelOf(router, "c2"));
            catalog.applyAssignment(defaultKey, null);
            router.assignmentsChanged();
            assertEquals(a, modelOf(router, "c1"));
            assertEquals(a, modelOf(router, "c2"));
        }
    }
}
