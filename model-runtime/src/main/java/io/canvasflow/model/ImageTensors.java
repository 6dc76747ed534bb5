package io.canvasflow.model;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;

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
        int w = image.getWidth();
        int h = image.getHeight();
        int plane = w * h;
        int[] rgb = packedRgb(image);
        float sr = 1f / (255f * std[0]);
        float sg = 1f / (255f * std[1]);
        float sb = 1f / (255f * std[2]);
        float mr = mean[0] / std[0];
        float mg = mean[1] / std[1];
        float mb = mean[2] / std[2];
        for (int p = 0; p < plane; p++) {
            int v = rgb[p];
            out[offset + p] = ((v >> 16) & 0xff) * sr - mr;
            out[offset + plane + p] = ((v >> 8) & 0xff) * sg - mg;
            out[offset + 2 * plane + p] = (v & 0xff) * sb - mb;
        }
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
        WritableRaster raster = image.getRaster();
        boolean whole =
                raster.getSampleModelTranslateX() == 0
                        && raster.getSampleModelTranslateY() == 0
                        && raster.getParent() == null;
        if (whole
                && image.getType() == BufferedImage.TYPE_3BYTE_BGR
                && raster.getDataBuffer() instanceof DataBufferByte bytes
                && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm
                && sm.getPixelStride() == 3
                && sm.getScanlineStride() == 3 * w
                && bytes.getNumBanks() == 1
                && bytes.getOffset() == 0) {
            byte[] data = bytes.getData();
            int[] offsets = sm.getBandOffsets(); // R, G, B
            int[] out = new int[w * h];
            for (int p = 0, i = 0; p < out.length; p++, i += 3) {
                out[p] =
                        (data[i + offsets[0]] & 0xff) << 16
                                | (data[i + offsets[1]] & 0xff) << 8
                                | (data[i + offsets[2]] & 0xff);
            }
            return out;
        }
        if (whole
                && image.getType() == BufferedImage.TYPE_INT_RGB
                && raster.getDataBuffer() instanceof DataBufferInt ints
                && raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm
                && sm.getScanlineStride() == w
                && ints.getNumBanks() == 1
                && ints.getOffset() == 0) {
            int[] data = ints.getData();
            int[] out = new int[w * h];
            for (int p = 0; p < out.length; p++) {
                out[p] = data[p] & 0xffffff;
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
