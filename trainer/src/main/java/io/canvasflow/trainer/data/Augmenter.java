package io.canvasflow.trainer.data;

import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.synthetic.LabeledFrame;
import io.canvasflow.synthetic.VideoSequence;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Training-time augmentation: random scale, random crop (padding with black and {@link
 * ClassTable#IGNORE_LABEL} where the scaled image is smaller than the crop) and horizontal flip,
 * done in one pass. Images are resampled bilinearly, labels by nearest neighbour, so labels stay
 * class indices. Every draw comes from the {@link Random} passed in, so a seeded Random gives the
 * same result every time.
 *
 * @param cropWidth the output width
 * @param cropHeight the output height
 * @param minScale the smallest scale factor, drawn uniformly up to {@code maxScale}
 * @param maxScale the largest scale factor
 * @param flip whether half the outputs are mirrored
 */
public record Augmenter(
        int cropWidth, int cropHeight, double minScale, double maxScale, boolean flip) {

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException on a crop size that is not positive, or scales out of order
     */
    public Augmenter {
        if (cropWidth <= 0 || cropHeight <= 0) {
            throw new IllegalArgumentException(
                    "Expected a positive crop size, got " + cropWidth + "x" + cropHeight);
        }
        if (!(minScale > 0) || !(maxScale >= minScale)) {
            throw new IllegalArgumentException(
                    "Expected 0 < min scale <= max scale, got " + minScale + ".." + maxScale);
        }
    }

    /** Crops of this size from images scaled by 0.75..1.25, half of them mirrored. */
    public static Augmenter of(int cropWidth, int cropHeight) {
        return new Augmenter(cropWidth, cropHeight, 0.75, 1.25, true);
    }

    /**
     * One draw of the random parameters.
     *
     * @param scale the factor the source is resized by
     * @param offsetX left edge of the crop in the resized image
     * @param offsetY top edge of the crop in the resized image
     * @param flip whether the crop is mirrored left to right
     */
    public record Params(double scale, int offsetX, int offsetY, boolean flip) {}

    /** Draws parameters for a source of the given size. */
    public Params draw(int width, int height, Random random) {
        double scale = minScale + (maxScale - minScale) * random.nextDouble();
        int sw = scaled(width, scale);
        int sh = scaled(height, scale);
        int ox = sw > cropWidth ? random.nextInt(sw - cropWidth + 1) : 0;
        int oy = sh > cropHeight ? random.nextInt(sh - cropHeight + 1) : 0;
        boolean f = flip && random.nextBoolean();
        return new Params(scale, ox, oy, f);
    }

    /** Augments one frame. */
    public LabeledFrame apply(LabeledFrame frame, Random random) {
        return apply(frame, draw(frame.width(), frame.height(), random));
    }

    /** Augments a clip with one draw for all its frames, so motion between frames is kept. */
    public List<LabeledFrame> apply(List<LabeledFrame> clip, Random random) {
        if (clip.isEmpty()) {
            return List.of();
        }
        Params p = draw(clip.get(0).width(), clip.get(0).height(), random);
        List<LabeledFrame> out = new ArrayList<>(clip.size());
        for (LabeledFrame f : clip) {
            out.add(apply(f, p));
        }
        return out;
    }

    /** Augments a sequence with one draw for all its frames. */
    public VideoSequence apply(VideoSequence sequence, Random random) {
        return new VideoSequence(sequence.id(), apply(sequence.frames(), random));
    }

    /** Applies given parameters. */
    public LabeledFrame apply(LabeledFrame frame, Params p) {
        int w = frame.width();
        int h = frame.height();
        int sw = scaled(w, p.scale());
        int sh = scaled(h, p.scale());
        double rx = (double) w / sw;
        double ry = (double) h / sh;
        int[] src = Images.rgb(frame.image(), null);
        byte[] srcLabels = frame.labelArray();

        // Per output column: source column for labels, and bilinear taps for the image.
        int[] labelX = new int[cropWidth];
        int[] x0 = new int[cropWidth];
        int[] fx = new int[cropWidth];
        for (int u = 0; u < cropWidth; u++) {
            int col = p.offsetX() + (p.flip() ? cropWidth - 1 - u : u);
            if (col >= sw) {
                labelX[u] = -1;
                continue;
            }
            labelX[u] = Math.min(w - 1, (int) ((col + 0.5) * rx));
            double sx = Math.max(0, Math.min(w - 1, (col + 0.5) * rx - 0.5));
            int ix = Math.min((int) sx, Math.max(0, w - 2));
            x0[u] = ix;
            fx[u] = w == 1 ? 0 : (int) Math.round((sx - ix) * 256);
        }
        BufferedImage out = new BufferedImage(cropWidth, cropHeight, BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        byte[] labels = new byte[cropWidth * cropHeight];
        Arrays.fill(labels, (byte) ClassTable.IGNORE_LABEL);
        int xStep = w == 1 ? 0 : 1;
        for (int v = 0; v < cropHeight; v++) {
            int row = p.offsetY() + v;
            if (row >= sh) {
                break;
            }
            int ly = Math.min(h - 1, (int) ((row + 0.5) * ry));
            double sy = Math.max(0, Math.min(h - 1, (row + 0.5) * ry - 0.5));
            int iy = Math.min((int) sy, Math.max(0, h - 2));
            int fy = h == 1 ? 0 : (int) Math.round((sy - iy) * 256);
            int r0 = iy * w;
            int r1 = h == 1 ? r0 : r0 + w;
            int o = v * cropWidth;
            int lrow = ly * w;
            for (int u = 0; u < cropWidth; u++) {
                int lx = labelX[u];
                if (lx < 0) {
                    continue;
                }
                labels[o + u] = srcLabels[lrow + lx];
                int a = src[r0 + x0[u]];
                int b = src[r0 + x0[u] + xStep];
                int c = src[r1 + x0[u]];
                int d = src[r1 + x0[u] + xStep];
                dst[o + u] = bilinear(a, b, c, d, fx[u], fy);
            }
        }
        return LabeledFrame.wrap(out, labels);
    }

    private static int bilinear(int a, int b, int c, int d, int fx, int fy) {
        int w00 = (256 - fx) * (256 - fy);
        int w01 = fx * (256 - fy);
        int w10 = (256 - fx) * fy;
        int w11 = fx * fy;
        int r = channel(a, b, c, d, 16, w00, w01, w10, w11);
        int g = channel(a, b, c, d, 8, w00, w01, w10, w11);
        int bl = channel(a, b, c, d, 0, w00, w01, w10, w11);
        return (r << 16) | (g << 8) | bl;
    }

    /** One 8-bit channel (at bit {@code shift}) of four pixels, weighted out of 65536, rounded. */
    private static int channel(
            int a, int b, int c, int d, int shift, int w00, int w01, int w10, int w11) {
        return (((a >> shift) & 0xff) * w00
                        + ((b >> shift) & 0xff) * w01
                        + ((c >> shift) & 0xff) * w10
                        + ((d >> shift) & 0xff) * w11
                        + 32768)
                >> 16;
    }

    private static int scaled(int size, double scale) {
        return Math.max(1, (int) Math.round(size * scale));
    }
}
