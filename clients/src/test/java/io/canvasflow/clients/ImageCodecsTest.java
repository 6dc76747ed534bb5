package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.testsupport.Frames;
import io.canvasflow.testsupport.TestImages;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageCodecsTest {

    private static final int[] PALETTE = {
        0x4682B4, 0x804080, 0x464646, 0x6B8E23, 0x00008E, 0xDC143C
    };

    @Test
    void shouldResampleLabelsAtEachOutputPixelsCentre() {
        // Halving keeps the second pixel of each pair (centre 0.5 of an output pixel is input 1),
        // doubling repeats each, and a label is never blended
        byte[] row = {0, 1, 2, 3};
        assertArrayEquals(new byte[] {1, 3}, ImageCodecs.nearest(row, 4, 1, 2, 1));
        assertArrayEquals(
                new byte[] {0, 0, 1, 1, 2, 2, 3, 3}, ImageCodecs.nearest(row, 4, 1, 8, 1));
        byte[] square = {0, 1, 2, 3};
        assertArrayEquals(new byte[] {3}, ImageCodecs.nearest(square, 2, 2, 1, 1));
    }

    @Test
    void shouldReadBackIndexedPngClassIndicesExactly() {
        // Given every class and an ignore label of 255, beyond the palette
        byte[] labels = randomLabels(37, 23, PALETTE.length, 1);
        labels[5] = (byte) 255;

        // When
        ClassMap map = ImageCodecs.classMap(ImageCodecs.indexedLabelPng(labels, 37, 23, PALETTE));

        // Then
        int[] palette = new int[256];
        System.arraycopy(PALETTE, 0, palette, 0, PALETTE.length);
        assertEquals(new ClassMap(37, 23, labels, palette), map);
    }

    @Test
    void shouldReadRawIndicesNotColoursWhenClassesShareAColour() {
        // Given two classes drawn in the same colour, which an RGB decode could not tell apart
        byte[] labels = {0, 1, 1, 0, 2, 2};
        int[] palette = {0xFF0000, 0xFF0000, 0x00FF00};

        // When
        ClassMap map = ImageCodecs.classMap(ImageCodecs.indexedLabelPng(labels, 3, 2, palette));

        // Then: ImageIO writes so small a palette at 2 bits, padding it to four entries with black
        assertEquals(new ClassMap(3, 2, labels, new int[] {0xFF0000, 0xFF0000, 0x00FF00, 0}), map);
    }

    @Test
    void shouldReadBackGrayscalePngLabelsExactlyWithoutPalette() {
        byte[] labels = randomLabels(31, 17, 256, 2);

        ClassMap map = ImageCodecs.classMap(ImageCodecs.grayLabelPng(labels, 31, 17));

        assertEquals(new ClassMap(31, 17, labels, new int[0]), map);
    }

    @Test
    void shouldRefuseAnRgbPngAsClassMap() {
        BufferedImage rgb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);

        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ImageCodecs.classMap(ImageCodecs.png(rgb)));

        assertTrue(e.getMessage().contains("indexed or grayscale"), e.getMessage());
    }

    @Test
    void shouldRefuseAnEmptyClassMap() {
        assertThrows(IllegalArgumentException.class, () -> ImageCodecs.classMap(new byte[0]));
    }

    @Test
    void shouldEncodeSmallerJpegsAtLowerQuality() {
        BufferedImage image = noise(96, 64, 3);

        byte[] low = ImageCodecs.jpeg(image, 0.2f);
        byte[] high = ImageCodecs.jpeg(image, 0.95f);

        assertTrue(
                low.length < high.length,
                low.length + " bytes at 0.2 vs " + high.length + " at 0.95");
        BufferedImage decoded = ImageCodecs.decode(high);
        assertEquals(96, decoded.getWidth());
        assertEquals(64, decoded.getHeight());
    }

    @Test
    void shouldRefuseAnImageWhoseHeaderClaimsMorePixelsThanItDecodesBeforeAllocatingThem() {
        // Given a small JPEG whose frame header says 20000x20000, 1.2 GB of pixels
        byte[] bomb = withJpegSize(ImageCodecs.jpeg(noise(64, 48, 1), 0.8f), 20_000, 20_000);

        // When it is decoded, then it is refused in a sentence naming the size
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ImageCodecs.decode(bomb));
        assertEquals(
                "its header declares 20000x20000 pixels, more than the 67108864 (8192x8192)"
                        + " decoded here; scale it down first",
                e.getMessage());
    }

    @Test
    void shouldRefuseAJpegOfMoreScansThanItsSizeIsWorthBeforeDecodingIt() {
        // Given a progressive JPEG with 600 scans, most of them a few bytes each
        byte[] hostile =
                TestImages.withRepeatedScan(TestImages.progressiveJpeg(noise(64, 48, 3)), 590);

        // When it is decoded, then it is refused in a sentence saying how many and the limit
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ImageCodecs.decode(hostile));
        assertEquals(
                "it has 600 scans, more than the 500 decoded at 64x48 (each scan is a pass over the"
                        + " whole image); re-encode it as a baseline JPEG",
                e.getMessage());
    }

    @Test
    void shouldRefuseAClassMapWhoseHeaderClaimsMorePixelsThanItDecodes() {
        // Given a 60-byte PNG claiming 100000x100000 pixels
        byte[] bomb = TestImages.pngClaiming(100_000, 100_000);

        // When read as a class map, then it is refused from its header
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ImageCodecs.classMap(bomb));
        assertEquals(
                "its header declares 100000x100000 pixels, more than the 67108864 (8192x8192)"
                        + " decoded here; scale it down first",
                e.getMessage());
    }

    @Test
    void shouldHandOnTheWarningOfATruncatedJpeg() {
        byte[] whole = ImageCodecs.jpeg(noise(96, 64, 2), 0.9f);
        byte[] cut = Arrays.copyOf(whole, whole.length / 2);
        List<String> warnings = new ArrayList<>();

        BufferedImage decoded = ImageCodecs.decode(cut, warnings::add);

        assertEquals(96, decoded.getWidth());
        assertEquals(
                List.of(
                        "Truncated File - Missing EOI marker",
                        "Corrupt JPEG data: premature end of data segment"),
                warnings);
    }

    /** A JPEG with the size in its SOF0 frame header replaced. */
    static byte[] withJpegSize(byte[] jpeg, int width, int height) {
        byte[] out = jpeg.clone();
        for (int i = 2; i + 8 < out.length; i++) {
            if ((out[i] & 0xFF) == 0xFF && (out[i + 1] & 0xFF) == 0xC0) {
                out[i + 5] = (byte) (height >> 8);
                out[i + 6] = (byte) height;
                out[i + 7] = (byte) (width >> 8);
                out[i + 8] = (byte) width;
                return out;
            }
        }
        throw new AssertionError("no SOF0 marker");
    }

    @Test
    void shouldEncodeImagesWithAlphaAsJpeg() {
        BufferedImage argb = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);

        BufferedImage decoded = ImageCodecs.decode(ImageCodecs.jpeg(argb, 0.8f));

        assertEquals(8, decoded.getWidth());
    }

    @Test
    void shouldFitWithinABoxKeepingTheAspectRatio() {
        // 16:9 in a 4:3 box: the width limits; 3:4 portrait: the height limits
        assertArrayEquals(new int[] {384, 216}, ImageCodecs.fitWithin(1280, 720, 384, 288));
        assertArrayEquals(new int[] {384, 216}, ImageCodecs.fitWithin(720, 405, 384, 288));
        assertArrayEquals(new int[] {216, 288}, ImageCodecs.fitWithin(600, 800, 384, 288));
        // never scaled up
        assertArrayEquals(new int[] {320, 240}, ImageCodecs.fitWithin(320, 240, 384, 288));
    }

    @Test
    void shouldDecodeRgb24FramesAsRgb() {
        byte[] rgb = {(byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255, 10, 20, 30};
        Frame frame = Frames.frame("c", 0, Instant.EPOCH, 2, 2, ImageEncoding.RGB24, rgb);

        BufferedImage image = ImageCodecs.frameImage(frame);

        int[] pixels = image.getRGB(0, 0, 2, 2, null, 0, 2);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] &= 0xFFFFFF;
        }
        assertArrayEquals(new int[] {0xFF0000, 0x00FF00, 0x0000FF, 0x0A141E}, pixels);
    }

    @Test
    void shouldScaleClassMapsByNearestNeighbour() {
        ClassMap map = new ClassMap(2, 1, new byte[] {3, 7}, new int[0]);

        ClassMap scaled = ImageCodecs.resizeNearest(map, 4, 2);

        assertEquals(new ClassMap(4, 2, new byte[] {3, 3, 7, 7, 3, 3, 7, 7}, new int[0]), scaled);
    }

    static byte[] randomLabels(int width, int height, int classes, long seed) {
        Random random = new Random(seed);
        byte[] labels = new byte[width * height];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) random.nextInt(classes);
        }
        return labels;
    }

    static BufferedImage noise(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    @Test
    void shouldResizeAnyImageTypeBilinearlyIntoBgrOfExactlyTheAskedSize() {
        // Given a smooth gradient in several image types (a gradient: bilinear sampling keeps it)
        for (int type :
                new int[] {
                    BufferedImage.TYPE_3BYTE_BGR,
                    BufferedImage.TYPE_INT_ARGB,
                    BufferedImage.TYPE_INT_RGB,
                    BufferedImage.TYPE_BYTE_INDEXED
                }) {
            BufferedImage source = new BufferedImage(97, 61, type);
            for (int y = 0; y < 61; y++) {
                for (int x = 0; x < 97; x++) {
                    int v = x * 255 / 96;
                    source.setRGB(x, y, 0xff000000 | v << 16 | v << 8 | v);
                }
            }

            // When resized to an odd size
            BufferedImage out = ImageCodecs.resize(source, 50, 33);

            // Then it is BGR of that size, and each pixel is the source's where its centre falls
            assertEquals(
                    java.util.List.of(BufferedImage.TYPE_3BYTE_BGR, 50, 33),
                    java.util.List.of(out.getType(), out.getWidth(), out.getHeight()),
                    "type " + type);
            for (int x = 0; x < 50; x++) {
                // the source's own value where the output pixel's centre falls
                int sourceX = (int) Math.round((x + 0.5) * 97 / 50 - 0.5);
                int expected = source.getRGB(sourceX, 30) & 0xff;
                int got = out.getRGB(x, 16) & 0xff;
                int tolerance = 8;
                assertTrue(
                        Math.abs(got - expected) <= tolerance,
                        "type " + type + " x " + x + ": " + got + " vs " + expected);
            }
        }
    }

    @Test
    void shouldRefuseInOneSentenceABmpWhoseReaderFailsWithARuntimeException() throws Exception {
        // Given a 32x24 BMP whose pixel-data offset (bytes 10-13) is corrupt: 0xdb000036, a
        // negative int, which makes the JDK's BMP reader throw NegativeArraySizeException
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(
                new BufferedImage(32, 24, BufferedImage.TYPE_3BYTE_BGR), "bmp", out);
        byte[] bmp = out.toByteArray();
        bmp[13] = (byte) 0xdb;

        // When it is decoded
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ImageCodecs.decode(bmp));

        // Then the refusal is the sentence every undecodable image gets (a dataset loader adds
        // the file's name to it), not the reader's bare exception
        assertEquals(
                "could not decode an image of "
                        + bmp.length
                        + " bytes: the decoder failed with NegativeArraySizeException -620756992",
                e.getMessage());
    }
}
