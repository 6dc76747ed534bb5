package io.canvasflow.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Softmax cross-entropy on a canvas, with an ignore label. */
final class Losses {

    private Losses() {}

    /**
     * One-hot targets {@code (N, C, H, W)} from labels, with each pixel's one set to its class's
     * weight; pixels with a label outside {@code [0, C)} (the ignore label 255) get all zeros and
     * so add nothing to the loss. With weights, {@link #crossEntropy} then weighs each class's
     * pixels by it (and normalises by the weights' sum), so a rare class is not drowned by a common
     * one.
     *
     * @param weights one weight per class, or null for 1 each
     */
    static NDArray oneHot(
            NDManager manager, byte[][] labels, int classes, int h, int w, float[] weights) {
        int plane = h * w;
        float[] data = new float[labels.length * classes * plane];
        for (int n = 0; n < labels.length; n++) {
            int base = n * classes * plane;
            for (int p = 0; p < plane; p++) {
                int label = labels[n][p] & 0xff;
                if (label < classes) {
                    data[base + label * plane + p] = weights == null ? 1f : weights[label];
                }
            }
        }
        return manager.create(data, new Shape(labels.length, classes, h, w));
    }

    /**
     * Mean cross-entropy over the labelled pixels of the canvas bilinearly upsampled to the label
     * size (the mask is the argmax of exactly this upsampled canvas).
     */
    static NDArray crossEntropy(NDArray canvas, NDArray oneHot) {
        Shape target = oneHot.getShape();
        NDArray logits =
                canvas.getNDArrayInternal()
                        .interpolation(new long[] {target.get(2), target.get(3)}, 1, false);
        NDArray logp = logits.logSoftmax(1);
        NDArray labelled = oneHot.sum(); // the pixels' weights: their number when unweighted
        return logp.mul(oneHot).sum().neg().div(labelled.maximum(1f));
    }
}
