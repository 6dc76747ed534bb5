package io.canvasflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;

/**
 * The feed-forward baseline: the same backbone as {@link RecurrentSegmentationNet}, then an
 * FCN-style classifier head (3x3 conv, batch norm, ReLU, 1x1 conv to class logits) run once. The
 * incoming canvas is ignored: its one "iteration" replaces it with the head's logits, so {@link
 * Segmenter} runs that one whatever it is asked ({@link #iterationsRun}).
 */
public final class FeedForwardSegmentationNet extends SegmentationNet {

    private static final byte VERSION = 1;

    private final Block headConv;
    private final Block headBn;
    private final Block classifier;

    /** Builds the network for the given architecture and class count. */
    public FeedForwardSegmentationNet(Architecture architecture, int numClasses) {
        super(VERSION, architecture, numClasses);
        headConv =
                addChildBlock("headConv", ResidualBlock.conv3x3(architecture.headChannels(), 1, 1));
        headBn = addChildBlock("headBn", BatchNorm.builder().build());
        classifier =
                addChildBlock(
                        "classifier",
                        Conv2d.builder()
                                .setKernelShape(new Shape(1, 1))
                                .setFilters(numClasses)
                                .build());
    }

    @Override
    public ModelType type() {
        return ModelType.FEED_FORWARD;
    }

    @Override
    public int defaultIterations() {
        return 1;
    }

    @Override
    public Step step(
            ParameterStore ps, NDArray features, NDArray canvas, NDList state, boolean training) {
        NDList x =
                headBn.forward(ps, headConv.forward(ps, new NDList(features), training), training);
        x = new NDList(Activation.relu(x.singletonOrThrow()));
        NDArray logits = classifier.forward(ps, x, training).singletonOrThrow();
        return new Step(logits, logits, null);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes[0]);
        Shape[] f = backbone.getOutputShapes(new Shape[] {inputShapes[0]});
        headConv.initialize(manager, dataType, f);
        Shape[] h = headConv.getOutputShapes(f);
        headBn.initialize(manager, dataType, h);
        classifier.initialize(manager, dataType, h);
    }
}
