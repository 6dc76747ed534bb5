package io.canvasflow.trainer;

import io.canvasflow.model.Canvas;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentRequest;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.model.SegmentationResult;
import io.canvasflow.model.Segmenter;
import io.canvasflow.synthetic.LabeledFrame;
import io.canvasflow.synthetic.VideoSequence;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A few test frames with their ground truth and the recurrent model's mask after every iteration
 * from a zero canvas, for the evaluation's grid plot. Plain Java memory only: it holds no model,
 * NDArray or other DJL resource.
 *
 * @param frames the sampled frames
 * @param iterations iterations run on each frame (masks per frame)
 * @param classNames class names in index order
 * @param classColors display colours as 0xRRGGBB in index order
 */
public record Samples(
        List<Sample> frames, int iterations, List<String> classNames, int[] classColors) {

    /** Copies the lists and the colours, and checks every frame has one mask per iteration. */
    public Samples {
        frames = List.copyOf(frames);
        classNames = List.copyOf(classNames);
        classColors = classColors.clone();
        for (Sample s : frames) {
            if (s.masks().size() != iterations) {
                throw new IllegalArgumentException(
                        "sample "
                                + s.sequenceId()
                                + "#"
                                + s.frameIndex()
                                + " has "
                                + s.masks().size()
                                + " masks for "
                                + iterations
                                + " iterations");
            }
        }
    }

    /** A copy of the colours. */
    @Override
    public int[] classColors() {
        return classColors.clone();
    }

    /**
     * One sampled frame.
     *
     * @param sequenceId the sequence it comes from
     * @param frameIndex its index in that sequence
     * @param image the frame (a private copy)
     * @param labels ground-truth labels, row-major {@code height x width}
     * @param masks the predicted class map at frame size after iteration 1, 2, ...
     */
    public record Sample(
            String sequenceId,
            int frameIndex,
            BufferedImage image,
            byte[] labels,
            List<byte[]> masks) {

        /** Checks the sizes and copies the arrays, so that no caller can change them. */
        public Sample {
            int pixels = image.getWidth() * image.getHeight();
            if (labels.length != pixels) {
                throw new IllegalArgumentException(
                        "expected " + pixels + " labels for the image, got " + labels.length);
            }
            labels = labels.clone();
            List<byte[]> copies = new ArrayList<>();
            for (byte[] m : masks) {
                if (m.length != pixels) {
                    throw new IllegalArgumentException(
                            "expected masks of " + pixels + " pixels, got " + m.length);
                }
                copies.add(m.clone());
            }
            masks = List.copyOf(copies);
        }

        /** The frame width. */
        public int width() {
            return image.getWidth();
        }

        /** The frame height. */
        public int height() {
            return image.getHeight();
        }
    }

    /**
     * Runs the recurrent model on {@code count} frames spread evenly over the sequences (and over
     * the frame positions within them), from a zero canvas, keeping the mask after each of {@code
     * iterations} iterations.
     */
    public static Samples of(
            SegmentationModel rnn, List<VideoSequence> test, int count, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException(
                    "samples need at least 1 iteration, got " + iterations);
        }
        ModelSpec spec = rnn.spec();
        List<Sample> out = new ArrayList<>();
        try (Segmenter segmenter = rnn.newSegmenter()) {
            for (int[] at : spread(test, count)) {
                VideoSequence sequence = test.get(at[0]);
                LabeledFrame frame = sequence.frame(at[1]);
                SegmentationResult result =
                        segmenter.segment(
                                SegmentRequest.builder()
                                        .setImage(frame.image())
                                        .optIterations(iterations)
                                        .optKeepIterations(true)
                                        .optOutputSize(frame.width(), frame.height())
                                        .build());
                List<byte[]> masks = new ArrayList<>();
                for (Canvas canvas : result.iterationCanvases()) {
                    masks.add(upsampleArgmax(canvas, frame.width(), frame.height()));
                }
                out.add(
                        new Sample(
                                sequence.id(), at[1], copy(frame.image()), frame.labels(), masks));
            }
        }
        return new Samples(out, iterations, spec.classNames(), spec.classColors());
    }

    /**
     * {@code (sequence, frame)} positions of {@code count} frames evenly spaced over all frames in
     * order, first and last included.
     */
    static List<int[]> spread(List<VideoSequence> sequences, int count) {
        List<int[]> all = new ArrayList<>();
        for (int s = 0; s < sequences.size(); s++) {
            for (int f = 0; f < sequences.get(s).size(); f++) {
                all.add(new int[] {s, f});
            }
        }
        int n = Math.min(Math.max(count, 0), all.size());
        List<int[]> picked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long index = n == 1 ? 0 : Math.round((double) i * (all.size() - 1) / (n - 1));
            picked.add(all.get((int) index));
        }
        return picked;
    }

    /**
     * The class map of a canvas at {@code width x height}: each class plane is upsampled bilinearly
     * with PyTorch's {@code align_corners=false} convention (pixel centres aligned, source
     * coordinates clamped at the border), then the first class with the highest value wins, as in
     * {@link Segmenter}'s mask.
     */
    public static byte[] upsampleArgmax(Canvas canvas, int width, int height) {
        int classes = canvas.classes();
        int plane = canvas.height() * canvas.width();
        float[] logits = canvas.logits();
        int[] x0 = new int[width];
        int[] x1 = new int[width];
        float[] xl = new float[width];
        sourceIndices(canvas.width(), width, x0, x1, xl);
        int[] y0 = new int[height];
        int[] y1 = new int[height];
        float[] yl = new float[height];
        sourceIndices(canvas.height(), height, y0, y1, yl);
        int cw = canvas.width();
        byte[] out = new byte[width * height];
        for (int y = 0; y < height; y++) {
            float wy1 = yl[y];
            float wy0 = 1f - wy1;
            int row0 = y0[y] * cw;
            int row1 = y1[y] * cw;
            for (int x = 0; x < width; x++) {
                float wx1 = xl[x];
                float wx0 = 1f - wx1;
                int best = 0;
                float bestValue = Float.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    int base = c * plane;
                    float top =
                            wx0 * logits[base + row0 + x0[x]] + wx1 * logits[base + row0 + x1[x]];
                    float bottom =
                            wx0 * logits[base + row1 + x0[x]] + wx1 * logits[base + row1 + x1[x]];
                    float v = wy0 * top + wy1 * bottom;
                    if (v > bestValue) {
                        bestValue = v;
                        best = c;
                    }
                }
                out[y * width + x] = (byte) best;
            }
        }
        return out;
    }

    /**
     * For each output index, the two source indices and the weight of the second, as PyTorch's
     * {@code area_pixel_compute_source_index} with {@code align_corners=false}: {@code src = (dst +
     * 0.5) * in / out - 0.5}, clamped at 0.
     */
    private static void sourceIndices(int in, int out, int[] i0, int[] i1, float[] lambda) {
        float scale = (float) in / out;
        for (int d = 0; d < out; d++) {
            float src = Math.max(0f, scale * (d + 0.5f) - 0.5f);
            int i = Math.min((int) src, in - 1);
            i0[d] = i;
            i1[d] = Math.min(i + 1, in - 1);
            lambda[d] = Math.min(1f, src - i);
        }
    }

    private static BufferedImage copy(BufferedImage image) {
        BufferedImage out =
                new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        out.getGraphics().drawImage(image, 0, 0, null);
        return out;
    }
}
