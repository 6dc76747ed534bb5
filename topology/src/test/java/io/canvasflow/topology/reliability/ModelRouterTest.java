package io.canvasflow.topology.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.model.Architecture;
import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.registry.ModelCatalog;
import io.canvasflow.registry.ModelKeys;
import io.canvasflow.registry.ModelPublication;
import io.canvasflow.schemas.avro.AssignmentScope;
import io.canvasflow.schemas.avro.ModelAssignment;
import io.canvasflow.schemas.avro.ModelErrorReason;
import io.canvasflow.topology.ModelRouter;
import io.canvasflow.topology.ModelSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which model a camera gets as assignments come and go, without Kafka: a catalog fed by hand. */
class ModelRouterTest {

    @TempDir Path temp;

    /** The registry as read, fed by hand. */
    private final ModelCatalog catalog = new ModelCatalog(true, new ModelCatalog.Listener() {});

    /** The router's loads, as serve makes them, seen and held by the test. */
    private final Loads loads = new Loads();

    /** The refusals the router reported (model-errors), as "version reason". */
    private final List<String> errors = new CopyOnWriteArrayList<>();

    /** serve's model (the fallback), and a published one. */
    private String a;

    private ModelSpec b;

    @BeforeEach
    void saveModels() throws IOException {
        a = save("a").version();
        b = save("b");
    }

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
        try (ModelRouter router = following("a", 3)) {
            assign(router, "c1", b.version());
            ready(router, b, "b");
            assertEquals(b.version(), modelOf(router, "c1"));
            assertEquals(a, modelOf(router, "c2"));

            // When its assignment is taken back (B stays loaded, and published)
            assign(router, "c1", null);

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

    @Test
    void shouldServeNoCameraWithARemovedVersionAndCloseItOnceItsFramesAreDone() throws Exception {
        // Given serve's model A as the fallback and camera c1 assigned B, loaded: the assign and a
        // `models remove` of B raced (each read the registry before the other wrote)
        try (ModelRouter router = following("a", 3)) {
            assign(router, "c1", b.version());
            ready(router, b, "b");
            ModelRouter.Lease inFlight = router.acquire("c1");
            ModelSource modelB = inFlight.model();
            assertEquals(b.version(), modelB.spec().version());

            // When the catalog learns that B is removed, while a frame of c1 still holds it
            router.modelRemoved(b.version());

            // Then c1 gets the default, as an unassigned camera does, and B is unloaded
            assertEquals(a, modelOf(router, "c1"));
            assertEquals(Set.of(a), router.loadedVersions());
            // and closed once that frame lets it go, not before
            modelB.segmenter();
            inFlight.close();
            assertThrows(IllegalStateException.class, modelB::segmenter);

            // And when B comes back and is removed again before its load ends, it is not kept,
            // and the model that load made is closed
            loads.hold("b");
            router.modelReady(b, temp.resolve("b"));
            loads.awaitHeld();
            router.modelRemoved(b.version());
            loads.release();
            router.preloadAssigned(Duration.ofSeconds(60));
            assertEquals(Set.of(a), router.loadedVersions());
            assertEquals(a, modelOf(router, "c1"));
            assertClosed(loads.last("b"));

            // And once B is published again, c1 gets it again
            ready(router, b, "b");
            assertEquals(b.version(), modelOf(router, "c1"));
        }
    }

    @Test
    void shouldKeepACameraOnItsLastGoodModelWhileItsAssignedVersionIsRefused() throws Exception {
        // Given serve's model A as the fallback, room for one more model, and camera c1 on B
        ModelSpec d = save("d");
        String c = "c-with-a-wrong-digest";
        try (ModelRouter router = following("a", 1)) {
            assign(router, "c1", b.version());
            ready(router, b, "b");
            assertEquals(b.version(), modelOf(router, "c1"));

            // When c1 is assigned C, whose digest does not check, and another camera's model D is
            // loaded, past models.cache.size
            router.modelRefused(c, ModelErrorReason.DIGEST_MISMATCH, "model " + c + " refused");
            List<String> served = new ArrayList<>();
            String said =
                    stderrOf(
                            () -> {
                                assign(router, "c1", c);
                                served.add(modelOf(router, "c1"));
                                served.add(modelOf(router, "c1"));
                                assign(router, "c2", d.version());
                                ready(router, d, "d");
                                served.add(modelOf(router, "c1"));
                            });

            // Then c1 is served by B all along, B stays loaded, and the router says so once
            assertEquals(List.of(b.version(), b.version(), b.version()), served);
            assertEquals(Set.of(a, b.version(), d.version()), router.loadedVersions());
            List<String> told =
                    said.lines()
                            .filter(l -> l.contains("camera c1 is assigned model " + c))
                            .toList();
            assertEquals(1, told.size(), said);
            assertTrue(
                    told.get(0)
                            .contains(
                                    "which was refused (DIGEST_MISMATCH); it keeps its last good"
                                            + " model "
                                            + b.version()
                                            + " until "
                                            + c
                                            + " is published again"),
                    told.get(0));
        }
    }

    @Test
    void shouldSayThatAVersionWhoseChunksAreArrivingIsBeingReadWithoutTakingTheCatalogsLock()
            throws Exception {
        // Given a catalog that has read B's first chunk (its manifest, written last, not yet) and
        // camera c1 assigned B
        var firstChunk = ModelPublication.read(temp.resolve("b"), 1024).records().get(0);
        catalog.applyModel(firstChunk.getKey(), firstChunk.getValue());
        ExecutorService streamThread = Executors.newSingleThreadExecutor();
        try (ModelRouter router = following("a", 3)) {
            assign(router, "c1", b.version());

            // When a frame of c1 comes while the follower thread holds the catalog's lock (it does
            // while it checks a version, and then announces it to the router)
            String said;
            synchronized (catalog) {
                said =
                        stderrOf(
                                () -> {
                                    Future<String> served =
                                            streamThread.submit(() -> modelOf(router, "c1"));
                                    // Then the frame does not wait for that lock, and gets the
                                    // default meanwhile
                                    assertEquals(a, served.get(10, TimeUnit.SECONDS));
                                });
            }

            // And the log says that B is being read, not that it is missing
            assertTrue(
                    said.contains(
                            "model "
                                    + b.version()
                                    + " is assigned (camera c1) and still being read from the"
                                    + " models topic"),
                    said);
            assertFalse(said.contains("not on the models topic"), said);
        } finally {
            streamThread.shutdownNow();
        }
    }

    /** Saves a tiny model in the temporary folder's {@code name}. */
    private ModelSpec save(String name) throws IOException {
        return Fixtures.saveTinyModel(temp.resolve(name), Architecture.tiny());
    }

    /** Announces a version saved in {@code name}, as the follower does, and waits for its load. */
    private void ready(ModelRouter router, ModelSpec spec, String name)
            throws InterruptedException {
        router.modelReady(spec, temp.resolve(name));
        router.preloadAssigned(Duration.ofSeconds(60));
    }

    /** Assigns a version to a camera, or with null takes its assignment back. */
    private void assign(ModelRouter router, String camera, String version) {
        catalog.applyAssignment(
                ModelKeys.assignment(AssignmentScope.CAMERA, camera),
                version == null ? null : assignment(AssignmentScope.CAMERA, camera, version));
        router.assignmentsChanged();
    }

    /** Steps that may throw, run while standard error (SLF4J's simple logger) is captured. */
    private interface Steps {
        void run() throws Exception;
    }

    private static String stderrOf(Steps steps) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream testErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            steps.run();
        } finally {
            System.setErr(testErr);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    /**
     * A router following a catalog, with the model saved in {@code fallback} as its default (none
     * for null), loading through {@link #loads} and reporting refusals to {@link #errors}.
     */
    private ModelRouter following(String fallback, int capacity) {
        return ModelRouter.following(
                catalog,
                fallback == null
                        ? null
                        : ModelSource.load(temp.resolve(fallback), DeviceChoice.CPU),
                true,
                loads,
                capacity,
                (v, r, m) -> errors.add(v + " " + r));
    }

    /** A closed model gives no segmenter. */
    private static void assertClosed(ModelSource model) {
        assertThrows(IllegalStateException.class, model::segmenter);
    }

    private record Loaded(Path dir, ModelSource model) {}

    /**
     * Loads folders as serve does, keeps each model it made, and can hold the next load of one
     * folder until the test lets it go.
     */
    private final class Loads implements Function<Path, ModelSource> {
        private final List<Loaded> loaded = new CopyOnWriteArrayList<>();
        private volatile Path held;
        private volatile CountDownLatch started;
        private volatile CountDownLatch released;

        @Override
        public ModelSource apply(Path dir) {
            if (dir.equals(held)) {
                held = null;
                started.countDown();
                try {
                    assertTrue(released.await(60, TimeUnit.SECONDS), "never released");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ModelSource model = ModelSource.load(dir, DeviceChoice.CPU);
            loaded.add(new Loaded(dir, model));
            return model;
        }

        void hold(String folder) {
            started = new CountDownLatch(1);
            released = new CountDownLatch(1);
            held = temp.resolve(folder);
        }

        void awaitHeld() throws InterruptedException {
            assertTrue(started.await(60, TimeUnit.SECONDS), "the load never started");
        }

        void release() {
            released.countDown();
        }

        /** The models loaded from a folder, in order. */
        List<ModelSource> from(String folder) {
            return loaded.stream()
                    .filter(l -> l.dir().equals(temp.resolve(folder)))
                    .map(Loaded::model)
                    .toList();
        }

        ModelSource last(String folder) {
            List<ModelSource> from = from(folder);
            assertFalse(from.isEmpty(), "nothing loaded from " + folder);
            return from.get(from.size() - 1);
        }
    }
}
