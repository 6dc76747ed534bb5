package io.canvasflow.topology;

import io.canvasflow.schemas.AvroBytes;
import io.canvasflow.schemas.JpegScans;
import io.canvasflow.schemas.avro.DeadLetterReason;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Validates a {@link Frame} and decodes its image, refusing anything that could hurt the process: a
 * JPEG or PNG header is read first and an image larger than {@code frame.max.pixels} is refused
 * before a single pixel is allocated (a decompression bomb: a small PNG can claim 100000 x 100000
 * pixels), and a JPEG with more scans than {@link JpegScans#allowed} at its size is refused before
 * it is decoded (each scan is a pass over the whole image: 100 kB of tiny scans would keep the
 * stream thread busy for minutes). Every refusal is an {@link InvalidFrameException} with its
 * {@link DeadLetterReason}. Thread-safe.
 *
 * @param maxBytes largest accepted encoded image, in bytes
 * @param maxPixels largest accepted width times height
 * @param cameraIdMaxLength longest accepted camera id, in characters
 */
public record FrameDecoder(int maxBytes, long maxPixels, int cameraIdMaxLength) {

    /** A decoder with the limits of a configuration. */
    public static FrameDecoder of(CanvasFlowConfig config) {
        return new FrameDecoder(
                config.frameMaxBytes(), config.frameMaxPixels(), config.cameraIdMaxLength());
    }

    /**
     * Checks a frame and its record key from its fields and its image header only: no pixel buffer
     * is allocated, so this is cheap enough to run on every arriving frame.
     *
     * @param key the record key, which must be the frame's camera id
     * @param frame the frame
     * @throws InvalidFrameException with the reason and a sentence saying what was wrong
     */
    public void validate(String key, Frame frame) {
        read(key, frame, false);
    }

    /**
     * Checks a frame and its record key, then decodes the image.
     *
     * @param key the record key, which must be the frame's camera id
     * @param frame the frame
     * @return the decoded image, exactly {@code frame.width x frame.height}
     * @throws InvalidFrameException with the reason and a sentence saying what was wrong
     */
    public BufferedImage decode(String key, Frame frame) {
        return read(key, frame, true);
    }

    /** Checks the frame and its header; decodes the pixels only when asked to. */
    private BufferedImage read(String key, Frame frame, boolean pixels) {
        checkCameraId(key, frame.getCameraId());
        byte[] bytes = AvroBytes.toArray(frame.getImage());
        if (bytes.length == 0) {
            throw new InvalidFrameException(
                    DeadLetterReason.UNDECODABLE_IMAGE, "the frame has no image bytes");
        }
        if (bytes.length > maxBytes) {
            throw new InvalidFrameException(
                    DeadLetterReason.IMAGE_TOO_LARGE,
                    "the image is "
                            + bytes.length
                            + " bytes but at most "
                            + maxBytes
                            + " are accepted");
        }
        int width = frame.getWidth();
        int height = frame.getHeight();
        if (width <= 0 || height <= 0) {
            throw new InvalidFrameException(
                    DeadLetterReason.BAD_DIMENSIONS,
                    "the frame declares "
                            + width
                            + "x"
                            + height
                            + " pixels; both must be positive");
        }
        checkArea(width, height, "the frame declares");
        return frame.getEncoding() == ImageEncoding.RGB24
                ? rgb24(bytes, width, height, pixels)
                : encoded(bytes, frame.getEncoding(), width, height, pixels);
    }

    private void checkCameraId(String key, String cameraId) {
        if (cameraId == null || cameraId.isBlank()) {
            throw new InvalidFrameException(
                    DeadLetterReason.MISSING_CAMERA_ID, "the frame has an empty camera id");
        }
        if (cameraId.length() > cameraIdMaxLength) {
            throw new InvalidFrameException(
                    DeadLetterReason.CAMERA_ID_TOO_LONG,
                    "the camera id is "
                            + cameraId.length()
                            + " characters but at most "
                            + cameraIdMaxLength
                            + " are accepted");
        }
        if (key == null || key.isEmpty()) {
            throw new InvalidFrameException(
                    DeadLetterReason.MISSING_CAMERA_ID,
                    "the record has no key; frames must be keyed by their camera id '"
                            + cameraId
                            + "'");
        }
        // The key partitions the stream and the canvas store; a different key would split a
        // camera's canvas across partitions.
        if (!key.equals(cameraId)) {
            throw new InvalidFrameException(
                    DeadLetterReason.OTHER,
                    "the record key differs from the frame's camera id '" + cameraId + "'");
        }
    }

    private void checkArea(long width, long height, String what) {
        if (width * height > maxPixels) {
            throw new InvalidFrameException(
                    DeadLetterReason.IMAGE_TOO_LARGE,
                    what
                            + " "
                            + width
                            + "x"
                            + height
                            + " pixels but at most "
                            + maxPixels
                            + " are accepted");
        }
    }

    private static BufferedImage rgb24(byte[] bytes, int width, int height, boolean pixels) {
        long expected = 3L * width * height;
        if (bytes.length != expected) {
            throw new InvalidFrameException(
                    DeadLetterReason.DIMENSION_MISMATCH,
                    "an RGB24 image of "
                            + width
                            + "x"
                            + height
                            + " is "
                            + expected
                            + " bytes but the frame has "
                            + bytes.length);
        }
        if (!pixels) {
            return null;
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[width * height];
        for (int p = 0, i = 0; p < rgb.length; p++, i += 3) {
            rgb[p] = (bytes[i] & 0xff) << 16 | (bytes[i + 1] & 0xff) << 8 | (bytes[i + 2] & 0xff);
        }
        image.setRGB(0, 0, width, height, rgb, 0, width);
        return image;
    }

    private BufferedImage encoded(
            byte[] bytes, ImageEncoding encoding, int width, int height, boolean pixels) {
        String format = encoding.name().toLowerCase(Locale.ROOT);
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new IllegalStateException("this JVM has no ImageIO reader for " + format);
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            if (!reader.getOriginatingProvider().canDecodeInput(in)) {
                throw undecodable(
                        encoding, "the bytes do not start with a " + encoding + " signature", null);
            }
            reader.setInput(in, true, true);
            // Header only: no pixel buffer exists yet.
            int headerWidth = reader.getWidth(0);
            int headerHeight = reader.getHeight(0);
            checkArea(headerWidth, headerHeight, "the " + encoding + " header declares");
            if (headerWidth != width || headerHeight != height) {
                throw new InvalidFrameException(
                        DeadLetterReason.DIMENSION_MISMATCH,
                        "the frame declares "
                                + width
                                + "x"
                                + height
                                + " but its "
                                + encoding
                                + " image is "
                                + headerWidth
                                + "x"
                                + headerHeight);
            }
            // Counted here too, not only before decoding: it costs a walk over the bytes.
            Optional<String> scans =
                    encoding == ImageEncoding.JPEG
                            ? JpegScans.excess(bytes, headerWidth, headerHeight)
                            : Optional.empty();
            if (scans.isPresent()) {
                throw new InvalidFrameException(
                        DeadLetterReason.IMAGE_TOO_LARGE, "the JPEG image has " + scans.get());
            }
            if (!pixels) {
                return null;
            }
            Warnings warnings = new Warnings();
            reader.addIIOReadWarningListener(warnings);
            BufferedImage image = reader.read(0);
            // Decoders report truncated or corrupt entropy data as a warning and return grey.
            if (warnings.first != null) {
                throw undecodable(encoding, warnings.first, null);
            }
            return image;
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidFrameException invalid) {
                throw invalid;
            }
            throw undecodable(encoding, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }

    private static InvalidFrameException undecodable(
            ImageEncoding encoding, String detail, Throwable cause) {
        return new InvalidFrameException(
                DeadLetterReason.UNDECODABLE_IMAGE,
                "the " + encoding + " image cannot be decoded: " + detail,
                cause);
    }

    private static final class Warnings implements IIOReadWarningListener {
        private String first;

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            if (first == null) {
                first = warning;
            }
        }
    }
}
