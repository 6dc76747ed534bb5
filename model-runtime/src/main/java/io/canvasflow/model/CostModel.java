package io.canvasflow.model;

/**
 * An analytic count of the multiply-adds a network spends on one frame of a given input size, so
 * cost can be compared with the paper's GFLOPs tables as well as in milliseconds. FLOPs are counted
 * as 2 x multiply-adds of the convolutions (batch norm, activations and the LSTM's element-wise
 * gate arithmetic are small and left out, as is usual).
 *
 * @param inputWidth input width
 * @param inputHeight input height
 * @param backboneMacs multiply-adds of the backbone, run once per frame
 * @param iterationMacs multiply-adds of one RNN iteration (or of the feed-forward head)
 */
public record CostModel(int inputWidth, int inputHeight, long backboneMacs, long iterationMacs) {

    /** Counts the cost of a network for an input size. */
    public static CostModel of(
            ModelType type, Architecture arch, int classes, int width, int height) {
        long h = ceilDiv(height, 2);
        long w = ceilDiv(width, 2);
        long backbone = conv(3, arch.stemChannels(), 3, h, w);
        int stridedStages = Integer.numberOfTrailingZeros(arch.outputStride()) - 1;
        int in = arch.stemChannels();
        for (int s = 0; s < arch.stageChannels().length; s++) {
            int out = arch.stageChannels()[s];
            for (int b = 0; b < arch.blocksPerStage(); b++) {
                if (s < stridedStages && b == 0) {
                    h = ceilDiv(h, 2);
                    w = ceilDiv(w, 2);
                }
                backbone += conv(in, out, 3, h, w) + conv(out, out, 3, h, w);
                if (in != out || (s < stridedStages && b == 0)) {
                    backbone += conv(in, out, 1, h, w);
                }
                in = out;
            }
        }
        long iteration;
        if (type == ModelType.RECURRENT) {
            int[] hidden = {arch.lstmHidden()[0], arch.lstmHidden()[1], classes};
            long channels = arch.featureChannels() + classes;
            iteration = 0;
            for (int hid : hidden) {
                iteration += conv(channels + hid, 4L * hid, 1, h, w);
                channels = hid;
            }
        } else {
            iteration =
                    conv(arch.featureChannels(), arch.headChannels(), 3, h, w)
                            + conv(arch.headChannels(), classes, 1, h, w);
        }
        return new CostModel(width, height, backbone, iteration);
    }

    private static long conv(long in, long out, int k, long h, long w) {
        return in * out * k * k * h * w;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** GFLOPs of the backbone. */
    public double backboneGflops() {
        return 2.0 * backboneMacs / 1e9;
    }

    /** GFLOPs of one iteration. */
    public double iterationGflops() {
        return 2.0 * iterationMacs / 1e9;
    }

    /** GFLOPs of a frame: the backbone once, plus the given number of iterations. */
    public double frameGflops(int iterations) {
        return backboneGflops() + iterations * iterationGflops();
    }
}
