package io.canvasflow.testsupport;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Encoded images for tests: real ones through ImageIO, and the hostile ones a decoder must refuse.
 */
public final class TestImages {

    private static final byte[] PNG_SIGNATURE = {
        (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
    };

    private TestImages() {}

    /**
     * Encodes an image.
     *
     * @param image the image
     * @param format an ImageIO format name: {@code png}, {@code jpg}, {@code bmp}
     * @return the encoded bytes
     */
    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A valid PNG signature and IHDR chunk (with a correct CRC) claiming {@code width x height} RGB
     * pixels, then a tiny IDAT and IEND: a decompression bomb's header.
     *
     * @param width the width claimed
     * @param height the height claimed
     * @return the PNG bytes
     */
    public static byte[] pngClaiming(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13);
        ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put(new byte[3]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PNG_SIGNATURE);
        pngChunk(out, "IHDR", ihdr.array());
        pngChunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        pngChunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /**
     * A real JPEG's header, up to its start-of-scan segment, then random entropy data (never 0xff,
     * so no stray markers): a file that announces a valid image and does not decode to one.
     *
     * @param jpeg a real JPEG
     * @return the corrupted copy
     */
    public static byte[] jpegHeaderWithGarbageBody(byte[] jpeg) {
        int sos = 0;
        while ((jpeg[sos] & 0xff) != 0xff || (jpeg[sos + 1] & 0xff) != 0xda) {
            sos++;
        }
        int headerEnd = sos + 2 + (((jpeg[sos + 2] & 0xff) << 8) | (jpeg[sos + 3] & 0xff));
        byte[] out = jpeg.clone();
        Random random = new Random(42);
        for (int i = headerEnd; i < out.length - 2; i++) {
            out[i] = (byte) random.nextInt(0xff);
        }
        return out;
    }

    /**
     * Encodes an image as a progressive JPEG with ImageIO's default script (libjpeg's: 10 scans for
     * colour, 6 for grey).
     *
     * @param image the image, without alpha
     * @return the JPEG bytes
     */
    public static byte[] progressiveJpeg(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /**
     * A JPEG with its smallest scan repeated before its end-of-image marker: each copy is a few
     * bytes, and the JDK's reader makes a pass over the whole image for each (a decoder warns of an
     * inconsistent progression only once it has done them all).
     *
     * @param jpeg a JPEG, such as {@link #progressiveJpeg}'s
     * @param copies how many copies to add
     * @return the longer JPEG
     */
    public static byte[] withRepeatedScan(byte[] jpeg, int copies) {
        int smallestStart = -1;
        int smallestEnd = -1;
        int i = 2;
        while ((jpeg[i + 1] & 0xff) != 0xd9) {
            int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            int end = i + 2 + length;
            if ((jpeg[i + 1] & 0xff) == 0xda) {
                // Entropy-coded data runs to the next marker: 0xff not followed by 0 or RSTn.
                while ((jpeg[end] & 0xff) != 0xff
                        || jpeg[end + 1] == 0
                        || ((jpeg[end + 1] & 0xff) >= 0xd0 && (jpeg[end + 1] & 0xff) <= 0xd7)) {
                    end++;
                }
                if (smallestStart < 0 || end - i < smallestEnd - smallestStart) {
                    smallestStart = i;
                    smallestEnd = end;
                }
            }
            i = end;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, i);
        for (int c = 0; c < copies; c++) {
            out.write(jpeg, smallestStart, smallestEnd - smallestStart);
        }
        out.write(jpeg, i, jpeg.length - i);
        return out.toByteArray();
    }

    private static void pngChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
