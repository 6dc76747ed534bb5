package io.canvasflow.model;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.nio.FloatBuffer;

/** Converts images to normalised planar float tensors. */
public final class ImageTensors {

    private ImageTensors() {}

    /** Resizes with bilinear interpolation; returns the image itself if it already has the size. */
    public static BufferedImage resize(BufferedImage image, int width, int height) {
        if (image.getWidth() == width && image.getHeight() == height) {
            return image;
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(
                    RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * Writes an image as {@code 3 x H x W} RGB floats, scaled to 0..1 and normalised with {@code (x
     * - mean) / std}, into {@code out} at {@code offset}.
     */
    public static void toChw(
            BufferedImage image, float[] mean, float[] std, float[] out, int offset) {
        toChw(image, mean, std, FloatBuffer.wrap(out), offset);
    }

    /**
     * Writes an image as {@code toChw} does into a buffer, from index {@code offset} on (absolute
     * writes: the buffer's position and limit are neither used nor moved). Serve's segmenter hands
     * PyTorch one direct buffer written this way for every frame: no {@code float[]} of the frame
     * (576 KiB at 256x192, a humongous object for G1 at a 2 GiB heap) and no copy of it.
     *
     * @throws IndexOutOfBoundsException if the buffer ends before {@code offset + 3 * W * H}
     */
    public static void toChw(
            BufferedImage image, float[] mean, float[] std, FloatBuffer out, int offset) {
        int w = image.getWidth();
        int h = image.getHeight();
        int plane = w * h;
        if (offset < 0 || (long) offset + 3L * plane > out.limit()) {
            throw new IndexOutOfBoundsException(
                    "a "
                            + w
                            + "x"
                            + h
                            + " image needs "
                            + 3L * plane
                            + " floats from index "
                            + offset
                            + " but the buffer ends at "
                            + out.limit());
        }
        Normalise n = new Normalise(mean, std);
        int g = offset + plane;
        int b = offset + 2 * plane;
        Interleaved bgr = interleaved(image);
        if (bgr != null) {
            // read straight from a decoded JPEG's bytes: no packed copy of the frame
            byte[] data = bgr.data();
            for (int p = 0, i = 0; p < plane; p++, i += 3) {
                out.put(offset + p, n.red(data[i + bgr.red()] & 0xff));
                out.put(g + p, n.green(data[i + bgr.green()] & 0xff));
                out.put(b + p, n.blue(data[i + bgr.blue()] & 0xff));
            }
            return;
        }
        int[] rgb = intRgb(image);
        if (rgb == null) {
            rgb = packedRgb(image);
        }
        for (int p = 0; p < plane; p++) {
            int v = rgb[p];
            out.put(offset + p, n.red((v >> 16) & 0xff));
            out.put(g + p, n.green((v >> 8) & 0xff));
            out.put(b + p, n.blue(v & 0xff));
        }
    }

    /** {@code (x / 255 - mean) / std} per channel, as {@code x * scale - shift}. */
    private record Normalise(float sr, float sg, float sb, float mr, float mg, float mb) {

        Normalise(float[] mean, float[] std) {
            this(
                    1f / (255f * std[0]),
                    1f / (255f * std[1]),
                    1f / (255f * std[2]),
                    mean[0] / std[0],
                    mean[1] / std[1],
                    mean[2] / std[2]);
        }

        float red(int v) {
            return v * sr - mr;
        }

        float green(int v) {
            return v * sg - mg;
        }

        float blue(int v) {
            return v * sb - mb;
        }
    }

    /**
     * A whole {@code TYPE_3BYTE_BGR} image's bytes, 3 a pixel without padding.
     *
     * @param data the bytes
     * @param red offset of the red sample within a pixel
     * @param green offset of the green sample
     * @param blue offset of the blue sample
     */
    private record Interleaved(byte[] data, int red, int green, int blue) {}

    /** Whether the image's raster is the whole of its buffer, not a window on a larger one. */
    private static boolean whole(WritableRaster raster) {
        return raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0
                && raster.getParent() == null;
    }

    /** A decoded JPEG's ({@code TYPE_3BYTE_BGR}) bytes as they lie, or null for another layout. */
    private static Interleaved interleaved(BufferedImage image) {
        WritableRaster raster = image.getRaster();
        if (whole(raster)
                && image.getType() == BufferedImage.TYPE_3BYTE_BGR
                && raster.getDataBuffer() instanceof DataBufferByte bytes
                && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm
                && sm.getPixelStride() == 3
                && sm.getScanlineStride() == 3 * image.getWidth()
                && bytes.getNumBanks() == 1
                && bytes.getOffset() == 0) {
            int[] offsets = sm.getBandOffsets(); // R, G, B
            return new Interleaved(bytes.getData(), offsets[0], offsets[1], offsets[2]);
        }
        return null;
    }

    /**
     * A {@code TYPE_INT_RGB} image's own pixel array (its top byte unused: mask it), or null for
     * another layout.
     */
    private static int[] intRgb(BufferedImage image) {
        WritableRaster raster = image.getRaster();
        if (whole(raster)
                && image.getType() == BufferedImage.TYPE_INT_RGB
                && raster.getDataBuffer() instanceof DataBufferInt ints
                && raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm
                && sm.getScanlineStride() == image.getWidth()
                && ints.getNumBanks() == 1
                && ints.getOffset() == 0) {
            return ints.getData();
        }
        return null;
    }

    /**
     * The image's pixels as packed {@code 0xRRGGBB} ints, row-major. Decoded JPEGs ({@code
     * TYPE_3BYTE_BGR}) and {@code TYPE_INT_RGB} images are read straight from their buffers; any
     * other layout is first drawn into a {@code TYPE_INT_RGB} image, as {@link #resize} and the
     * trainer's conversion draw it. Not {@link BufferedImage#getRGB(int, int, int, int, int[], int,
     * int)}: it takes a greyscale image's samples as linear light and brightens them (128 became
     * 188), so a grey camera's frame at the model's input size reached the network brighter than in
     * training, or than at any other size.
     */
    static int[] packedRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        Interleaved bgr = interleaved(image);
        if (bgr != null) {
            byte[] data = bgr.data();
            int[] out = new int[w * h];
            for (int p = 0, i = 0; p < out.length; p++, i += 3) {
                out[p] =
                        (data[i + bgr.red()] & 0xff) << 16
                                | (data[i + bgr.green()] & 0xff) << 8
                                | (data[i + bgr.blue()] & 0xff);
            }
            return out;
        }
        int[] ints = intRgb(image);
        if (ints != null) {
            int[] out = new int[w * h];
            for (int p = 0; p < out.length; p++) {
                out[p] = ints[p] & 0xffffff;
            }
            return out;
        }
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            // an INT_RGB image with an unusual raster (a sub-image): its colour model is exact
            int[] out = image.getRGB(0, 0, w, h, null, 0, w);
            for (int p = 0; p < out.length; p++) {
                out[p] &= 0xffffff;
            }
            return out;
        }
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return packedRgb(rgb);
    }

    /** Returns an image as a new {@code 3 x H x W} normalised float array. */
    public static float[] toChw(BufferedImage image, float[] mean, float[] std) {
        float[] out = new float[3 * image.getWidth() * image.getHeight()];
        toChw(image, mean, std, out, 0);
        return out;
    }
}
