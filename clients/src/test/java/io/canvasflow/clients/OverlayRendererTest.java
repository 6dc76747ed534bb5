package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.schemas.avro.MaskEvent;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverlayRendererTest {

    private static final int GREY = 0x646464;
    private static final int RED = 0xFF0000;
    private static final int BLUE = 0x0000FF;

    @Test
    void shouldBlendEachMaskedPixelHalfWayToItsClassColourAtFrameSize() {
        // Given a grey 64x48 frame and a half-size map: class 0 (red) on the left half, class 1
        // (blue) on the right half, and a bottom row of index 9, which has no colour
        BufferedImage frame = solid(64, 48, GREY);
        byte[] indices = new byte[32 * 24];
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 32; x++) {
                indices[y * 32 + x] = (byte) (y == 23 ? 9 : x < 16 ? 0 : 1);
            }
        }
        ClassMap mask = new ClassMap(32, 24, indices, new int[] {RED, BLUE});

        // When
        BufferedImage overlay = new OverlayRenderer().render(frame, mask, List.of("road", "sky"));

        // Then: frame-sized, (100 + 255) / 2 rounds to 178, unmasked pixels untouched
        assertEquals(64, overlay.getWidth());
        assertEquals(48, overlay.getHeight());
        assertEquals(0xB23232, rgb(overlay, 10, 40), "left: grey blended with red");
        assertEquals(0x3232B2, rgb(overlay, 60, 40), "right: grey blended with blue");
        assertEquals(GREY, rgb(overlay, 60, 47), "index without a colour stays the frame");
    }

    @Test
    void shouldDrawALegendInTheTopLeftCorner() {
        BufferedImage frame = solid(320, 240, GREY);
        ClassMap mask = new ClassMap(320, 240, new byte[320 * 240], new int[] {RED});

        BufferedImage with = new OverlayRenderer(0.5, true).render(frame, mask, List.of("road"));
        BufferedImage without =
                new OverlayRenderer(0.5, false).render(frame, mask, List.of("road"));

        assertEquals(0xB23232, rgb(without, 4, 4));
        assertNotEquals(rgb(without, 4, 4), rgb(with, 4, 4), "the legend box darkens the corner");
        assertEquals(rgb(without, 300, 200), rgb(with, 300, 200), "and leaves the rest alone");
    }

    @Test
    void shouldRenderAMaskEventOverItsJpegFrame() {
        // Given a real frame record and mask event, as the topology writes them
        int[] palette = {RED, BLUE};
        byte[] indices = new byte[80 * 60];
        Frame frame =
                Frame.newBuilder()
                        .setCameraId("cam")
                        .setSequence(4)
                        .setCaptureTimestamp(Instant.EPOCH)
                        .setWidth(80)
                        .setHeight(60)
                        .setEncoding(ImageEncoding.JPEG)
                        .setImage(ByteBuffer.wrap(ImageCodecs.jpeg(solid(80, 60, GREY), 0.95f)))
                        .setMetadata(Map.of())
                        .build();
        MaskEvent mask =
                TestMasks.mask(
                        "cam", 4, 80, 60, ImageCodecs.indexedLabelPng(indices, 80, 60, palette));

        // When
        BufferedImage overlay = new OverlayRenderer(1.0, false).render(frame, mask);

        // Then: fully opaque, every pixel is class 0's colour
        assertEquals(80, overlay.getWidth());
        assertEquals(RED, rgb(overlay, 40, 30));
    }

    @Test
    void shouldDrawClassColoursAloneWithoutAFrame() {
        ClassMap mask = new ClassMap(2, 1, new byte[] {0, 1}, new int[] {RED, BLUE});

        BufferedImage overlay = new OverlayRenderer(0.5, false).render(null, mask, List.of());

        assertEquals(RED, rgb(overlay, 0, 0));
        assertEquals(BLUE, rgb(overlay, 1, 0));
    }

    @Test
    void shouldRefuseASkippedMask() {
        MaskEvent skipped = TestMasks.mask("cam", 1, 80, 60, new byte[0]);

        assertThrows(
                IllegalArgumentException.class, () -> new OverlayRenderer().render(null, skipped));
    }

    static BufferedImage solid(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(rgb));
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xFFFFFF;
    }
}
