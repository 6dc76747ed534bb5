package io.canvasflow.model;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

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
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
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

    /** Returns an image as a new {@code 3 x H x W} normalised float array. */
    public static float[] toChw(BufferedImage image, float[] mean, float[] std) {
        float[] out = new float[3 * image.getWidth() * image.getHeight()];
        toChw(image, mean, std, out, 0);
        return out;
    }
}
