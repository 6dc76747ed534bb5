package io.canvasflow.topology;

import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Real encoded images of a drawn street scene, and frames carrying them. */
final class TestFrames {

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    /** Milliseconds between frames of a camera: 25 frames per second. */
    static final long FRAME_MS = 40;

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

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
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
        return frame(
                camera,
                sequence,
                T0.plusMillis(sequence * FRAME_MS),
                width,
                height,
                ImageEncoding.JPEG,
                encode(street(width, height, sequence), "jpg"));
    }

    static Frame frame(
            String camera,
            long sequence,
            Instant capture,
            int width,
            int height,
            ImageEncoding encoding,
            byte[] image) {
        return Frame.newBuilder()
                .setCameraId(camera)
                .setSequence(sequence)
                .setCaptureTimestamp(capture)
                .setWidth(width)
                .setHeight(height)
                .setEncoding(encoding)
                .setImage(ByteBuffer.wrap(image))
                .setMetadata(Map.of())
                .build();
    }

    /**
     * A valid PNG signature and IHDR chunk (with a correct CRC) claiming {@code width x height} RGB
     * pixels, followed by a tiny IDAT and IEND: a decompression bomb's header.
     */
    static byte[] pngClaiming(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13);
        ihdr.putInt(width)
                .putInt(height)
                .put((byte) 8)
                .put((byte) 2)
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * A real JPEG's header (up to and including the start-of-scan segment) and random entropy data.
     */
    static byte[] jpegHeaderWithGarbageBody(int width, int height) {
        byte[] jpeg = encode(street(width, height, 0), "jpg");
        int sos = -1;
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xda) {
                sos = i;
                break;
            }
        }
        int headerEnd = sos + 2 + (((jpeg[sos + 2] & 0xff) << 8) | (jpeg[sos + 3] & 0xff));
        byte[] garbage = new byte[jpeg.length - headerEnd];
        new java.util.Random(42).nextBytes(garbage);
        for (int i = 0; i < garbage.length; i++) {
            if ((garbage[i] & 0xff) == 0xff) {
                garbage[i] = 0x00; // no stray markers: corrupt entropy data only
            }
        }
        byte[] out = new byte[jpeg.length];
        System.arraycopy(jpeg, 0, out, 0, headerEnd);
        System.arraycopy(garbage, 0, out, headerEnd, garbage.length);
        return out;
    }
}
