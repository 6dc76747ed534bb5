package io.canvasflow.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.synthetic.LabeledFrame;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmenterTest {

    private static final int W = 12;
    private static final int H = 8;

    /** A frame whose colour and label both encode the pixel position. */
    private static LabeledFrame gradient() {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        byte[] labels = new byte[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                img.setRGB(x, y, (x * 20) << 16 | (y * 30) << 8 | 77);
                labels[y * W + x] = (byte) ((x + y) % 5);
            }
        }
        return new LabeledFrame(img, labels);
    }

    @Test
    void shouldCropToTheRequestedSize() {
        Augmenter aug = Augmenter.of(6, 4);

        for (int seed = 0; seed < 20; seed++) {
            LabeledFrame out = aug.apply(gradient(), new Random(seed));

            assertEquals(6, out.width());
            assertEquals(4, out.height());
            assertEquals(6 * 4, out.labels().length);
        }
    }

    @Test
    void shouldMirrorImageAndLabelsExactlyWhenFlipping() {
        LabeledFrame in = gradient();
        Augmenter aug = new Augmenter(W, H, 1, 1, true);

        LabeledFrame out = aug.apply(in, new Augmenter.Params(1.0, 0, 0, true));

        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                assertEquals(in.label(W - 1 - x, y), out.label(x, y));
                assertEquals(in.image().getRGB(W - 1 - x, y), out.image().getRGB(x, y));
            }
        }
    }

    @Test
    void shouldCopyExactlyAtScaleOneWithoutFlip() {
        LabeledFrame in = gradient();
        Augmenter aug = new Augmenter(5, 3, 1, 1, true);

        LabeledFrame out = aug.apply(in, new Augmenter.Params(1.0, 4, 2, false));

        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(in.label(x + 4, y + 2), out.label(x, y));
                assertEquals(in.image().getRGB(x + 4, y + 2), out.image().getRGB(x, y));
            }
        }
    }

    @Test
    void shouldPadWithIgnoreLabelAndBlackWhenTheScaledImageIsSmaller() {
        Augmenter aug = new Augmenter(16, 10, 1, 1, false);

        LabeledFrame out = aug.apply(gradient(), new Random(1));

        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 16; x++) {
                if (x < W && y < H) {
                    assertEquals((x + y) % 5, out.label(x, y));
                } else {
                    assertEquals(ClassTable.IGNORE_LABEL, out.label(x, y));
                    assertEquals(0, out.image().getRGB(x, y) & 0xffffff);
                }
            }
        }
    }

    @Test
    void shouldKeepLabelsAsClassIndicesWhenScaling() {
        Augmenter aug = new Augmenter(10, 7, 0.5, 2.0, true);

        for (int seed = 0; seed < 30; seed++) {
            int[] hist = aug.apply(gradient(), new Random(seed)).labelHistogram();
            for (int v = 5; v < 255; v++) {
                assertEquals(0, hist[v], "label " + v + " appeared");
            }
        }
    }

    @Test
    void shouldRepeatForTheSameSeed() {
        Augmenter aug = Augmenter.of(7, 5);

        LabeledFrame a = aug.apply(gradient(), new Random(99));
        LabeledFrame b = aug.apply(gradient(), new Random(99));

        assertArrayEquals(a.labels(), b.labels());
        assertArrayEquals(
                a.image().getRGB(0, 0, 7, 5, null, 0, 7), b.image().getRGB(0, 0, 7, 5, null, 0, 7));
    }

    @Test
    void shouldApplyOneDrawToEveryFrameOfAClip() {
        Augmenter aug = Augmenter.of(9, 6);
        LabeledFrame f = gradient();

        for (int seed = 0; seed < 10; seed++) {
            List<LabeledFrame> out = aug.apply(List.of(f, f, f), new Random(seed));

            assertArrayEquals(out.get(0).labels(), out.get(1).labels());
            assertArrayEquals(out.get(0).labels(), out.get(2).labels());
        }
    }

    @Test
    void shouldFlipAboutHalfTheTime() {
        Augmenter aug = new Augmenter(W, H, 1, 1, true);
        Random random = new Random(5);
        int flips = 0;
        for (int i = 0; i < 200; i++) {
            flips += aug.draw(W, H, random).flip() ? 1 : 0;
        }
        assertTrue(flips > 70 && flips < 130, flips + " flips of 200");
    }

    @Test
    void shouldRequireACropSize() {
        assertThrows(IllegalArgumentException.class, () -> new Augmenter(0, 0, 0.75, 1.25, true));
        assertThrows(IllegalArgumentException.class, () -> new Augmenter(4, 4, 1.2, 0.8, true));
    }
}
