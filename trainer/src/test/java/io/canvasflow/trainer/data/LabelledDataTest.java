package io.canvasflow.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.synthetic.LabeledFrame;
import io.canvasflow.synthetic.VideoSequence;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelledDataTest {

    private static final ClassTable TWO =
            ClassTable.withVocPalette(List.of("background", "person"));

    @Test
    void shouldWeighARareClassByTheInverseSquareRootOfItsShare() {
        // Given 99 background pixels, 1 person pixel and 20 ignored ones
        byte[] labels = new byte[120];
        labels[7] = 1;
        for (int i = 100; i < 120; i++) {
            labels[i] = (byte) ClassTable.IGNORE_LABEL;
        }
        LabelledData data = data(labels, 12, 10);
        // When balanced weights are taken
        float[] w = data.balancedClassWeights();
        // Then they are 1/sqrt(0.99) and 1/sqrt(0.01), scaled so the mean labelled pixel weighs 1
        double mean = 0.99 / Math.sqrt(0.99) + 0.01 / Math.sqrt(0.01);
        assertEquals(1 / Math.sqrt(0.99) / mean, w[0], 1e-5);
        assertEquals(10 / mean, w[1], 1e-4);
        assertEquals(1.0, 0.99 * w[0] + 0.01 * w[1], 1e-5);
    }

    @Test
    void shouldResizeLabelsByNearestNeighbourNeverBlendingThem() {
        byte[] labels = {0, 1, 1, (byte) 255};
        LabeledFrame large = LabelledData.resize(data(labels, 2, 2).frames().get(0), 4, 4);
        assertArrayEquals(
                new byte[] {0, 0, 1, 1, 0, 0, 1, 1, 1, 1, -1, -1, 1, 1, -1, -1}, large.labels());
    }

    private static LabelledData data(byte[] labels, int w, int h) {
        LabeledFrame frame =
                new LabeledFrame(new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR), labels);
        return new LabelledData(
                TWO, List.of(new VideoSequence("s", List.of(frame))), "test", Map.of());
    }
}
