package io.canvasflow.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;

class JpegScansTest {

    private static byte[] jpeg(int type, boolean progressive) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(
                    progressive ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(new BufferedImage(40, 30, type), null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void shouldCountTheScansOfWhatEncodersWrite() throws IOException {
        // Given a baseline JPEG and libjpeg's progressive colour and grey scripts
        // When counted, Then 1, 10 and 6 scans
        assertEquals(
                List.of(1, 10, 6),
                List.of(
                        JpegScans.count(jpeg(BufferedImage.TYPE_3BYTE_BGR, false)),
                        JpegScans.count(jpeg(BufferedImage.TYPE_3BYTE_BGR, true)),
                        JpegScans.count(jpeg(BufferedImage.TYPE_BYTE_GRAY, true))));
    }

    @Test
    void shouldCountOnlyMarkersNotEntropyCodedBytesOrSegmentContents() {
        // Given an APP1 segment holding FF DA, then two scans whose data holds a stuffed FF 00,
        // RST markers and fill bytes, garbage before a marker, and a second image after the EOI
        byte[] jpeg =
                bytes(
                        0xFF, 0xD8, //
                        0xFF, 0xE1, 0x00, 0x06, 0xFF, 0xDA, 0xFF, 0xDA, // APP1, not a scan
                        0xFF, 0xDA, 0x00, 0x03, 0x01, // scan 1, its header
                        0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xD1, // data, RST0, RST1
                        0xFF, 0xFF, 0xDA, 0x00, 0x02, // fill byte, scan 2
                        0x78, 0xFF, 0x00, // data
                        0x11, 0x22, 0xFF, 0xD9, // garbage, EOI
                        0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xD9); // an appended image

        // When counted, Then the three start-of-scan markers and nothing else
        assertEquals(3, JpegScans.count(jpeg));
        // And bytes that are not a JPEG have none
        assertEquals(0, JpegScans.count(bytes(0x89, 'P', 'N', 'G', 0xFF, 0xDA, 0x00, 0x02)));
    }

    @Test
    void shouldAllowScansByTheWorkTheyCost() {
        // Given images from a thumbnail to serve's largest frame
        // When asked how many scans each may have, Then at most 500, at least 64, else 2^28 /
        // pixels
        assertEquals(
                List.of(500, 500, 129, 64, 64),
                List.of(
                        JpegScans.allowed(64 * 48),
                        JpegScans.allowed(640 * 480),
                        JpegScans.allowed(1920 * 1080),
                        JpegScans.allowed(4096 * 4096),
                        JpegScans.allowed(8192 * 8192)));
        // And a JPEG within its limit is not refused
        byte[] twoScans = bytes(0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xDA, 0x00, 0x02);
        assertEquals(Optional.empty(), JpegScans.excess(twoScans, 640, 480));
    }
}
