package io.canvasflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A segmentation network split where CanvasFlow needs to see inside it: the backbone runs once per
 * frame ({@link #features}), then {@link #step} refines the canvas of per-class logits as many
 * times as the budget allows.
 *
 * <p>As a plain DJL block, {@code forward([images])} or {@code forward([images, seedCanvas])}
 * returns {@code [canvas]} after the number of iterations given by the parameter {@code
 * "iterations"} (default {@link #defaultIterations()}); with the parameter {@code "keepIterations"}
 * set to {@code true} it returns the canvas after every iteration instead.
 */
public abstract class SegmentationNet extends AbstractBlock {

    /** Forward parameter: how many iterations to run (an Integer). */
    public static final String ITERATIONS = "iterations";

    /** Forward parameter: return every iteration's canvas, not just the last (a Boolean). */
    public static final String KEEP_ITERATIONS = "keepIterations";

    protected final Architecture architecture;
    protected final int numClasses;

    /** The residual backbone both networks start with; their first child block. */
    protected final Block backbone;

    protected SegmentationNet(byte version, Architecture architecture, int numClasses) {
        super(version);
        this.architecture = architecture.validate();
        if (numClasses < 2) {
            throw new IllegalArgumentException("a segmentation model needs at least 2 classes");
        }
        this.numClasses = numClasses;
        this.backbone = addChildBlock("backbone", new Backbone(this.architecture));
    }

    /** Builds the network of the given type. */
    public static SegmentationNet create(ModelType type, Architecture architecture, int classes) {
        return type == ModelType.RECURRENT
                ? new RecurrentSegmentationNet(architecture, classes)
                : new FeedForwardSegmentationNet(architecture, classes);
    }

    /** The type of this network. */
    public abstract ModelType type();

    /** The iteration count used when none is given: 6 for the RNN, 1 for the baseline. */
    public abstract int defaultIterations();

    /**
     * The iterations a frame of this network takes when some are asked for ({@link Segmenter} runs
     * these): all of them when it refines a canvas, else at most one (a feed-forward head ignores
     * the canvas, so a second pass would recompute the same logits). {@link #iterate} runs every
     * step it is given, as an evaluation may score each.
     *
     * @param requested the iterations asked for
     * @return the iterations worth running
     */
    public int iterationsRun(int requested) {
        return type().readsCanvas() ? requested : Math.min(requested, 1);
    }

    /** The number of classes, i.e. canvas channels. */
    public int numClasses() {
        return numClasses;
    }

    /** The hyper-parameters this network was built with. */
    public Architecture architecture() {
        return architecture;
    }

    /**
     * Runs the backbone: {@code (N, 3, H, W)} normalised images to {@code (N, F, h, w)} features
     * with {@code h = ceil(H / stride)}.
     */
    public NDArray features(ParameterStore ps, NDArray images, boolean training) {
        return backbone.forward(ps, new NDList(images), training).singletonOrThrow();
    }

    /**
     * One refinement step: the canvas after this iteration, given the features and the canvas
     * before it.
     *
     * @param state the recurrent state returned by the previous step, or {@code null} for the first
     *     step of a frame (a zero LSTM state)
     */
    public abstract Step step(
            ParameterStore ps, NDArray features, NDArray canvas, NDList state, boolean training);

    /**
     * Prepares a stored canvas for seeding: centred per pixel (softmax is invariant to that) and
     * clamped to {@code [-seedClamp, seedClamp]}.
     */
    public NDArray prepareSeed(NDArray seed) {
        NDArray centred = seed.sub(seed.mean(new int[] {1}, true));
        return centred.clip(-architecture.seedClamp(), architecture.seedClamp());
    }

    /** A zero canvas matching the features. */
    public NDArray zeroCanvas(NDArray features) {
        Shape f = features.getShape();
        return features.getManager()
                .zeros(new Shape(f.get(0), numClasses, f.get(2), f.get(3)), features.getDataType());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        int iterations = defaultIterations();
        boolean keep = false;
        if (params != null) {
            Object it = params.get(ITERATIONS);
            if (it != null) {
                iterations = (Integer) it;
            }
            keep = Boolean.TRUE.equals(params.get(KEEP_ITERATIONS));
        }
        NDArray features = features(ps, inputs.get(0), training);
        NDArray canvas = inputs.size() > 1 ? prepareSeed(inputs.get(1)) : zeroCanvas(features);
        NDList out = new NDList();
        NDArray last =
                iterate(
                        ps,
                        features,
                        canvas,
                        iterations,
                        training,
                        keep ? (i, c) -> out.add(c) : null);
        if (!keep) {
            out.add(last);
        }
        return out;
    }

    /** Sees the canvas after each iteration. */
    @FunctionalInterface
    public interface IterationListener {

        /**
         * Called after an iteration.
         *
         * @param iteration its number, from 1
         * @param canvas the canvas after it
         */
        void after(int iteration, NDArray canvas);
    }

    /**
     * Runs {@code iterations} steps from {@code canvas} (zero or a prepared seed), the LSTM state
     * starting at zero: the one canvas-iteration loop of inference, training and evaluation
     * (Section 3: {@code canvas(t) = canvas(t-1) + h3(t)}).
     *
     * @param listener called after each iteration, or null
     * @return the canvas after the last iteration
     */
    public NDArray iterate(
            ParameterStore ps,
            NDArray features,
            NDArray canvas,
            int iterations,
            boolean training,
            IterationListener listener) {
        NDList state = null;
        for (int i = 1; i <= iterations; i++) {
            Step s = step(ps, features, canvas, state, training);
            canvas = s.canvas();
            state = s.state();
            if (listener != null) {
                listener.after(i, canvas);
            }
        }
        return canvas;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape images = inputShapes[0];
        int stride = architecture.outputStride();
        return new Shape[] {
            new Shape(
                    images.get(0),
                    numClasses,
                    ceilDiv(images.get(2), stride),
                    ceilDiv(images.get(3), stride))
        };
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /**
     * The result of one step.
     *
     * @param canvas the canvas after the step
     * @param update what the step added to the canvas (the last LSTM's output)
     * @param state the recurrent state to pass to the next step
     */
    public record Step(NDArray canvas, NDArray update, NDList state) {}
}
