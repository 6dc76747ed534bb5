package io.canvasflow.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The feature extractor: a small residual CNN with batch norm after every convolution and output
 * stride 8 or 16. Stages past the output stride use atrous convolutions with growing dilation, as
 * in DeepLab, so the feature map keeps its resolution without losing receptive field.
 */
final class Backbone extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block stem;
    private final Block stemBn;
    private final List<Block> blocks = new ArrayList<>();

    Backbone(Architecture arch) {
        super(VERSION);
        stem = addChildBlock("stem", ResidualBlock.conv3x3(arch.stemChannels(), 2, 1));
        stemBn = addChildBlock("stemBn", BatchNorm.builder().build());
        // The stem halves the resolution; then each strided stage halves it again until the
        // output stride is reached, and the remaining stages dilate instead (2, 4, ...).
        int stridedStages = Integer.numberOfTrailingZeros(arch.outputStride()) - 1;
        int in = arch.stemChannels();
        int dilation = 1;
        for (int s = 0; s < arch.stageChannels().length; s++) {
            int out = arch.stageChannels()[s];
            boolean strided = s < stridedStages;
            if (!strided) {
                dilation *= 2;
            }
            for (int b = 0; b < arch.blocksPerStage(); b++) {
                int stride = strided && b == 0 ? 2 : 1;
                blocks.add(
                        addChildBlock(
                                "stage" + s + "_" + b,
                                new ResidualBlock(in, out, stride, dilation)));
                in = out;
            }
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = stemBn.forward(ps, stem.forward(ps, inputs, training), training);
        x = new NDList(Activation.relu(x.singletonOrThrow()));
        for (Block block : blocks) {
            x = block.forward(ps, x, training);
        }
        return x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = stem.getOutputShapes(inputShapes);
        for (Block block : blocks) {
            shapes = block.getOutputShapes(shapes);
        }
        return shapes;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        stem.initialize(manager, dataType, inputShapes);
        Shape[] shapes = stem.getOutputShapes(inputShapes);
        stemBn.initialize(manager, dataType, shapes);
        for (Block block : blocks) {
            block.initialize(manager, dataType, shapes);
            shapes = block.getOutputShapes(shapes);
        }
    }
}
