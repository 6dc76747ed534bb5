package io.canvasflow.trainer;

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
                for (SegmentationResult.ClassMap map : result.iterationMaps()) {
                    masks.add(map.indices());
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

    private static BufferedImage copy(BufferedImage image) {
        BufferedImage out =
                new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        out.getGraphics().drawImage(image, 0, 0, null);
        return out;
    }
}
