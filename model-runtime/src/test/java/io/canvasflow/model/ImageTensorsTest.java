package io.canvasflow.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageTensorsTest {

    private static BufferedImage random(int type, int w, int h, long seed) {
        BufferedImage image = new BufferedImage(w, h, type);
        Random random = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    private static int[] viaColourModel(BufferedImage image) {
        int[] rgb =
                image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] &= 0xffffff;
        }
        return rgb;
    }

    @Test
    void shouldReadEveryLayoutAsTheColourModelDoes() {
        // Given the layouts a decoder hands over, the two with a direct path among them, and a
        // sub-image whose raster is a window on a larger buffer
        BufferedImage bgr = random(BufferedImage.TYPE_3BYTE_BGR, 37, 23, 1);
        BufferedImage[] images = {
            bgr,
            random(BufferedImage.TYPE_INT_RGB, 37, 23, 2),
            random(BufferedImage.TYPE_INT_ARGB, 37, 23, 3),
            random(BufferedImage.TYPE_BYTE_GRAY, 37, 23, 4),
            random(BufferedImage.TYPE_4BYTE_ABGR, 37, 23, 5),
            bgr.getSubimage(5, 3, 20, 11),
        };

        // Then the packed pixels are the colour model's, whatever the path
        for (BufferedImage image : images) {
            assertArrayEquals(
                    viaColourModel(image), ImageTensors.packedRgb(image), image.toString());
        }
    }

    @Test
    void shouldNormaliseEachChannelIntoItsPlane() {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_3BYTE_BGR);
        image.setRGB(0, 0, 0xff0000);
        image.setRGB(1, 0, 0x0080ff);

        float[] chw =
                ImageTensors.toChw(image, new float[] {0.5f, 0.5f, 0.5f}, new float[] {1, 1, 1});

        assertArrayEquals(
                new float[] {0.5f, -0.5f, -0.5f, 128 / 255f - 0.5f, -0.5f, 0.5f}, chw, 1e-6f);
    }
}
