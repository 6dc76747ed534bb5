package io.canvasflow.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.canvasflow.model.ImageTensors;
import io.canvasflow.synthetic.LabeledFrame;
import io.canvasflow.synthetic.SyntheticVideoGenerator;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchesTest {

    private static LabeledFrame frame(int type, int[] rgb, int w, int h, byte[] labels) {
        BufferedImage img = new BufferedImage(w, h, type);
        img.setRGB(0, 0, w, h, rgb, 0, w);
        return new LabeledFrame(img, labels);
    }

    @Test
    void shouldPackImagesAsNormalisedNchwInRgbOrder() {
        LabeledFrame a =
                frame(
                        BufferedImage.TYPE_INT_RGB,
                        new int[] {0xFF0000, 0x00FF00},
                        2,
                        1,
                        new byte[] {0, 1});
        LabeledFrame b =
                frame(
                        BufferedImage.TYPE_3BYTE_BGR,
                        new int[] {0x0000FF, 0x336699},
                        2,
                        1,
                        new byte[] {2, (byte) 255});
        float[] mean = {0.5f, 0.25f, 0f};
        float[] std = {0.5f, 0.25f, 1f};

        float[] out = Batches.images(List.of(a, b), mean, std);

        float[] expected = {
            // frame a: R plane, G plane, B plane
            (1 - 0.5f) / 0.5f,
            (0 - 0.5f) / 0.5f,
            (0 - 0.25f) / 0.25f,
            (1 - 0.25f) / 0.25f,
            0,
            0,
            // frame b
            (0 - 0.5f) / 0.5f,
            (0x33 / 255f - 0.5f) / 0.5f,
            (0 - 0.25f) / 0.25f,
            (0x66 / 255f - 0.25f) / 0.25f,
            1,
            0x99 / 255f
        };
        assertArrayEquals(expected, out, 1e-5f);
        assertArrayEquals(new long[] {2, 3, 1, 2}, Batches.imageShape(List.of(a, b)));
    }

    @Test
    void shouldNormaliseBitForBitLikeInference() {
        LabeledFrame f = new SyntheticVideoGenerator().generateFrame(3, 64, 48);
        float[] mean = Batches.imagenetMean();
        float[] std = Batches.imagenetStd();

        float[] ours = Batches.images(List.of(f), mean, std);
        float[] inference = ImageTensors.toChw(f.image(), mean, std);

        assertArrayEquals(inference, ours);
    }

    @Test
    void shouldPackLabelsAsNhw() {
        LabeledFrame a =
                frame(BufferedImage.TYPE_INT_RGB, new int[4], 2, 2, new byte[] {0, 1, 2, 3});
        LabeledFrame b =
                frame(
                        BufferedImage.TYPE_INT_RGB,
                        new int[4],
                        2,
                        2,
                        new byte[] {5, 4, (byte) 255, 0});

        assertArrayEquals(new int[] {0, 1, 2, 3, 5, 4, 255, 0}, Batches.labels(List.of(a, b)));
        assertArrayEquals(
                new float[] {0, 1, 2, 3, 5, 4, 255, 0}, Batches.labelsAsFloat(List.of(a, b)));
        assertArrayEquals(new long[] {2, 2, 2}, Batches.labelShape(List.of(a, b)));
    }

    @Test
    void shouldWriteIntoAGivenBufferAtAnOffset() {
        LabeledFrame a =
                frame(BufferedImage.TYPE_INT_RGB, new int[] {0xFFFFFF}, 1, 1, new byte[] {0});
        float[] out = new float[5];

        Batches.images(List.of(a), new float[] {0, 0, 0}, new float[] {1, 1, 1}, out, 2);

        assertArrayEquals(new float[] {0, 0, 1, 1, 1}, out);
    }

    @Test
    void shouldRejectFramesOfDifferentSizes() {
        LabeledFrame a = frame(BufferedImage.TYPE_INT_RGB, new int[4], 2, 2, new byte[4]);
        LabeledFrame b = frame(BufferedImage.TYPE_INT_RGB, new int[2], 2, 1, new byte[2]);

        assertThrows(
                IllegalArgumentException.class,
                () -> Batches.images(List.of(a, b), Batches.imagenetMean(), Batches.imagenetStd()));
        assertThrows(IllegalArgumentException.class, () -> Batches.labels(List.of(a, b)));
        assertThrows(IllegalArgumentException.class, () -> Batches.labels(List.of()));
    }
}
