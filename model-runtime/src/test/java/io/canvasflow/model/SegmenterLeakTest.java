package io.canvasflow.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.BaseNDManager;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class SegmenterLeakTest {

    @Test
    void shouldNotGrowLiveNdArraysOver2000Frames() {
        try (SegmentationModel model = TestModels.tinyRecurrent(64, 64);
                Segmenter segmenter = model.newSegmenter()) {
            BufferedImage image = TestModels.image(64, 64, 3);
            Canvas canvas = null;
            for (int i = 0; i < 20; i++) {
                canvas = segmentOnce(segmenter, image, canvas);
            }
            int afterWarmUp = live(model);

            for (int i = 0; i < 2000; i++) {
                canvas = segmentOnce(segmenter, image, i % 50 == 0 ? null : canvas);
            }

            assertEquals(afterWarmUp, live(model));
        }
    }

    private static Canvas segmentOnce(Segmenter segmenter, BufferedImage image, Canvas seed) {
        return segmenter
                .segment(
                        SegmentRequest.builder()
                                .setImage(image)
                                .optSeed(seed)
                                .optIterations(seed == null ? 6 : 2)
                                .build())
                .canvas();
    }

    private static int live(SegmentationModel model) {
        return ((BaseNDManager) model.manager()).getManagedArrays().size();
    }
}
