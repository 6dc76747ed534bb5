package io.canvasflow.trainer.data;

import io.canvasflow.synthetic.LabeledFrame;
import java.util.List;

/**
 * Packs frames of one size into the plain arrays a training step feeds to the engine: images as
 * {@code N x 3 x H x W} floats in RGB order, scaled to 0..1 then normalised with {@code (x - mean)
 * / std} (the same arithmetic as {@code io.canvasflow.model.ImageTensors}, so training and
 * inference see identical inputs), and labels as {@code N x H x W}.
 */
public final class Batches {

    private Batches() {}

    /** ImageNet channel means, RGB. */
    public static float[] imagenetMean() {
        return new float[] {0.485f, 0.456f, 0.406f};
    }

    /** ImageNet channel standard deviations, RGB. */
    public static float[] imagenetStd() {
        return new float[] {0.229f, 0.224f, 0.225f};
    }

    /** {@code {N, 3, H, W}} for these frames. */
    public static long[] imageShape(List<LabeledFrame> frames) {
        LabeledFrame f = first(frames);
        return new long[] {frames.size(), 3, f.height(), f.width()};
    }

    /** {@code {N, H, W}} for these frames. */
    public static long[] labelShape(List<LabeledFrame> frames) {
        LabeledFrame f = first(frames);
        return new long[] {frames.size(), f.height(), f.width()};
    }

    /** The images as a new normalised NCHW array. */
    public static float[] images(List<LabeledFrame> frames, float[] mean, float[] std) {
        LabeledFrame f = first(frames);
        float[] out = new float[frames.size() * 3 * f.width() * f.height()];
        images(frames, mean, std, out, 0);
        return out;
    }

    /**
     * Writes the images as normalised NCHW into {@code out} from {@code offset}, to reuse buffers.
     */
    public static void images(
            List<LabeledFrame> frames, float[] mean, float[] std, float[] out, int offset) {
        LabeledFrame f = first(frames);
        int w = f.width();
        int h = f.height();
        checkSizes(frames, w, h);
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("Expected 3 means and 3 stds (RGB)");
        }
        int plane = w * h;
        if (out.length - offset < (long) frames.size() * 3 * plane) {
            throw new IllegalArgumentException(
                    "Output holds "
                            + (out.length - offset)
                            + " floats; need "
                            + frames.size() * 3L * plane);
        }
        // One table per channel: v * (1 / (255 std)) - mean / std, as ImageTensors computes it.
        float[] lut = new float[3 * 256];
        for (int c = 0; c < 3; c++) {
            float s = 1f / (255f * std[c]);
            float m = mean[c] / std[c];
            for (int v = 0; v < 256; v++) {
                lut[c * 256 + v] = v * s - m;
            }
        }
        int[] rgb = new int[plane];
        int o = offset;
        for (LabeledFrame frame : frames) {
            Images.rgb(frame.image(), rgb);
            int g = o + plane;
            int b = o + 2 * plane;
            for (int p = 0; p < plane; p++) {
                int v = rgb[p];
                out[o + p] = lut[(v >> 16) & 0xff];
                out[g + p] = lut[256 + ((v >> 8) & 0xff)];
                out[b + p] = lut[512 + (v & 0xff)];
            }
            o += 3 * plane;
        }
    }

    /** The labels as NHW ints, 0..C-1 or 255. */
    public static int[] labels(List<LabeledFrame> frames) {
        LabeledFrame f = first(frames);
        int plane = f.width() * f.height();
        checkSizes(frames, f.width(), f.height());
        int[] out = new int[frames.size() * plane];
        int o = 0;
        for (LabeledFrame frame : frames) {
            byte[] l = frame.labelArray();
            for (int p = 0; p < plane; p++) {
                out[o + p] = l[p] & 0xff;
            }
            o += plane;
        }
        return out;
    }

    /** The labels as NHW floats, for losses that take float targets. */
    public static float[] labelsAsFloat(List<LabeledFrame> frames) {
        int[] labels = labels(frames);
        float[] out = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = labels[i];
        }
        return out;
    }

    private static LabeledFrame first(List<LabeledFrame> frames) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("Expected at least one frame in a batch");
        }
        return frames.get(0);
    }

    private static void checkSizes(List<LabeledFrame> frames, int w, int h) {
        for (int i = 0; i < frames.size(); i++) {
            LabeledFrame f = frames.get(i);
            if (f.width() != w || f.height() != h) {
                throw new IllegalArgumentException(
                        "Expected every frame of a batch to be "
                                + w
                                + "x"
                                + h
                                + ", frame "
                                + i
                                + " is "
                                + f.width()
                                + "x"
                                + f.height());
            }
        }
    }
}
