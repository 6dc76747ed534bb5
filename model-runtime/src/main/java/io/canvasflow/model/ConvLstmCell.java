package io.canvasflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A convolutional LSTM layer with 1x1 kernels (McIntosh et al., Appendix; Shi et al. 2015 without
 * peepholes). Input {@code [x, h, c]}, output {@code [h', c']}:
 *
 * <pre>
 *   i  = sigmoid(W_xi * x + W_hi * h + b_i)            (1)
 *   f  = sigmoid(W_xf * x + W_hf * h + b_f + 1.0)      (2)  forget-gate bias offset 1.0
 *   o  = sigmoid(W_xo * x + W_ho * h + b_o)            (3)
 *   g  = tanh(W_xc * x + W_hc * h + b_c)               (4)
 *   c' = f . c + i . g                                 (5)
 *   h' = o . tanh(c')                                  (6)
 * </pre>
 *
 * The four gates are computed by one 1x1 convolution over the concatenation of x and h.
 */
final class ConvLstmCell extends AbstractBlock {

    private static final byte VERSION = 1;

    /** Added to the forget gate's pre-activation (Gers et al.; Jozefowicz et al. 2015). */
    static final float FORGET_BIAS = 1.0f;

    private final int hidden;
    private final Parameter weight;
    private final Parameter bias;

    ConvLstmCell(int hidden) {
        super(VERSION);
        this.hidden = hidden;
        weight =
                addParameter(
                        Parameter.builder()
                                .setName("weight")
                                .setType(Parameter.Type.WEIGHT)
                                .build());
        bias =
                addParameter(
                        Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build());
    }

    int hidden() {
        return hidden;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        long inChannels = inputShapes[0].get(1);
        weight.setShape(new Shape(4L * hidden, inChannels + hidden, 1, 1));
        bias.setShape(new Shape(4L * hidden));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray h = inputs.get(1);
        NDArray c = inputs.get(2);
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        NDArray gates =
                Conv2d.conv2d(NDArrays.concat(new NDList(x, h), 1), w, b).singletonOrThrow();
        NDList split = gates.split(4, 1);
        NDArray i = Activation.sigmoid(split.get(0));
        NDArray f = Activation.sigmoid(split.get(1).add(FORGET_BIAS));
        NDArray o = Activation.sigmoid(split.get(2));
        NDArray g = Activation.tanh(split.get(3));
        NDArray cNext = f.mul(c).add(i.mul(g));
        NDArray hNext = o.mul(Activation.tanh(cNext));
        return new NDList(hNext, cNext);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        Shape state = new Shape(x.get(0), hidden, x.get(2), x.get(3));
        return new Shape[] {state, state};
    }
}
