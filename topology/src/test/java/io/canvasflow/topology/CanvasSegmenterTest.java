package io.canvasflow.topology;

import static io.canvasflow.topology.TestFrames.jpeg;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.model.Architecture;
import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.ModelType;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.model.TestModels;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ResetReason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The frame core runs each model's own full iterations unless the settings name a count. */
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

    private static CanvasSegmenter.Outcome firstFrame(
            CanvasFlowConfig config, ModelSource model, Frame frame) {
        CanvasSegmenter core =
                new CanvasSegmenter(
                        config, model, () -> frame.getCaptureTimestamp().toEpochMilli());
        return core.segment(frame, core.decode(frame.getCameraId(), frame), null, true);
    }
}
