package io.canvasflow.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.synthetic.LabeledFrame;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlickerTest {

    /** A 2x2 frame of one colour. */
    private static LabeledFrame frame(int rgb) {
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return new LabeledFrame(image, new byte[4]);
    }

    @Test
    void shouldPoolClipsByTheirStaticPixels() {
        // Given a still clip whose labels change on 1 of its 4 pixels, and a clip where every
        // pixel's colour changes (so none is static)
        List<LabeledFrame> still = List.of(frame(0x404040), frame(0x404040));
        Flicker.Count a =
                Flicker.count(
                        still, List.of(new byte[] {0, 0, 0, 0}, new byte[] {1, 0, 0, 0}), false);
        List<LabeledFrame> cut = List.of(frame(0x000000), frame(0xffffff));
        Flicker.Count b =
                Flicker.count(
                        cut, List.of(new byte[] {0, 0, 0, 0}, new byte[] {1, 1, 1, 1}), false);

        // Then the second clip alone has no share, and adds nothing to the pooled one
        assertTrue(Double.isNaN(b.share()));
        assertEquals(0.25, a.plus(b).share(), 1e-12);
        assertEquals(
                a.share(), Flicker.of(still, List.of(new byte[4], new byte[] {1, 0, 0, 0}), false));
    }
}
