package io.canvasflow.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The build runs tests with {@code -Dai.djl.offline=true}, so DJL makes no telemetry call here
 * whatever these tests do to {@code OPT_OUT_TRACKING}; each puts the property back as it found it.
 */
class EngineDefaultsTest {

    private String before;

    @BeforeEach
    void saveProperty() {
        before = System.getProperty(EngineDefaults.OPT_OUT_TRACKING);
    }

    @AfterEach
    void restoreProperty() {
        if (before == null) {
            System.clearProperty(EngineDefaults.OPT_OUT_TRACKING);
        } else {
            System.setProperty(EngineDefaults.OPT_OUT_TRACKING, before);
        }
    }

    @Test
    void shouldOptOutOfTelemetryWhenAModelLoadsAndNobodySaidOtherwise() {
        assumeTrue(
                System.getenv(EngineDefaults.OPT_OUT_TRACKING) == null,
                "OPT_OUT_TRACKING is set in this environment: DJL reads that first");
        // Given a process where nothing set OPT_OUT_TRACKING
        System.clearProperty(EngineDefaults.OPT_OUT_TRACKING);

        // When a model is made, as a library user would
        try (SegmentationModel model = TestModels.tinyRecurrent(32, 24)) {
            // Then DJL's telemetry is off
            assertEquals("true", System.getProperty(EngineDefaults.OPT_OUT_TRACKING));
        }
    }

    @Test
    void shouldLeaveTheCallersChoiceAlone() {
        // Given a caller that set the property to false, and one whose environment says false
        System.setProperty(EngineDefaults.OPT_OUT_TRACKING, "false");
        try (SegmentationModel model = TestModels.tinyRecurrent(32, 24)) {
            String afterLoad = System.getProperty(EngineDefaults.OPT_OUT_TRACKING);
            System.clearProperty(EngineDefaults.OPT_OUT_TRACKING);

            // When the defaults are applied
            EngineDefaults.optOutOfTracking(Map.of(EngineDefaults.OPT_OUT_TRACKING, "false"));

            // Then neither choice is overridden
            assertEquals(
                    Arrays.asList("false", null),
                    Arrays.asList(afterLoad, System.getProperty(EngineDefaults.OPT_OUT_TRACKING)));
        }
    }

    @Test
    void shouldStartTheEngineThroughTheDefaultsInEveryEntryPoint() {
        // Given the module's entry points that start the engine, with the property cleared
        assumeTrue(System.getenv(EngineDefaults.OPT_OUT_TRACKING) == null, "set in environment");
        List<Runnable> entries =
                List.of(
                        () -> DeviceChoice.CPU.resolve(),
                        () -> DeviceChoice.GPU.problem(),
                        () ->
                                SegmentationModel.initialize(
                                                TestModels.spec(
                                                        ModelType.FEED_FORWARD,
                                                        Architecture.tiny(),
                                                        32,
                                                        24),
                                                DeviceChoice.CPU)
                                        .close());
        for (Runnable entry : entries) {
            System.clearProperty(EngineDefaults.OPT_OUT_TRACKING);

            // When each runs
            entry.run();

            // Then telemetry is off
            assertEquals("true", System.getProperty(EngineDefaults.OPT_OUT_TRACKING));
        }
    }
}
