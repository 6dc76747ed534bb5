package io.canvasflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A ResNet basic block: two 3x3 convolutions, each followed by batch norm, with an identity or 1x1
 * projection shortcut. A dilation above 1 makes it atrous (DeepLab), keeping the resolution while
 * widening the receptive field.
 */
final class ResidualBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block conv1;
    private final Block bn1;
    private final Block conv2;
    private final Block bn2;
    private final Block projection;
    private final Block projectionBn;

    ResidualBlock(int inChannels, int outChannels, int stride, int dilation) {
        super(VERSION);
        conv1 = addChildBlock("conv1", conv3x3(outChannels, stride, dilation));
        bn1 = addChildBlock("bn1", BatchNorm.builder().build());
        conv2 = addChildBlock("conv2", conv3x3(outChannels, 1, dilation));
        bn2 = addChildBlock("bn2", BatchNorm.builder().build());
        if (stride != 1 || inChannels != outChannels) {
            projection =
                    addChildBlock(
                            "projection",
                            Conv2d.builder()
                                    .setKernelShape(new Shape(1, 1))
                                    .optStride(new Shape(stride, stride))
                                    .setFilters(outChannels)
                                    .optBias(false)
                                    .build());
            projectionBn = addChildBlock("projectionBn", BatchNorm.builder().build());
        } else {
            projection = null;
            projectionBn = null;
        }
    }

    static Conv2d conv3x3(int filters, int stride, int dilation) {
        // Padding equal to the dilation keeps the output at ceil(input / stride).
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(dilation, dilation))
                .optDilation(new Shape(dilation, dilation))
                .setFilters(filters)
                .optBias(false)
                .build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList y = conv1.forward(ps, inputs, training);
        y = bn1.forward(ps, y, training);
        y = new NDList(Activation.relu(y.singletonOrThrow()));
        y = conv2.forward(ps, y, training);
        y = bn2.forward(ps, y, training);
        NDArray shortcut = x;
        if (projection != null) {
            shortcut =
                    projectionBn
                            .forward(ps, projection.forward(ps, inputs, training), training)
                            .singletonOrThrow();
        }
        return new NDList(Activation.relu(y.singletonOrThrow().add(shortcut)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv2.getOutputShapes(conv1.getOutputShapes(inputShapes));
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes);
        Shape[] mid = conv1.getOutputShapes(inputShapes);
        bn1.initialize(manager, dataType, mid);
        conv2.initialize(manager, dataType, mid);
        bn2.initialize(manager, dataType, conv2.getOutputShapes(mid));
        if (projection != null) {
            projection.initialize(manager, dataType, inputShapes);
            projectionBn.initialize(manager, dataType, projection.getOutputShapes(inputShapes));
        }
    }
}
