package io.canvasflow.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Graphics2D;
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

    /** The pixels as Java2D draws the image into an RGB one, as the trainer converts frames. */
    private static int[] viaDrawing(BufferedImage image) {
        BufferedImage rgb =
                new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return rgb.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    /**
     * Random 37x23 images in the layouts a decoder hands over, the two with a direct path among
     * them, and a sub-image whose raster is a window on a larger buffer.
     */
    private static BufferedImage[] everyLayout() {
        BufferedImage bgr = random(BufferedImage.TYPE_3BYTE_BGR, 37, 23, 1);
        return new BufferedImage[] {
            bgr,
            random(BufferedImage.TYPE_INT_RGB, 37, 23, 2),
            random(BufferedImage.TYPE_INT_ARGB, 37, 23, 3),
            random(BufferedImage.TYPE_BYTE_GRAY, 37, 23, 4),
            random(BufferedImage.TYPE_4BYTE_ABGR, 37, 23, 5),
            bgr.getSubimage(5, 3, 20, 11),
        };
    }

    private static int[] masked(int[] argb) {
        for (int i = 0; i < argb.length; i++) {
            argb[i] &= 0xffffff;
        }
        return argb;
    }

    @Test
    void shouldReadEveryLayoutAsJava2dDrawsIt() {
        // Given the layouts a decoder hands over, the two with a direct path among them, and a
        // sub-image whose raster is a window on a larger buffer
        BufferedImage[] images = everyLayout();

        // Then the packed pixels are those the image draws as, whatever the path (so a frame
        // reaches the network as it reached it in training, and at any size)
        for (BufferedImage image : images) {
            assertArrayEquals(
                    masked(viaDrawing(image)), ImageTensors.packedRgb(image), image.toString());
        }
    }

    @Test
    void shouldReadAGreyFrameAsTheSameGreyOnEveryChannelAtAnySize() {
        // Given a grey camera's frame: every sample 128
        BufferedImage grey = new BufferedImage(8, 6, BufferedImage.TYPE_BYTE_GRAY);
        java.util.Arrays.fill(
                ((java.awt.image.DataBufferByte) grey.getRaster().getDataBuffer()).getData(),
                (byte) 128);

        // When it is read at its own size, and resized first
        int[] asIs = ImageTensors.packedRgb(grey);
        int[] resized = ImageTensors.packedRgb(ImageTensors.resize(grey, 4, 3));

        // Then both read 128 on every channel (the colour model's getRGB made it 188, 0xbc)
        for (int v : asIs) {
            assertEquals(0x808080, v);
        }
        for (int v : resized) {
            assertEquals(0x808080, v);
        }
    }

    @Test
    void shouldWriteABufferAsAnArrayFromTheOffsetOnAndNothingElse() {
        // Given every layout and a native-order direct buffer and an array of the same length,
        // both filled with NaN
        BufferedImage[] images = everyLayout();
        float[] mean = {0.485f, 0.456f, 0.406f};
        float[] std = {0.229f, 0.224f, 0.225f};
        for (BufferedImage image : images) {
            int length = 7 + 3 * image.getWidth() * image.getHeight() + 4;
            float[] array = new float[length];
            java.util.Arrays.fill(array, Float.NaN);
            java.nio.FloatBuffer buffer =
                    java.nio.ByteBuffer.allocateDirect(length * Float.BYTES)
                            .order(java.nio.ByteOrder.nativeOrder())
                            .asFloatBuffer();
            buffer.put(array).clear();

            // When the image is written into both from index 7
            ImageTensors.toChw(image, mean, std, array, 7);
            ImageTensors.toChw(image, mean, std, buffer, 7);

            // Then the buffer holds the array's floats, the NaN before and after included, and
            // its position has not moved
            float[] written = new float[length];
            buffer.get(0, written);
            assertArrayEquals(array, written, image.toString());
            assertEquals(0, buffer.position());
        }
    }

    @Test
    void shouldRefuseABufferThatEndsBeforeTheImage() {
        // Given a 4 x 3 image and a buffer one float short of it from index 2
        BufferedImage image = random(BufferedImage.TYPE_3BYTE_BGR, 4, 3, 1);
        java.nio.FloatBuffer buffer = java.nio.FloatBuffer.allocate(2 + 36 - 1);

        // When it is written there, then it is refused, saying what it needs
        IndexOutOfBoundsException e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        IndexOutOfBoundsException.class,
                        () ->
                                ImageTensors.toChw(
                                        image, new float[3], new float[] {1, 1, 1}, buffer, 2));
        assertEquals(
                "a 4x3 image needs 36 floats from index 2 but the buffer ends at 37",
                e.getMessage());
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
