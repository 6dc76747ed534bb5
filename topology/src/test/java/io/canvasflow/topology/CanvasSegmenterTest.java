package io.canvasflow.topology;

import static io.canvasflow.topology.TestFrames.jpeg;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.model.Architecture;
import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.ModelType;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.model.TestModels;
import io.canvasflow.registry.ModelCatalog;
import io.canvasflow.registry.ModelKeys;
import io.canvasflow.schemas.avro.AssignmentScope;
import io.canvasflow.schemas.avro.CanvasState;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ModelAssignment;
import io.canvasflow.schemas.avro.ResetReason;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frame core runs each model's own full iterations unless the settings name a count, and a
 * feed-forward model one pass a frame; it holds what it needs per version only while the router has
 * the version loaded.
 */
class CanvasSegmenterTest {

    @Test
    void shouldStartAFirstFrameWithTheModelsTrainedIterationsUnlessSet() {
        // Given a tiny model whose model.json says it was trained for 3 iterations
        try (SegmentationModel model =
                        SegmentationModel.initialize(
                                TestModels.trainedFor(
                                        TestModels.spec(
                                                ModelType.RECURRENT, Architecture.tiny(), 64, 48),
                                        3),
                                DeviceChoice.CPU);
                ModelSource source = ModelSource.of(model)) {
            Frame first = jpeg("cam-1", 1, 64, 48);

            // When a camera's first frame is segmented with the defaults, then with 5 set
            CanvasSegmenter.Outcome byModel =
                    firstFrame(CanvasFlowConfig.defaults(), source, first);
            CanvasSegmenter.Outcome bySetting =
                    firstFrame(
                            CanvasFlowConfig.defaults()
                                    .with(CanvasFlowConfig.CANVAS_FULL_ITERATIONS, "5"),
                            source,
                            first);

            // Then the model's 3 iterations ran from zero, and a setting wins over them
            assertEquals(
                    List.of(ResetReason.FIRST_FRAME, 3, 3, ResetReason.FIRST_FRAME, 5, 5),
                    List.of(
                            byModel.decision().resetReason(),
                            byModel.decision().iterations(),
                            byModel.mask().getIterations(),
                            bySetting.decision().resetReason(),
                            bySetting.decision().iterations(),
                            bySetting.mask().getIterations()));
        }
    }

    @Test
    void shouldRunAFeedForwardModelOnePassUnseededOnEveryFrameWhateverTheIterationSettings() {
        // Given a tiny feed-forward model, and the settings by default and with both counts set
        try (SegmentationModel model = tiny(ModelType.FEED_FORWARD, "ff-1");
                ModelSource ff = ModelSource.of(model)) {
            CanvasFlowConfig set =
                    CanvasFlowConfig.defaults()
                            .with(CanvasFlowConfig.CANVAS_FULL_ITERATIONS, "5")
                            .with(CanvasFlowConfig.CANVAS_SEEDED_ITERATIONS, "3");

            // When three consecutive frames of one camera are segmented under each
            Map<String, CanvasState> store = new HashMap<>();
            List<String> byDefault = new ArrayList<>();
            List<String> bySettings = new ArrayList<>();
            for (long sequence = 0; sequence < 3; sequence++) {
                byDefault.add(figures(segment(CanvasFlowConfig.defaults(), ff, sequence, store)));
            }
            store.clear();
            for (long sequence = 0; sequence < 3; sequence++) {
                bySettings.add(figures(segment(set, ff, sequence, store)));
            }

            // Then each ran one pass, unseeded, reset for no reason, and its stored state keeps
            // the frame's place but no logits
            List<String> onePass = List.of("1 false null", "1 false null", "1 false null");
            assertEquals(List.of(onePass, onePass), List.of(byDefault, bySettings));
            assertEquals(
                    List.of(2L, "ff-1", 0, 0),
                    List.of(
                            store.get("cam-1").getSequence(),
                            store.get("cam-1").getModelVersion(),
                            store.get("cam-1").getClasses(),
                            store.get("cam-1").getLogits().remaining()));
        }
    }

    @Test
    void shouldStartARecurrentModelFromZeroAfterAFeedForwardOne() {
        // Given a camera segmented by a recurrent model, then by a feed-forward one
        try (SegmentationModel recurrentModel = tiny(ModelType.RECURRENT, "rnn-1");
                SegmentationModel feedForwardModel = tiny(ModelType.FEED_FORWARD, "ff-1");
                ModelSource rnn = ModelSource.of(recurrentModel);
                ModelSource ff = ModelSource.of(feedForwardModel)) {
            // (no scene cuts: a random tiny model's seeded masks may differ from its last ones)
            CanvasFlowConfig config =
                    CanvasFlowConfig.defaults()
                            .with(CanvasFlowConfig.CANVAS_SCENE_CUT_FRACTION, "1.0");
            Map<String, CanvasState> store = new HashMap<>();
            List<String> figures = new ArrayList<>();
            figures.add(figures(segment(config, rnn, 0, store)));
            figures.add(figures(segment(config, rnn, 1, store)));
            figures.add(figures(segment(config, ff, 2, store)));

            // When the recurrent model (the same version as before) takes the camera back
            figures.add(figures(segment(config, rnn, 3, store)));

            // Then its first frame back starts from zero, as after any model change, and the
            // next one is seeded again
            figures.add(figures(segment(config, rnn, 4, store)));
            assertEquals(
                    List.of(
                            "6 false FIRST_FRAME",
                            "2 true null",
                            "1 false null",
                            "6 false MODEL_VERSION_CHANGE",
                            "2 true null"),
                    figures);
        }
    }

    private static SegmentationModel tiny(ModelType type, String version) {
        return SegmentationModel.initialize(
                TestModels.spec(type, Architecture.tiny(), 64, 48).withParameters(null, version),
                DeviceChoice.CPU);
    }

    /**
     * Segments frame {@code sequence} of camera cam-1 (40 ms apart) with the stored state, as the
     * topology does, and stores the new one.
     */
    private static MaskEvent segment(
            CanvasFlowConfig config,
            ModelSource model,
            long sequence,
            Map<String, CanvasState> store) {
        Frame frame = jpeg("cam-1", sequence, 64, 48);
        CanvasSegmenter core =
                new CanvasSegmenter(
                        config, model, () -> frame.getCaptureTimestamp().toEpochMilli());
        CanvasSegmenter.Outcome outcome =
                core.segment(frame, core.decode("cam-1", frame), store.get("cam-1"), true);
        if (outcome.newState() != null) {
            store.put("cam-1", outcome.newState());
        }
        return outcome.mask();
    }

    /** A mask event's iterations, seeded flag and reset reason. */
    private static String figures(MaskEvent mask) {
        return mask.getIterations() + " " + mask.getSeeded() + " " + mask.getResetReason();
    }

    @Test
    void shouldDropWhatItHeldForAVersionOnceTheRouterNoLongerHasItLoaded(@TempDir Path temp)
            throws Exception {
        // Given a router with model A for every camera and B assigned to cam-b, both used
        ModelSpec a = saveTiny(temp.resolve("a"));
        ModelSpec b = saveTiny(temp.resolve("b"));
        ModelSpec c = saveTiny(temp.resolve("c"));
        ModelCatalog catalog = new ModelCatalog(true, new ModelCatalog.Listener() {});
        try (ModelRouter router =
                ModelRouter.following(
                        catalog,
                        ModelSource.load(temp.resolve("a"), DeviceChoice.CPU),
                        true,
                        DeviceChoice.CPU,
                        3,
                        (v, r, m) -> {})) {
            assign(catalog, router, b.version());
            router.modelReady(b, temp.resolve("b"));
            router.preloadAssigned(Duration.ofSeconds(60));
            Frame frame = jpeg("cam-b", 1, 64, 48);
            CanvasSegmenter core =
                    new CanvasSegmenter(
                            CanvasFlowConfig.defaults(),
                            router,
                            () -> frame.getCaptureTimestamp().toEpochMilli());
            core.segment(frame, core.decode("cam-b", frame), null, true);
            core.skipped(jpeg("cam-a", 1, 64, 48));
            Set<String> bothUsed = core.versionsHeld();

            // When B is removed, and cam-b is assigned a new version C
            router.modelRemoved(b.version());
            assign(catalog, router, c.version());
            router.modelReady(c, temp.resolve("c"));
            router.preloadAssigned(Duration.ofSeconds(60));
            Frame next = jpeg("cam-b", 2, 64, 48);
            core.segment(next, core.decode("cam-b", next), null, true);

            // Then what it held for B is gone, and A's and C's are held
            assertEquals(
                    List.of(
                            new TreeSet<>(Set.of(a.version(), b.version())),
                            new TreeSet<>(Set.of(a.version(), c.version()))),
                    List.of(bothUsed, core.versionsHeld()));
        }
    }

    private static ModelSpec saveTiny(Path dir) throws Exception {
        ModelSpec spec = TestModels.spec(ModelType.RECURRENT, Architecture.tiny(), 64, 48);
        try (SegmentationModel model = SegmentationModel.initialize(spec, DeviceChoice.CPU)) {
            return model.save(dir);
        }
    }

    /** Assigns a version to cam-b. */
    private static void assign(ModelCatalog catalog, ModelRouter router, String version) {
        catalog.applyAssignment(
                ModelKeys.assignment(AssignmentScope.CAMERA, "cam-b"),
                ModelAssignment.newBuilder()
                        .setScope(AssignmentScope.CAMERA)
                        .setTarget("cam-b")
                        .setModelVersion(version)
                        .setAssignedAt(Instant.now())
                        .setAssignedBy("test")
                        .build());
        router.assignmentsChanged();
    }

    private static CanvasSegmenter.Outcome firstFrame(
            CanvasFlowConfig config, ModelSource model, Frame frame) {
        CanvasSegmenter core =
                new CanvasSegmenter(
                        config, model, () -> frame.getCaptureTimestamp().toEpochMilli());
        return core.segment(frame, core.decode(frame.getCameraId(), frame), null, true);
    }
}
