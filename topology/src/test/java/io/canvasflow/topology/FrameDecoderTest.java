package io.canvasflow.topology;

import static io.canvasflow.testsupport.Frames.frame;
import static io.canvasflow.topology.TestFrames.T0;
import static io.canvasflow.topology.TestFrames.encode;
import static io.canvasflow.topology.TestFrames.street;
import static java.awt.image.BufferedImage.TYPE_3BYTE_BGR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.canvasflow.schemas.avro.DeadLetterReason;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.testsupport.TestImages;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    private final FrameDecoder decoder = new FrameDecoder(64 * 1024, 4096L * 4096L, 256);

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    /** The reason a frame of camera "cam", sequence 1, is refused. */
    private DeadLetterReason rejection(
            int width, int height, ImageEncoding encoding, byte[] image) {
        return rejection("cam", frame("cam", 1, T0, width, height, encoding, image));
    }

    private DeadLetterReason rejection(String key, Frame frame) {
        InvalidFrameException e =
                assertThrows(InvalidFrameException.class, () -> decoder.decode(key, frame));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        return e.reason();
    }

    @Test
    void shouldDecodePngAndRgb24ToTheExactPixels() {
        // Given a drawn scene, losslessly encoded twice
        BufferedImage scene = street(64, 48, 3);
        Frame png = frame("cam", 1, T0, 64, 48, ImageEncoding.PNG, encode(scene, "png"));
        Frame rgb = frame("cam", 1, T0, 64, 48, ImageEncoding.RGB24, TestFrames.rgb24(scene));

        // When / Then both decode to the very pixels drawn
        assertArrayEquals(pixels(scene), pixels(decoder.decode("cam", png)));
        assertArrayEquals(pixels(scene), pixels(decoder.decode("cam", rgb)));
    }

    @Test
    void shouldDecodeJpegAtItsDeclaredSize() {
        Frame jpeg = TestFrames.jpeg("cam", 1, 64, 48);

        BufferedImage image = decoder.decode("cam", jpeg);

        assertEquals(
                java.util.List.of(64, 48), java.util.List.of(image.getWidth(), image.getHeight()));
    }

    @Test
    void shouldValidateFromTheHeaderWithoutDecodingThePixels() {
        // Given a PNG cut off after its header, and a JPEG that declares the wrong size
        byte[] png = encode(street(64, 48, 1), "png");
        Frame truncated = frame("cam", 1, T0, 64, 48, ImageEncoding.PNG, Arrays.copyOf(png, 40));
        Frame misdeclared = TestFrames.jpeg("cam", 1, 64, 48);
        misdeclared.setWidth(32);

        // When validated, Then the header alone accepts the first (only decoding finds the cut)
        decoder.validate("cam", truncated);
        assertEquals(
                DeadLetterReason.UNDECODABLE_IMAGE,
                assertThrows(InvalidFrameException.class, () -> decoder.decode("cam", truncated))
                        .reason());
        // And refuses the second as a mismatch
        assertEquals(
                DeadLetterReason.DIMENSION_MISMATCH,
                assertThrows(
                                InvalidFrameException.class,
                                () -> decoder.validate("cam", misdeclared))
                        .reason());
    }

    @Test
    void shouldRefuseADecompressionBombFromItsHeaderAlone() {
        // Given a 60-byte PNG whose IHDR (valid CRC) claims 100000 x 100000 pixels
        byte[] bomb = TestFrames.pngClaiming(100_000, 100_000);
        Frame frame = frame("cam", 1, T0, 64, 48, ImageEncoding.PNG, bomb);

        // When decoding, Then it is refused as too large (a decode would need 30 GB)
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        rejection("cam", frame); // once to load the classes involved
        long before = threads.getThreadAllocatedBytes(id);
        assertEquals(DeadLetterReason.IMAGE_TOO_LARGE, rejection("cam", frame));
        long allocated = threads.getThreadAllocatedBytes(id) - before;

        // And refusing it allocated next to nothing: no raster, no decompression buffer
        assertTrue(
                allocated < 4L * 1024 * 1024,
                "refusing the bomb allocated " + allocated + " bytes on the heap");
    }

    @Test
    void shouldGiveEveryKindOfBadFrameItsReason() {
        byte[] jpeg = encode(street(64, 48, 0), "jpg");
        byte[] png = encode(street(64, 48, 0), "png");
        assertEquals(
                DeadLetterReason.UNDECODABLE_IMAGE,
                rejection(
                        64, 48, ImageEncoding.JPEG, TestFrames.jpegHeaderWithGarbageBody(64, 48)));
        assertEquals(
                DeadLetterReason.UNDECODABLE_IMAGE, rejection(64, 48, ImageEncoding.JPEG, png));
        assertEquals(
                DeadLetterReason.UNDECODABLE_IMAGE,
                rejection(64, 48, ImageEncoding.PNG, Arrays.copyOf(png, png.length / 2)));
        assertEquals(
                DeadLetterReason.UNDECODABLE_IMAGE,
                rejection(64, 48, ImageEncoding.PNG, new byte[0]));
        assertEquals(DeadLetterReason.BAD_DIMENSIONS, rejection(0, 48, ImageEncoding.JPEG, jpeg));
        assertEquals(DeadLetterReason.BAD_DIMENSIONS, rejection(64, -48, ImageEncoding.JPEG, jpeg));
        assertEquals(
                DeadLetterReason.IMAGE_TOO_LARGE,
                rejection(100_000, 100_000, ImageEncoding.JPEG, jpeg));
        assertEquals(
                DeadLetterReason.DIMENSION_MISMATCH, rejection(80, 60, ImageEncoding.JPEG, jpeg));
        assertEquals(
                DeadLetterReason.DIMENSION_MISMATCH,
                rejection(64, 48, ImageEncoding.RGB24, new byte[64 * 48 * 3 - 1]));
        assertEquals(
                DeadLetterReason.IMAGE_TOO_LARGE,
                rejection(64, 48, ImageEncoding.JPEG, new byte[64 * 1024 + 1]));
        assertEquals(
                DeadLetterReason.MISSING_CAMERA_ID,
                rejection("", frame("", 1, T0, 64, 48, ImageEncoding.JPEG, jpeg)));
        assertEquals(
                DeadLetterReason.MISSING_CAMERA_ID,
                rejection(null, frame("cam", 1, T0, 64, 48, ImageEncoding.JPEG, jpeg)));
        String longId = "c".repeat(10 * 1024);
        assertEquals(
                DeadLetterReason.CAMERA_ID_TOO_LONG,
                rejection(longId, frame(longId, 1, T0, 64, 48, ImageEncoding.JPEG, jpeg)));
        assertEquals(
                DeadLetterReason.OTHER,
                rejection("other-cam", frame("cam", 1, T0, 64, 48, ImageEncoding.JPEG, jpeg)));
    }

    @Test
    void shouldDecodeAProgressiveJpegOfTheUsualScans() {
        // Given a progressive JPEG as libjpeg writes one: 10 scans
        BufferedImage scene = street(256, 192, 2);
        byte[] progressive = TestImages.progressiveJpeg(scene);
        Frame frame = frame("cam", 1, T0, 256, 192, ImageEncoding.JPEG, progressive);

        // When decoded, Then it is the scene's size
        BufferedImage image = decoder.decode("cam", frame);
        assertEquals(List.of(256, 192), List.of(image.getWidth(), image.getHeight()));
    }

    @Test
    void shouldDeadLetterAJpegOfManyScansBeforeDecodingIt() {
        // Given a 20 kB progressive JPEG whose 1,990 extra scans of a few bytes each would cost a
        // pass over the image each (about a second here; a 4096x4096 one, minutes)
        byte[] hostile =
                TestImages.withRepeatedScan(
                        TestImages.progressiveJpeg(new BufferedImage(256, 192, TYPE_3BYTE_BGR)),
                        1990);
        Frame frame = frame("cam", 1, T0, 256, 192, ImageEncoding.JPEG, hostile);

        // When it is decoded (once before, to load the classes involved)
        assertThrows(InvalidFrameException.class, () -> decoder.decode("cam", frame));
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadCpuTime();
        InvalidFrameException e =
                assertThrows(InvalidFrameException.class, () -> decoder.decode("cam", frame));
        long cpuMs = (threads.getCurrentThreadCpuTime() - before) / 1_000_000;

        // Then it is refused as too large, saying how many scans and the limit
        assertEquals(
                List.of(
                        DeadLetterReason.IMAGE_TOO_LARGE,
                        "the JPEG image has 2000 scans, more than the 500 decoded at 256x192 (each"
                                + " scan is a pass over the whole image)"),
                List.of(e.reason(), e.getMessage()));
        // And without decoding them: a walk over its bytes
        assertTrue(cpuMs < 100, "refusing it took " + cpuMs + " ms of CPU");
    }

    @Test
    void shouldBoundTheScansByTheWorkTheyCostAtTheFramesSize() {
        // Given the same 130 scans in a 64x48 and in a 1920x1080 progressive JPEG
        Frame small = progressiveWithScans(64, 48, 130);
        Frame large = progressiveWithScans(1920, 1080, 130);
        FrameDecoder roomy = new FrameDecoder(1024 * 1024, 4096L * 4096L, 256);

        // When checked on arrival, Then the small one passes (130 passes of 3072 pixels)
        roomy.validate("cam", small);
        // And the large one is refused: 130 passes of 2 megapixels are over the budget
        assertEquals(
                "the JPEG image has 130 scans, more than the 129 decoded at 1920x1080 (each scan is"
                        + " a pass over the whole image)",
                assertThrows(InvalidFrameException.class, () -> roomy.validate("cam", large))
                        .getMessage());
    }

    private static Frame progressiveWithScans(int width, int height, int scans) {
        byte[] base = TestImages.progressiveJpeg(new BufferedImage(width, height, TYPE_3BYTE_BGR));
        return frame(
                "cam",
                1,
                T0,
                width,
                height,
                ImageEncoding.JPEG,
                TestImages.withRepeatedScan(base, scans - 10));
    }
}
