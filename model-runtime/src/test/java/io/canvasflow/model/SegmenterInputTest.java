package io.canvasflow.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SegmenterInputTest {

    @Test
    void shouldSegmentEachFrameAsAFreshSegmenterDoesWhateverItSegmentedBefore() {
        // Given frames of different content, layouts and input sizes (smaller than the one before,
        // then larger than any, then the first again), one segmenter for all of them, which
        // writes each frame's pixels over the last one's
        Object[][] frames = {
            {image(BufferedImage.TYPE_3BYTE_BGR, 1), 64, 48},
            {image(BufferedImage.TYPE_INT_RGB, 2), 32, 24},
            {image(BufferedImage.TYPE_BYTE_GRAY, 3), 96, 72},
            {image(BufferedImage.TYPE_3BYTE_BGR, 4), 64, 48},
            {image(BufferedImage.TYPE_3BYTE_BGR, 1), 64, 48},
        };
        List<Object> expected = new ArrayList<>();
        List<Object> actual = new ArrayList<>();
        try (SegmentationModel model = TestModels.tinyRecurrent(64, 48);
                Segmenter shared = model.newSegmenter()) {
            for (Object[] frame : frames) {
                SegmentRequest request =
                        SegmentRequest.builder()
                                .setImage((BufferedImage) frame[0])
                                .optInputSize((int) frame[1], (int) frame[2])
                                .optIterations(2)
                                .build();

                // When each is segmented by it, and by a segmenter of its own
                SegmentationResult mine = shared.segment(request);
                try (Segmenter fresh = model.newSegmenter()) {
                    SegmentationResult alone = fresh.segment(request);
                    expected.add(alone.map().indices());
                    expected.add(alone.canvas().logits());
                }
                actual.add(mine.map().indices());
                actual.add(mine.canvas().logits());
            }
        }

        // Then every mask and canvas is the one its frame alone gives: nothing of an earlier
        // frame's pixels is left in the input
        assertArrayEquals(expected.toArray(), actual.toArray());
    }

    private static BufferedImage image(int type, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(80, 60, type);
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 80; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }
}
