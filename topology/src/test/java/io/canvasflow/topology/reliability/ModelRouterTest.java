package io.canvasflow.topology.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import io.canvasflow.testsupport.StandardError;
import io.canvasflow.topology.ModelRouter;
import io.canvasflow.topology.ModelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
    void shouldSayTheRemovalOnlyOfAVersionItHeardOf() throws Exception {
        try (ModelRouter router = following("a", 3)) {
            // Given B announced ready, while C was published and removed before serve read it
            ready(router, b, "b");

            // When both removals are read (a start reads C's manifest and its tombstone)
            String log =
                    StandardError.of(
                            () -> {
                                router.modelRemoved("c-published-and-removed");
                                router.modelRemoved(b.version());
                            });

            // Then only B's is said
            assertTrue(log.contains("model " + b.version() + " was removed"), log);
            assertFalse(log.contains("c-published-and-removed"), log);
        }
    }

    @Test
    void shouldReportAnUnreadableRecordWithoutLoggingTheFollowersLineAgain() throws Exception {
        try (ModelRouter router = following("a", 3)) {
            // When the follower announces a record it could not read, which it has logged itself
            String line =
                    "skipped the unreadable record at models partition 0 offset 15: not a"
                            + " ModelPart";
            String log =
                    StandardError.of(
                            () ->
                                    router.modelRefused(
                                            null, ModelErrorReason.UNREADABLE_RECORD, line));

            // Then it goes to model-errors, and the log has no second line of it
            assertEquals(List.of(List.of("null UNREADABLE_RECORD"), ""), List.of(errors, log));
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
                    StandardError.of(
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
                        StandardError.of(
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

    @ParameterizedTest(name = "its folder deleted: {0}")
    @ValueSource(booleans = {true, false})
    void shouldLoadTheNewPublicationOfAVersionRemovedAndPublishedAgainWhileItLoaded(
            boolean folderDeleted) throws Exception {
        // Given serve's model A as the fallback, camera c1 assigned B, and the load of B's first
        // publication (its cache folder b-old) under way
        copy("b", "b-old");
        try (ModelRouter router = following("a", 3)) {
            assign(router, "c1", b.version());
            loads.hold("b-old");
            router.modelReady(b, temp.resolve("b-old"));
            loads.awaitHeld();

            // When B is removed (the follower deletes its folder, or not yet) and published again
            // (written to folder b) before that load ends
            if (folderDeleted) {
                Fixtures.deleteQuietly(temp.resolve("b-old"));
            }
            router.modelRemoved(b.version());
            router.modelReady(b, temp.resolve("b"));
            loads.release();
            router.preloadAssigned(Duration.ofSeconds(60));

            // Then c1 gets the model of the new publication, nothing was refused, and the model of
            // the old one, if its load worked, is closed
            try (ModelRouter.Lease lease = router.acquire("c1")) {
                assertSame(loads.last("b"), lease.model());
            }
            assertEquals(List.of(), errors);
            loads.from("b-old").forEach(ModelRouterTest::assertClosed);
            assertEquals(folderDeleted ? 0 : 1, loads.from("b-old").size());
        }
    }

    @Test
    void shouldKeepServingTheOnlyModelWhenItIsRemovedAndServeHasNoFallback() throws Exception {
        // Given no fallback (serve without model.dir), B everyone's default, loaded and serving
        // c1, then D the default, its load still under way: c1 keeps B meanwhile
        ModelSpec d = save("d");
        try (ModelRouter router = following(null, 3)) {
            assignDefault(router, b.version());
            ready(router, b, "b");
            assertEquals(b.version(), modelOf(router, "c1"));
            loads.hold("d");
            assignDefault(router, d.version());
            router.modelReady(d, temp.resolve("d"));
            loads.awaitHeld();
            assertEquals(b.version(), modelOf(router, "c1"));

            // When B is removed (`models remove` allows it: nothing assigns it any more)
            List<String> served = new ArrayList<>();
            String said =
                    StandardError.of(
                            () -> {
                                router.modelRemoved(b.version());
                                served.add(modelOf(router, "c1"));
                                served.add(modelOf(router, "c2"));
                            });

            // Then B still serves every camera, rather than no model at all, and the router says
            // so once
            assertEquals(List.of(b.version(), b.version()), served);
            assertEquals(
                    1,
                    said.lines().filter(l -> l.contains("it is the only model loaded")).count(),
                    said);

            // And once D is loaded, the cameras get D and B is unloaded and closed
            loads.release();
            router.preloadAssigned(Duration.ofSeconds(60));
            assertEquals(d.version(), modelOf(router, "c1"));
            assertEquals(Set.of(d.version()), router.loadedVersions());
            assertClosed(loads.last("b"));
        }
    }

    @Test
    void shouldReplaceTheOnlyModelKeptAfterItsRemovalWithItsNewPublication() throws Exception {
        // Given no fallback and B, everyone's default, removed: kept, as the only model
        copy("b", "b-again");
        try (ModelRouter router = following(null, 3)) {
            assignDefault(router, b.version());
            ready(router, b, "b");
            router.modelRemoved(b.version());
            assertEquals(b.version(), modelOf(router, "c1"));

            // When B is published again (written to another folder) and loaded
            ready(router, b, "b-again");

            // Then c1 gets the new publication's model, and the kept one is closed
            try (ModelRouter.Lease lease = router.acquire("c1")) {
                assertSame(loads.last("b-again"), lease.model());
            }
            assertEquals(Set.of(b.version()), router.loadedVersions());
            assertClosed(loads.last("b"));
        }
    }

    @Test
    void shouldReleaseTheModelACameraWasKeptOnOnceTheCameraIsReassigned() throws Exception {
        // Given room for one model besides the fallback A, c1 kept on B while its assigned C is
        // refused, and c2's D loaded past the room (B and D both stay)
        ModelSpec d = save("d");
        try (ModelRouter router = following("a", 1)) {
            keepC1OnBWhileCIsRefusedAndLoadD(router, d);

            // When c1 is assigned D, which is loaded (no load follows, and no frame)
            assign(router, "c1", d.version());

            // Then B is unloaded, and closed
            assertEquals(Set.of(a, d.version()), router.loadedVersions());
            assertClosed(loads.last("b"));
        }
    }

    @Test
    void shouldReleaseTheModelACameraWasKeptOnOnceItsAssignedVersionLoads() throws Exception {
        // Given room for one model besides the fallback A, c1 kept on B while its assigned C is
        // refused, and c2's D loaded past the room (B and D both stay)
        ModelSpec d = save("d");
        try (ModelRouter router = following("a", 1)) {
            ModelSpec c = keepC1OnBWhileCIsRefusedAndLoadD(router, d);

            // When C is published again, and loaded
            ready(router, c, "c");

            // Then c1 gets C, and B is unloaded and closed
            assertEquals(c.version(), modelOf(router, "c1"));
            assertEquals(Set.of(a, d.version(), c.version()), router.loadedVersions());
            assertClosed(loads.last("b"));
        }
    }

    @Test
    void shouldNotSayARefusalToACameraServedByItsAssignedVersion() throws Exception {
        // Given c1 assigned B, loaded
        try (ModelRouter router = following("a", 3)) {
            assign(router, "c1", b.version());
            ready(router, b, "b");

            // When a later publication of B is refused
            router.modelRefused(b.version(), ModelErrorReason.DIGEST_MISMATCH, "refused");
            List<String> served = new ArrayList<>();
            String said = StandardError.of(() -> served.add(modelOf(router, "c1")));

            // Then c1 still gets the B loaded, and nothing says it gets something else
            assertEquals(List.of(b.version()), served);
            assertFalse(said.contains("camera c1 is assigned model " + b.version()), said);
        }
    }

    @Test
    void shouldSayARefusalToEachCameraAgainWhenTheVersionIsRefusedAgain() throws Exception {
        // Given c1 on B, then assigned C, which is refused: said once, for two frames
        try (ModelRouter router = following("a", 3)) {
            assign(router, "c1", b.version());
            ready(router, b, "b");
            modelOf(router, "c1");
            ModelSpec c = save("c");
            String said =
                    StandardError.of(
                            () -> {
                                router.modelRefused(
                                        c.version(), ModelErrorReason.DIGEST_MISMATCH, "no");
                                assign(router, "c1", c.version());
                                modelOf(router, "c1");
                                modelOf(router, "c1");

                                // When C is published again, and its folder does not load
                                router.modelReady(c, temp.resolve("a-folder-not-there"));
                                router.preloadAssigned(Duration.ofSeconds(60));
                                modelOf(router, "c1");
                                modelOf(router, "c1");
                            });

            // Then c1 is told of each refusal once
            List<String> told =
                    said.lines()
                            .filter(l -> l.contains("camera c1 is assigned model " + c.version()))
                            .toList();
            assertEquals(2, told.size(), said);
            assertTrue(told.get(0).contains("(DIGEST_MISMATCH)"), told.get(0));
            assertTrue(told.get(1).contains("(INVALID_MODEL)"), told.get(1));
        }
    }

    @Test
    void shouldKeepAnUnassignedCameraOnOneModelWithNoFallbackNorDefault() throws Exception {
        // Given no fallback and no default (serve without model.dir, as in the container image),
        // c1 on B and c2 on D, D loaded last
        ModelSpec d = save("d");
        try (ModelRouter router = following(null, 3)) {
            assign(router, "c1", b.version());
            ready(router, b, "b");
            assign(router, "c2", d.version());
            ready(router, d, "d");

            // When c3, which nothing assigns, sends frames between theirs
            List<String> c3 = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                modelOf(router, "c1");
                c3.add(modelOf(router, "c3"));
                modelOf(router, "c2");
                c3.add(modelOf(router, "c3"));
            }

            // Then c3 gets the model loaded last, D, and keeps it: no switch, no canvas reset
            assertEquals(Collections.nCopies(6, d.version()), c3);

            // And a camera on B assigned a removed version (an assign that raced the remove),
            // served as an unassigned camera, keeps B too
            assign(router, "c4", b.version());
            assertEquals(b.version(), modelOf(router, "c4"));
            router.modelRemoved("e-removed");
            assign(router, "c4", "e-removed");
            List<String> c4 = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                modelOf(router, "c2");
                c4.add(modelOf(router, "c4"));
            }
            assertEquals(List.of(b.version(), b.version()), c4);
        }
    }

    @Test
    void shouldUnloadTheRemovedOnlyModelOnceAnotherLoadsWhenItsNewPublicationFails()
            throws Exception {
        // Given no fallback and B, everyone's default, removed: kept, as the only model
        ModelSpec d = save("d");
        try (ModelRouter router = following(null, 3)) {
            assignDefault(router, b.version());
            ready(router, b, "b");
            router.modelRemoved(b.version());

            // When B is published again, but that publication does not load
            ready(router, b, "a-folder-not-there");

            // Then the kept B still serves meanwhile, B is refused
            assertEquals(b.version(), modelOf(router, "c1"));
            assertEquals(List.of(b.version() + " INVALID_MODEL"), errors);

            // And once another model is loaded, the kept B is unloaded and closed
            assign(router, "c2", d.version());
            ready(router, d, "d");
            assertEquals(Set.of(d.version()), router.loadedVersions());
            assertClosed(loads.last("b"));
            assertEquals(d.version(), modelOf(router, "c1"));
        }
    }

    @Test
    void shouldForgetARefusalOnceTheVersionLoads() throws Exception {
        // Given room for one model besides the fallback A, and c1 assigned B, its load under way
        ModelSpec d = save("d");
        try (ModelRouter router = following("a", 1)) {
            loads.hold("b");
            assign(router, "c1", b.version());
            router.modelReady(b, temp.resolve("b"));
            loads.awaitHeld();

            // When a later publication of B is refused (its cache write failed) before that load
            // ends, and it then ends
            router.modelRefused(b.version(), ModelErrorReason.OTHER, "cannot write model b");
            loads.release();
            router.preloadAssigned(Duration.ofSeconds(60));
            assertEquals(b.version(), modelOf(router, "c1"));

            // And c1 is unassigned, B unloaded for D, and c1 assigned B again
            assign(router, "c1", null);
            assign(router, "c2", d.version());
            ready(router, d, "d");
            assertEquals(Set.of(a, d.version()), router.loadedVersions());
            assign(router, "c1", b.version());
            router.preloadAssigned(Duration.ofSeconds(60));

            // Then B, which loaded after that refusal, is loaded again for c1
            assertEquals(b.version(), modelOf(router, "c1"));
        }
    }

    @Test
    void shouldSayAMissingVersionAgainOnceItIsAssignedAgain() throws Exception {
        // Given c1 assigned C, which nobody published: said once for two frames
        try (ModelRouter router = following("a", 3)) {
            String said =
                    StandardError.of(
                            () -> {
                                assign(router, "c1", "c-not-published");
                                modelOf(router, "c1");
                                modelOf(router, "c1");

                                // When its assignment is taken back, and given again
                                assign(router, "c1", null);
                                modelOf(router, "c1");
                                assign(router, "c1", "c-not-published");
                                modelOf(router, "c1");
                            });

            // Then it is said again: what is said of a version nothing assigns is forgotten
            assertEquals(
                    2,
                    said.lines()
                            .filter(
                                    l ->
                                            l.contains(
                                                    "model c-not-published is assigned (camera c1)"))
                            .count(),
                    said);
        }
    }

    @Test
    void shouldReleaseTheModelACameraWasKeptOnOnceItsAssignedVersionIsRemoved() throws Exception {
        // Given room for one model besides the fallback A, c1 kept on B while its assigned C is
        // refused, and c2's D loaded past the room (B and D both stay)
        ModelSpec d = save("d");
        try (ModelRouter router = following("a", 1)) {
            ModelSpec c = keepC1OnBWhileCIsRefusedAndLoadD(router, d);

            // When C is removed (no load follows, and no frame)
            router.modelRemoved(c.version());

            // Then B is unloaded, and closed: c1 is served as an unassigned camera
            assertEquals(Set.of(a, d.version()), router.loadedVersions());
            assertClosed(loads.last("b"));
            assertEquals(a, modelOf(router, "c1"));
        }
    }

    /**
     * c1 on B, then assigned C (saved in folder c), refused; c2 assigned D, loaded: with room for
     * one model, B stays for c1 and D for c2.
     *
     * @return C
     */
    private ModelSpec keepC1OnBWhileCIsRefusedAndLoadD(ModelRouter router, ModelSpec d)
            throws Exception {
        ModelSpec c = save("c");
        assign(router, "c1", b.version());
        ready(router, b, "b");
        modelOf(router, "c1");
        router.modelRefused(c.version(), ModelErrorReason.DIGEST_MISMATCH, "refused");
        assign(router, "c1", c.version());
        assertEquals(b.version(), modelOf(router, "c1"));
        assign(router, "c2", d.version());
        ready(router, d, "d");
        assertEquals(Set.of(a, b.version(), d.version()), router.loadedVersions());
        return c;
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

    /** Makes a version everyone's default. */
    private void assignDefault(ModelRouter router, String version) {
        catalog.applyAssignment(
                ModelKeys.assignment(AssignmentScope.DEFAULT, null),
                assignment(AssignmentScope.DEFAULT, null, version));
        router.assignmentsChanged();
    }

    /** Assigns a version to a camera, or with null takes its assignment back. */
    private void assign(ModelRouter router, String camera, String version) {
        catalog.applyAssignment(
                ModelKeys.assignment(AssignmentScope.CAMERA, camera),
                version == null ? null : assignment(AssignmentScope.CAMERA, camera, version));
        router.assignmentsChanged();
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
                Duration.ofMinutes(5).toMillis(), // serve's, by default
                (v, r, m) -> errors.add(v + " " + r));
    }

    /** Copies a saved model's folder, as a second publication of it would be written. */
    private void copy(String from, String to) throws IOException {
        Files.createDirectories(temp.resolve(to));
        try (Stream<Path> files = Files.list(temp.resolve(from))) {
            for (Path file : files.toList()) {
                Files.copy(file, temp.resolve(to).resolve(file.getFileName()));
            }
        }
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
