package io.canvasflow.clients;

import io.canvasflow.schemas.AvroBytes;
import io.canvasflow.schemas.JpegScans;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Consumer;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Image encoding and decoding for frames and class maps: JPEG with a chosen quality, PNG, label
 * maps as 8-bit grayscale or indexed PNG, and the reverse for the masks side, which reads class
 * indices straight from the PNG raster (never through RGB, which would lose the index).
 */
public final class ImageCodecs {

    /** The JPEG quality used unless another is chosen: 0.85 on ImageIO's 0..1 scale. */
    public static final float DEFAULT_JPEG_QUALITY = 0.85f;

    /**
     * The largest image area decoded, width times height: {@link CliValues#MAX_SIDE} squared, 192
     * MiB as BGR. A header that declares more is refused before a pixel is allocated.
     */
    public static final long MAX_DECODE_PIXELS = (long) CliValues.MAX_SIDE * CliValues.MAX_SIDE;

    private static final String PNG_METADATA = "javax_imageio_png_1.0";

    private ImageCodecs() {}

    /**
     * Encodes an image as a baseline JPEG.
     *
     * @param image any image; one with alpha is flattened to RGB first
     * @param quality 0 (smallest) to 1 (best), as {@link ImageWriteParam#setCompressionQuality}
     * @return the JPEG bytes
     */
    public static byte[] jpeg(BufferedImage image, float quality) {
        checkQuality(quality);
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IllegalStateException("this JVM has no ImageIO JPEG writer");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes =
                new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 4);
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.setOutput(out);
            // ImageIO's JPEG writer refuses alpha and writes odd colour spaces for custom types.
            writer.write(null, new IIOImage(jpegCompatible(image), null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode a JPEG", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** Checks a JPEG quality on ImageIO's 0..1 scale. */
    static void checkQuality(float quality) {
        if (!(quality >= 0f && quality <= 1f)) {
            throw new IllegalArgumentException(
                    "expected a JPEG quality between 0 and 1 but found " + quality);
        }
    }

    /**
     * Encodes an image as PNG, keeping its colour model (an indexed image stays indexed).
     *
     * @param image the image
     * @return the PNG bytes
     */
    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 4 + 256);
        // Through a memory-cached stream: ImageIO.write(image, "png", out) buffers in a temp file.
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            if (!ImageIO.write(image, "png", stream)) {
                throw new IllegalStateException("this JVM has no ImageIO PNG writer for " + image);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode a PNG", e);
        }
        return out.toByteArray();
    }

    /**
     * Encodes per-pixel labels as an 8-bit grayscale PNG whose sample values are the labels.
     *
     * @param labels {@code width * height} unsigned labels, row-major
     * @param width the width
     * @param height the height
     * @return the PNG bytes
     */
    public static byte[] grayLabelPng(byte[] labels, int width, int height) {
        ClassMap.requireSize(labels, width, height);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, width, height, labels);
        return png(image);
    }

    /**
     * Encodes per-pixel labels as an 8-bit indexed PNG: the pixel values are the labels and the
     * palette gives each label its display colour, so a viewer shows colours and {@link
     * #classMap(byte[])} gets the labels back exactly. Labels beyond the palette (an ignore label
     * of 255, say) get black palette entries so that the PNG stays valid.
     *
     * @param labels {@code width * height} unsigned labels, row-major
     * @param width the width
     * @param height the height
     * @param paletteRgb display colour of each label as {@code 0xRRGGBB}
     * @return the PNG bytes
     */
    public static byte[] indexedLabelPng(byte[] labels, int width, int height, int[] paletteRgb) {
        ClassMap.requireSize(labels, width, height);
        int maxLabel = 0;
        for (byte label : labels) {
            maxLabel = Math.max(maxLabel, label & 0xFF);
        }
        int size = Math.max(Math.max(paletteRgb.length, maxLabel + 1), 1);
        if (size > 256) {
            throw new IllegalArgumentException(
                    "expected at most 256 palette colours but found " + paletteRgb.length);
        }
        byte[] r = new byte[size];
        byte[] g = new byte[size];
        byte[] b = new byte[size];
        for (int i = 0; i < paletteRgb.length; i++) {
            r[i] = (byte) (paletteRgb[i] >> 16);
            g[i] = (byte) (paletteRgb[i] >> 8);
            b[i] = (byte) paletteRgb[i];
        }
        IndexColorModel palette = new IndexColorModel(8, size, r, g, b);
        BufferedImage image =
                new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, palette);
        image.getRaster().setDataElements(0, 0, width, height, labels);
        return png(image);
    }

    /**
     * Decodes a class map PNG (a mask event's class map or a frame's ground truth): 8-bit indexed
     * or grayscale, or an indexed PNG of fewer bits per pixel. The indices are the raster's raw
     * samples, not colours.
     *
     * @param png the PNG bytes
     * @return the indices and the palette
     * @throws IllegalArgumentException when the bytes are empty, not an image, an image whose
     *     header declares more than {@link #MAX_DECODE_PIXELS} pixels, or an image whose pixels are
     *     not single-channel indices
     */
    public static ClassMap classMap(byte[] png) {
        if (png == null || png.length == 0) {
            throw new IllegalArgumentException(
                    "expected an indexed or grayscale PNG class map but found no bytes");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
        if (!readers.hasNext()) {
            throw new IllegalStateException("this JVM has no ImageIO PNG reader");
        }
        ImageReader reader = readers.next();
        BufferedImage image;
        int[] palette;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(png))) {
            if (!reader.getOriginatingProvider().canDecodeInput(in)) {
                throw new IllegalArgumentException(
                        "expected an indexed or grayscale PNG class map but the "
                                + png.length
                                + " bytes are not a PNG");
            }
            reader.setInput(in, true, false);
            checkHeader(reader, png);
            image = reader.read(0);
            palette = palette(reader.getImageMetadata(0));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "could not decode a PNG class map of " + png.length + " bytes: " + detail(e),
                    e);
        } finally {
            reader.dispose();
        }
        Raster raster = image.getRaster();
        int bits = raster.getSampleModel().getSampleSize(0);
        if (raster.getNumBands() != 1
                || bits > 8
                || !(image.getColorModel() instanceof IndexColorModel || palette.length == 0)) {
            throw new IllegalArgumentException(
                    "expected an 8-bit indexed or grayscale PNG class map but found "
                            + raster.getNumBands()
                            + " band(s) of "
                            + bits
                            + " bits");
        }
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] indices;
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY
                || image.getType() == BufferedImage.TYPE_BYTE_INDEXED) {
            indices = (byte[]) raster.getDataElements(0, 0, width, height, null);
        } else {
            int[] samples = raster.getSamples(0, 0, width, height, 0, (int[]) null);
            indices = new byte[samples.length];
            for (int i = 0; i < samples.length; i++) {
                indices[i] = (byte) samples[i];
            }
        }
        return new ClassMap(width, height, indices, palette);
    }

    /**
     * The PLTE chunk's colours. ImageIO's colour model pads a palette to 2^depth entries; the chunk
     * tells which entries the writer really defined.
     */
    private static int[] palette(IIOMetadata metadata) {
        Node root = metadata.getAsTree(PNG_METADATA);
        for (Node chunk = root.getFirstChild(); chunk != null; chunk = chunk.getNextSibling()) {
            if (!chunk.getNodeName().equals("PLTE")) {
                continue;
            }
            NodeList entries = chunk.getChildNodes();
            int[] palette = new int[entries.getLength()];
            for (int i = 0; i < entries.getLength(); i++) {
                NamedNodeMap entry = entries.item(i).getAttributes();
                int index = Integer.parseInt(entry.getNamedItem("index").getNodeValue());
                int rgb =
                        Integer.parseInt(entry.getNamedItem("red").getNodeValue()) << 16
                                | Integer.parseInt(entry.getNamedItem("green").getNodeValue()) << 8
                                | Integer.parseInt(entry.getNamedItem("blue").getNodeValue());
                if (index >= 0 && index < palette.length) {
                    palette[index] = rgb;
                }
            }
            return palette;
        }
        return new int[0];
    }

    /**
     * Decodes a JPEG or PNG image.
     *
     * @param bytes the encoded image
     * @return the image
     * @throws IllegalArgumentException when no ImageIO reader understands the bytes, the header
     *     declares more than {@link #MAX_DECODE_PIXELS} pixels, or a JPEG has more scans than
     *     {@link JpegScans#allowed} at its size
     */
    public static BufferedImage decode(byte[] bytes) {
        return decode(bytes, warning -> {});
    }

    /**
     * Decodes a JPEG or PNG image, handing on what the decoder warns of: a truncated or corrupt
     * JPEG decodes with its missing part grey, and says so only as a warning.
     *
     * @param bytes the encoded image
     * @param warnings hears each warning, for example {@code Premature end of JPEG file}
     * @return the image
     * @throws IllegalArgumentException when no ImageIO reader understands the bytes, the header
     *     declares more than {@link #MAX_DECODE_PIXELS} pixels, or a JPEG has more scans than
     *     {@link JpegScans#allowed} at its size
     */
    public static BufferedImage decode(byte[] bytes, Consumer<String> warnings) {
        // Through a memory-cached stream: ImageIO.read(InputStream) buffers in a temp file.
        try (ImageInputStream stream =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException(
                        "expected a JPEG or PNG image but no ImageIO reader understands these "
                                + bytes.length
                                + " bytes");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                checkHeader(reader, bytes);
                reader.addIIOReadWarningListener((source, warning) -> warnings.accept(warning));
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // The JDK's readers throw more than IOException on corrupt bytes, which ImageIO hands
            // to a reader by their content whatever the file's name: NegativeArraySizeException
            // (BMP), ArrayIndexOutOfBoundsException and IndexOutOfBoundsException (TIFF).
            throw new IllegalArgumentException(
                    "could not decode an image of " + bytes.length + " bytes: " + detail(e), e);
        }
    }

    /**
     * Refuses, from the header alone, an image that would cost too much to decode: more than {@link
     * #MAX_DECODE_PIXELS} pixels (a 60 kB JPEG may claim 20000x20000, 1.2 GB of pixels), or a JPEG
     * with more scans than {@link JpegScans#allowed} at its size.
     */
    private static void checkHeader(ImageReader reader, byte[] bytes) throws IOException {
        long width = reader.getWidth(0);
        long height = reader.getHeight(0);
        if (width * height > MAX_DECODE_PIXELS) {
            throw new IllegalArgumentException(
                    String.format(
                            "its header declares %dx%d pixels, more than the %d (%dx%d)"
                                    + " decoded here; scale it down first",
                            width,
                            height,
                            MAX_DECODE_PIXELS,
                            CliValues.MAX_SIDE,
                            CliValues.MAX_SIDE));
        }
        Optional<String> scans = JpegScans.excess(bytes, width, height);
        if (scans.isPresent()) {
            throw new IllegalArgumentException(
                    "it has " + scans.get() + "; re-encode it as a baseline JPEG");
        }
    }

    /**
     * A decoder failure's message with its cause: ImageIO's PNG reader wraps whatever it caught, an
     * {@link OutOfMemoryError} too, as "Caught exception during read: " and nothing more.
     */
    private static String detail(Exception e) {
        String message =
                e instanceof IOException
                        ? e.getMessage()
                        : "the decoder failed with "
                                + e.getClass().getSimpleName()
                                + " "
                                + e.getMessage();
        return e.getCause() == null ? message : message + " (" + e.getCause() + ")";
    }

    /**
     * Decodes the image of a frame, whatever its encoding.
     *
     * @param frame the frame
     * @return its image
     * @throws IllegalArgumentException when the bytes do not decode or disagree with its size
     */
    public static BufferedImage frameImage(Frame frame) {
        byte[] bytes = bytes(frame.getImage());
        if (frame.getEncoding() != ImageEncoding.RGB24) {
            return decode(bytes);
        }
        int width = frame.getWidth();
        int height = frame.getHeight();
        if (bytes.length != 3L * width * height) {
            throw new IllegalArgumentException(
                    "expected "
                            + 3L * width * height
                            + " RGB24 bytes for "
                            + width
                            + "x"
                            + height
                            + " but found "
                            + bytes.length);
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < bytes.length; i += 3) {
            bgr[i] = bytes[i + 2];
            bgr[i + 1] = bytes[i + 1];
            bgr[i + 2] = bytes[i];
        }
        return image;
    }

    /**
     * The size an image takes to fit within a box with its aspect ratio kept: scaled down until
     * both sides fit, never up.
     *
     * @param width the image width
     * @param height the image height
     * @param maxWidth the box width
     * @param maxHeight the box height
     * @return {@code {width, height}}, each at least 1
     */
    public static int[] fitWithin(int width, int height, int maxWidth, int maxHeight) {
        if (width <= 0 || height <= 0 || maxWidth <= 0 || maxHeight <= 0) {
            throw new IllegalArgumentException(
                    String.format(
                            "expected positive sizes but found %dx%d within %dx%d",
                            width, height, maxWidth, maxHeight));
        }
        if (width <= maxWidth && height <= maxHeight) {
            return new int[] {width, height};
        }
        double scale = Math.min((double) maxWidth / width, (double) maxHeight / height);
        return new int[] {
            (int) Math.max(1, Math.min(maxWidth, Math.round(width * scale))),
            (int) Math.max(1, Math.min(maxHeight, Math.round(height * scale)))
        };
    }

    /**
     * Scales an image with bilinear interpolation.
     *
     * @param image the image
     * @param width the new width
     * @param height the new height
     * @return a new {@code TYPE_3BYTE_BGR} image
     */
    public static BufferedImage resize(BufferedImage image, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "expected a positive size but found " + width + "x" + height);
        }
        AffineTransformOp bilinear =
                new AffineTransformOp(
                        AffineTransform.getScaleInstance(
                                (double) width / image.getWidth(),
                                (double) height / image.getHeight()),
                        AffineTransformOp.TYPE_BILINEAR);
        // Java2D's own filter, from BGR into BGR of exactly the size asked for (its default
        // destination is rounded from the transformed bounds). Measured on 768x576 -> 720x405:
        // 1.45 ms a frame, against 2.6 ms for Graphics2D.drawImage with the bilinear hint and 7.7
        // ms through an ARGB destination; within 2/255 of drawImage for every image type tried
        // (into BGR from another type directly, the filter's colour conversion was far off).
        return bilinear.filter(
                toBgr(image), new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR));
    }

    /**
     * Scales a class map by nearest neighbour, which never invents a class.
     *
     * @param map the class map
     * @param width the new width
     * @param height the new height
     * @return the scaled map with the same palette, or {@code map} when the size is already right
     */
    public static ClassMap resizeNearest(ClassMap map, int width, int height) {
        if (map.width() == width && map.height() == height) {
            return map;
        }
        return new ClassMap(
                width,
                height,
                nearest(map.indices(), map.width(), map.height(), width, height),
                map.palette());
    }

    /**
     * Resamples row-major labels to {@code width x height}, each output pixel taking the label at
     * its centre, so that labels are never blended and scaling down by two keeps the same pixel of
     * each pair wherever the labels come from: the masks that replay and the demo score, the
     * labelled frames training and evaluate read, and a teacher's output.
     *
     * @param labels the labels, {@code inWidth * inHeight}
     * @param inWidth their width
     * @param inHeight their height
     * @param width the new width
     * @param height the new height
     * @return the resampled labels
     */
    public static byte[] nearest(byte[] labels, int inWidth, int inHeight, int width, int height) {
        byte[] out = new byte[width * height];
        for (int y = 0; y < height; y++) {
            int sy = Math.min(inHeight - 1, (int) ((y + 0.5) * inHeight / height));
            for (int x = 0; x < width; x++) {
                int sx = Math.min(inWidth - 1, (int) ((x + 0.5) * inWidth / width));
                out[y * width + x] = labels[sy * inWidth + sx];
            }
        }
        return out;
    }

    /**
     * Returns the image as {@code TYPE_3BYTE_BGR}, the layout of JPEG encoding and of JavaCV.
     *
     * @param image any image
     * @return {@code image} itself when it already is, else a converted copy
     */
    public static BufferedImage toBgr(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return image;
        }
        return copyBgr(image);
    }

    /**
     * Copies an image into a new {@code TYPE_3BYTE_BGR} image that shares nothing with it.
     *
     * @param image any image
     * @return the copy
     */
    public static BufferedImage copyBgr(BufferedImage image) {
        BufferedImage out =
                new BufferedImage(
                        image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * Copies the bytes of an Avro bytes field without moving the buffer's position.
     *
     * @param buffer the field, for example {@code frame.getImage()}, or null
     * @return its remaining bytes; empty for null
     */
    public static byte[] bytes(ByteBuffer buffer) {
        return AvroBytes.toArray(buffer);
    }

    private static BufferedImage jpegCompatible(BufferedImage image) {
        int type = image.getType();
        if (type == BufferedImage.TYPE_3BYTE_BGR
                || type == BufferedImage.TYPE_INT_RGB
                || type == BufferedImage.TYPE_BYTE_GRAY) {
            return image;
        }
        return copyBgr(image);
    }
}
