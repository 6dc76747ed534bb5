package io.canvasflow.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.canvasflow.model.CostModel;
import io.canvasflow.model.ImageTensors;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.model.SegmentationNet;
import io.canvasflow.model.Segmenter;
import io.canvasflow.synthetic.LabeledFrame;
import io.canvasflow.synthetic.VideoSequence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures a recurrent model (and optionally the feed-forward baseline) on labelled video
 * sequences: mIoU after each iteration from a zero canvas (the paper's speed-accuracy curve),
 * seeded iterations on sequences, and recovery from a wrong-class seed (the paper's Figure 6).
 */
public final class Evaluator {

    private Evaluator() {}

    /**
     * One point of a curve.
     *
     * @param iterations iterations run
     * @param miou mean IoU
     * @param perClassIou IoU per class
     * @param pixelAccuracy share of pixels right
     * @param gflops analytic GFLOPs per frame
     */
    public record Point(
            int iterations,
            double miou,
            double[] perClassIou,
            double pixelAccuracy,
            double gflops) {}

    /**
     * All figures of one evaluation.
     *
     * <p>A feed-forward model scored alone ({@link Evaluator#onePass}) has its one pass as {@code
     * feedForward} and nothing else: no zero-canvas curve, seeded or wrong-seed figure.
     *
     * @param frames frames evaluated
     * @param zeroCanvas points for 1..maxIterations from a zero canvas
     * @param referenceIterations the model's full iteration count (what serve runs from zero), the
     *     point of the zero-canvas curve everything is compared with
     * @param seeded the first frame of each sequence from zero, the rest seeded with the previous
     *     frame's canvas; null for a feed-forward model scored alone
     * @param seededIterations iterations per seeded frame
     * @param wrongSeed points for 1..n iterations from a wrong-class canvas
     * @param feedForward the baseline, or the feed-forward model scored alone, or null
     */
    public record Report(
            int frames,
            List<Point> zeroCanvas,
            int referenceIterations,
            Point seeded,
            int seededIterations,
            List<Point> wrongSeed,
            Point feedForward) {

        /** Whether these are a feed-forward model's figures, scored alone: its one pass. */
        public boolean onePass() {
            return zeroCanvas.isEmpty();
        }

        /** mIoU from a zero canvas after {@code k} iterations. */
        public double zeroMiou(int k) {
            return zeroCanvas.get(k - 1).miou();
        }
    }

    /**
     * Evaluates; the batch size only affects speed.
     *
     * @param maxIterations longest zero-canvas run of the curve
     * @param referenceIterations the model's full iteration count: what the topology runs from
     *     zero, so a seeded sequence's first frame (or {@code maxIterations}, when fewer)
     * @param feedForward the baseline, of the model's classes, or null
     * @throws IllegalArgumentException in one sentence, where the baseline's classes are not the
     *     model's
     */
    public static Report evaluate(
            SegmentationModel rnn,
            SegmentationModel feedForward,
            List<VideoSequence> sequences,
            int maxIterations,
            int referenceIterations,
            int seededIterations,
            int wrongSeedIterations,
            int batchSize) {
        if (feedForward != null
                && !feedForward.spec().classNames().equals(rnn.spec().classNames())) {
            // scored in the model's matrix, a class past its last fell outside it
            throw new IllegalArgumentException(
                    "the baseline "
                            + feedForward.spec().version()
                            + " has the classes "
                            + feedForward.spec().classNames()
                            + ", not those of model "
                            + rnn.spec().version()
                            + " "
                            + rnn.spec().classNames()
                            + ", whose columns it is scored in; give a baseline of those classes,"
                            + " or null");
        }
        List<LabeledFrame> frames = new ArrayList<>();
        sequences.forEach(s -> frames.addAll(s.frames()));
        int classes = rnn.spec().numClasses();
        ConfusionMatrix[] zero = matrices(maxIterations, classes);
        ConfusionMatrix[] wrong = matrices(wrongSeedIterations, classes);
        for (int start = 0; start < frames.size(); start += batchSize) {
            List<LabeledFrame> batch =
                    frames.subList(start, Math.min(frames.size(), start + batchSize));
            run(rnn, batch, maxIterations, zero, false);
            run(rnn, batch, wrongSeedIterations, wrong, true);
        }
        ConfusionMatrix seeded = new ConfusionMatrix(classes);
        for (VideoSequence sequence : sequences) {
            runSequence(
                    rnn,
                    sequence,
                    EvaluationReport.firstFrameIterations(maxIterations, referenceIterations),
                    seededIterations,
                    seeded);
        }
        Point ff = feedForward == null ? null : onePassPoint(feedForward, frames, batchSize);
        CostModel cost = rnn.cost();
        List<Point> zeroPoints = new ArrayList<>();
        for (int k = 1; k <= maxIterations; k++) {
            zeroPoints.add(point(zero[k - 1], k, cost.frameGflops(k)));
        }
        List<Point> wrongPoints = new ArrayList<>();
        for (int k = 1; k <= wrongSeedIterations; k++) {
            wrongPoints.add(point(wrong[k - 1], k, cost.frameGflops(k)));
        }
        return new Report(
                frames.size(),
                zeroPoints,
                referenceIterations,
                point(
                        seeded,
                        seededIterations,
                        seededGflops(
                                cost,
                                sequences,
                                referenceIterations,
                                maxIterations,
                                seededIterations)),
                seededIterations,
                wrongPoints,
                ff);
    }

    /**
     * Evaluates a feed-forward model alone: its one pass over every frame of {@code sequences}, its
     * only figure (it has no canvas to iterate or seed, so a curve would charge the same pass again
     * and a seeded figure would repeat it). The batch size only affects speed.
     *
     * @return the figures, {@link Report#onePass}
     */
    public static Report onePass(
            SegmentationModel feedForward, List<VideoSequence> sequences, int batchSize) {
        List<LabeledFrame> frames = new ArrayList<>();
        sequences.forEach(s -> frames.addAll(s.frames()));
        return new Report(
                frames.size(),
                List.of(),
                1,
                null,
                0,
                List.of(),
                onePassPoint(feedForward, frames, batchSize));
    }

    private static Point onePassPoint(
            SegmentationModel feedForward, List<LabeledFrame> frames, int batchSize) {
        ConfusionMatrix[] m = matrices(1, feedForward.spec().numClasses());
        for (int start = 0; start < frames.size(); start += batchSize) {
            run(
                    feedForward,
                    frames.subList(start, Math.min(frames.size(), start + batchSize)),
                    1,
                    m,
                    false);
        }
        return point(m[0], 1, feedForward.cost().frameGflops(1));
    }

    /**
     * The mean GFLOPs a seeded run spends per frame: each sequence's first frame runs from zero, as
     * serve runs a camera's first frame, the rest the seeded count.
     */
    private static double seededGflops(
            CostModel cost,
            List<VideoSequence> sequences,
            int referenceIterations,
            int maxIterations,
            int seededIterations) {
        int first = EvaluationReport.firstFrameIterations(maxIterations, referenceIterations);
        double sum = 0;
        long frames = 0;
        for (VideoSequence sequence : sequences) {
            if (sequence.size() > 0) {
                sum += cost.frameGflops(first);
                sum += (sequence.size() - 1) * cost.frameGflops(seededIterations);
                frames += sequence.size();
            }
        }
        return frames == 0 ? cost.frameGflops(seededIterations) : sum / frames;
    }

    private static ConfusionMatrix[] matrices(int n, int classes) {
        ConfusionMatrix[] out = new ConfusionMatrix[n];
        for (int i = 0; i < n; i++) {
            out[i] = new ConfusionMatrix(classes);
        }
        return out;
    }

    private static Point point(ConfusionMatrix m, int iterations, double gflops) {
        return new Point(iterations, m.meanIou(), m.iou(), m.pixelAccuracy(), gflops);
    }

    /** Runs a batch, scoring the mask after each iteration; optionally from a wrong seed. */
    private static void run(
            SegmentationModel model,
            List<LabeledFrame> batch,
            int iterations,
            ConfusionMatrix[] out,
            boolean wrongSeed) {
        SegmentationNet net = model.net();
        ModelSpec spec = model.spec();
        try (NDManager sm = model.manager().newSubManager()) {
            ParameterStore ps = new ParameterStore(sm, false);
            NDArray images = images(batch, spec, sm);
            NDArray features = net.features(ps, images, false);
            NDArray canvas =
                    wrongSeed
                            ? wrongClassCanvas(batch, net, features, sm)
                            : net.zeroCanvas(features);
            net.iterate(
                    ps, features, canvas, iterations, false, (k, c) -> score(c, batch, out[k - 1]));
        }
    }

    static NDArray images(List<LabeledFrame> batch, ModelSpec spec, NDManager sm) {
        int w = spec.input().width();
        int h = spec.input().height();
        float[] pixels = new float[batch.size() * 3 * w * h];
        for (int i = 0; i < batch.size(); i++) {
            ImageTensors.toChw(
                    ImageTensors.resize(batch.get(i).image(), w, h),
                    spec.input().mean(),
                    spec.input().std(),
                    pixels,
                    i * 3 * w * h);
        }
        return sm.create(pixels, new Shape(batch.size(), 3, h, w));
    }

    /**
     * A wrong-class seed per frame (the paper's Figure 6): the class after the frame's most common
     * true class gets +1 and all others -1 at every pixel, the most one iteration of the network
     * can add.
     */
    static NDArray wrongClassCanvas(
            List<LabeledFrame> batch, SegmentationNet net, NDArray features, NDManager sm) {
        int classes = net.numClasses();
        Shape f = features.getShape();
        int plane = (int) (f.get(2) * f.get(3));
        float[] data = new float[batch.size() * classes * plane];
        for (int i = 0; i < batch.size(); i++) {
            int[] histogram = batch.get(i).labelHistogram();
            int dominant = 0;
            for (int c = 1; c < classes; c++) {
                if (histogram[c] > histogram[dominant]) {
                    dominant = c;
                }
            }
            CanvasTrainer.fillOneClass(data, i, classes, plane, (dominant + 1) % classes);
        }
        return sm.create(data, new Shape(batch.size(), classes, f.get(2), f.get(3)));
    }

    private static void score(NDArray canvas, List<LabeledFrame> batch, ConfusionMatrix out) {
        int h = batch.get(0).height();
        int w = batch.get(0).width();
        byte[] predicted = argmax(canvas, w, h);
        int plane = w * h;
        for (int i = 0; i < batch.size(); i++) {
            byte[] one = java.util.Arrays.copyOfRange(predicted, i * plane, (i + 1) * plane);
            out.add(one, batch.get(i).labels());
        }
    }

    private static void runSequence(
            SegmentationModel model,
            VideoSequence sequence,
            int fullIterations,
            int seededIterations,
            ConfusionMatrix out) {
        List<byte[]> masks = seededMasks(model, sequence, fullIterations, seededIterations);
        for (int i = 0; i < masks.size(); i++) {
            out.add(masks.get(i), sequence.frame(i).labels());
        }
    }

    /**
     * The masks of a sequence as the topology makes them: the first frame from a zero canvas for
     * {@code fullIterations}, every later one seeded with its predecessor's canvas for {@code
     * seededIterations}; each mask at its frame's size.
     */
    public static List<byte[]> seededMasks(
            SegmentationModel model,
            VideoSequence sequence,
            int fullIterations,
            int seededIterations) {
        SegmentationNet net = model.net();
        List<byte[]> masks = new ArrayList<>(sequence.size());
        float[] previous = null;
        Shape canvasShape = null;
        for (LabeledFrame frame : sequence.frames()) {
            try (NDManager sm = model.manager().newSubManager()) {
                ParameterStore ps = new ParameterStore(sm, false);
                NDArray features =
                        net.features(ps, images(List.of(frame), model.spec(), sm), false);
                NDArray canvas =
                        previous == null
                                ? net.zeroCanvas(features)
                                : net.prepareSeed(sm.create(previous, canvasShape));
                int iterations = previous == null ? fullIterations : seededIterations;
                canvas = net.iterate(ps, features, canvas, iterations, false, null);
                masks.add(argmax(canvas, frame.width(), frame.height()));
                previous = canvas.toFloatArray();
                canvasShape = canvas.getShape();
            }
        }
        return masks;
    }

    /** The class of each pixel of every image of a batch, as serve makes its masks. */
    private static byte[] argmax(NDArray canvas, int w, int h) {
        return Segmenter.classMaps(canvas, w, h);
    }

    /** The figures as a JSON-friendly map. */
    public static Map<String, Object> toMap(Report r, List<String> classNames) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frames", r.frames());
        m.put("classes", classNames);
        m.put("zeroCanvas", r.zeroCanvas());
        m.put("seeded", r.seeded());
        m.put("seededIterations", r.seededIterations());
        m.put("wrongSeed", r.wrongSeed());
        m.put("feedForward", r.feedForward());
        return m;
    }
}
