package io.canvasflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The recurrent segmentation network of McIntosh et al. (Section 3, Appendix): a backbone, then
 * three stacked 1x1 ConvLSTM layers whose last output is added to a canvas of per-class logits each
 * iteration: {@code canvas(t) = canvas(t-1) + h3(t)}. The first layer sees the image features
 * concatenated with the current canvas, so later iterations can correct earlier ones.
 */
public final class RecurrentSegmentationNet extends SegmentationNet {

    private static final byte VERSION = 1;

    /** Iterations unrolled in training and run from a zero canvas (the paper's default). */
    public static final int DEFAULT_ITERATIONS = 6;

    /**
     * Iterations on a canvas seeded with the previous frame's: a short refinement. The one place it
     * is spelled, for serve's {@code canvas.seeded.iterations}, training's seeded frames and
     * evaluation's seeded runs.
     */
    public static final int DEFAULT_SEEDED_ITERATIONS = 2;

    private final ConvLstmCell[] layers;

    /** Builds the network for the given architecture and class count. */
    public RecurrentSegmentationNet(Architecture architecture, int numClasses) {
        super(VERSION, architecture, numClasses);
        int[] hidden = {architecture.lstmHidden()[0], architecture.lstmHidden()[1], numClasses};
        layers = new ConvLstmCell[hidden.length];
        for (int i = 0; i < hidden.length; i++) {
            layers[i] = addChildBlock("convlstm" + (i + 1), new ConvLstmCell(hidden[i]));
        }
    }

    @Override
    public ModelType type() {
        return ModelType.RECURRENT;
    }

    @Override
    public int defaultIterations() {
        return DEFAULT_ITERATIONS;
    }

    @Override
    public Step step(
            ParameterStore ps, NDArray features, NDArray canvas, NDList state, boolean training) {
        NDList next = new NDList(layers.length * 2);
        NDArray x = NDArrays.concat(new NDList(features, canvas), 1);
        for (int i = 0; i < layers.length; i++) {
            NDArray h;
            NDArray c;
            if (state == null) {
                // Zero initial LSTM state at the start of every frame, seeded or not.
                Shape s =
                        new Shape(
                                x.getShape().get(0),
                                layers[i].hidden(),
                                x.getShape().get(2),
                                x.getShape().get(3));
                h = x.getManager().zeros(s, x.getDataType());
                c = h;
            } else {
                h = state.get(2 * i);
                c = state.get(2 * i + 1);
            }
            NDList out = layers[i].forward(ps, new NDList(x, h, c), training);
            next.add(out.get(0));
            next.add(out.get(1));
            x = out.get(0);
        }
        return new Step(canvas.add(x), x, next);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes[0]);
        Shape f = backbone.getOutputShapes(new Shape[] {inputShapes[0]})[0];
        long n = f.get(0);
        long channels = f.get(1) + numClasses;
        for (ConvLstmCell layer : layers) {
            Shape x = new Shape(n, channels, f.get(2), f.get(3));
            Shape s = new Shape(n, layer.hidden(), f.get(2), f.get(3));
            layer.initialize(manager, dataType, x, s, s);
            channels = layer.hidden();
        }
    }
}
