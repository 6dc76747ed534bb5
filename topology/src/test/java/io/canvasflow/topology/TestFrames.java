package io.canvasflow.topology;

import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.testsupport.Frames;
import io.canvasflow.testsupport.TestImages;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.header.Headers;

/** Real encoded images of a drawn street scene, and frames carrying them. */
final class TestFrames {

    static byte[] encode(BufferedImage image, String format) {
        return TestImages.encode(image, format);
    }

    static byte[] pngClaiming(int width, int height) {
        return TestImages.pngClaiming(width, height);
    }

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    /** Milliseconds between frames of a camera: 25 frames per second. */
    static final long FRAME_MS = Frames.FRAME_MS_25_FPS;

    private TestFrames() {}

    /** A street: sky, buildings, road and a pedestrian who walks right by two pixels per frame. */
    static BufferedImage street(int width, int height, long sequence) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setPaint(
                    new GradientPaint(
                            0, 0, new Color(0x5b8fd9), 0, height / 2f, new Color(0xbcd6f5)));
            g.fillRect(0, 0, width, height / 2);
            g.setColor(new Color(0x8a7f72));
            g.fillRect(width / 8, height / 5, width / 5, height * 3 / 10);
            g.fillRect(width * 5 / 8, height / 4, width / 4, height / 4);
            g.setColor(new Color(0x4a4a4a));
            g.fillRect(0, height / 2, width, height / 2);
            g.setColor(Color.WHITE);
            g.fillRect(0, height * 3 / 4, width, Math.max(1, height / 48));
            int x = (int) ((2 * sequence) % width);
            g.setColor(new Color(0xc0392b));
            g.fillRect(x, height * 2 / 5, Math.max(2, width / 12), height / 3);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** A scene with nothing in common with the street: saturated diagonal stripes. */
    static BufferedImage stripes(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, ((x + y) / 4) % 2 == 0 ? 0x00ff00 : 0xff00ff);
            }
        }
        return image;
    }

    static byte[] rgb24(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 3];
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i += 3) {
                int rgb = image.getRGB(x, y);
                out[i] = (byte) (rgb >> 16);
                out[i + 1] = (byte) (rgb >> 8);
                out[i + 2] = (byte) rgb;
            }
        }
        return out;
    }

    /** A JPEG frame of the street at capture time {@code T0 + sequence * FRAME_MS}. */
    static Frame jpeg(String camera, long sequence, int width, int height) {
        byte[] jpeg = encode(street(width, height, sequence), "jpg");
        return Frames.at25Fps(camera, sequence, T0, width, height, ImageEncoding.JPEG, jpeg);
    }

    /**
     * A real JPEG's header (up to and including the start-of-scan segment) and random entropy data.
     */
    static byte[] jpegHeaderWithGarbageBody(int width, int height) {
        return TestImages.jpegHeaderWithGarbageBody(encode(street(width, height, 0), "jpg"));
    }

    /**
     * A record's headers as "key=value" lines in order, each value written by {@code value}, or
     * "key=null".
     */
    static List<String> headers(Headers headers, Function<byte[], String> value) {
        List<String> out = new ArrayList<>();
        headers.forEach(
                h ->
                        out.add(
                                h.key()
                                        + "="
                                        + (h.value() == null ? "null" : value.apply(h.value()))));
        return out;
    }
}
