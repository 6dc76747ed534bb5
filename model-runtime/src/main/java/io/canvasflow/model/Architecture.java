package io.canvasflow.model;

import java.util.Arrays;

/**
 * Hyper-parameters of a segmentation network: everything needed to rebuild its blocks.
 *
 * @param stemChannels channels of the stride-2 stem convolution
 * @param stageChannels channels of the residual stages; the first two halve the resolution, the
 *     rest are atrous (dilated) so the output stride stays at {@code outputStride}
 * @param blocksPerStage residual blocks per stage
 * @param outputStride 8 or 16: the ratio of input size to feature (and canvas) size
 * @param lstmHidden hidden channels of the first two ConvLSTM layers (the third has one channel per
 *     class)
 * @param headChannels hidden channels of the feed-forward classifier head
 * @param seedClamp a seed canvas is centred per pixel and clamped to [-seedClamp, seedClamp] before
 *     seeding, so that a long run of seeded frames cannot grow the canvas without bound (each
 *     iteration adds at most 1 per class, the range of the last LSTM's tanh output)
 */
public record Architecture(
        int stemChannels,
        int[] stageChannels,
        int blocksPerStage,
        int outputStride,
        int[] lstmHidden,
        int headChannels,
        float seedClamp) {

    /** The default: runs a 256x192 frame in tens of milliseconds on two CPU cores. */
    public static Architecture defaults() {
        return new Architecture(24, new int[] {32, 64, 96}, 1, 8, new int[] {128, 64}, 128, 4f);
    }

    /** A tiny network for unit tests. */
    public static Architecture tiny() {
        return new Architecture(8, new int[] {8, 16, 16}, 1, 8, new int[] {16, 8}, 16, 4f);
    }

    /**
     * Validates the values, throwing {@link IllegalArgumentException} with what was expected.
     *
     * @return this architecture
     */
    public Architecture validate() {
        if (outputStride != 8 && outputStride != 16) {
            throw new IllegalArgumentException("outputStride must be 8 or 16, got " + outputStride);
        }
        int minStages = outputStride == 8 ? 3 : 4;
        if (stageChannels == null || stageChannels.length < minStages) {
            throw new IllegalArgumentException(
                    "outputStride "
                            + outputStride
                            + " needs at least "
                            + minStages
                            + " stages, got "
                            + Arrays.toString(stageChannels));
        }
        if (lstmHidden == null || lstmHidden.length != 2) {
            throw new IllegalArgumentException(
                    "lstmHidden must give the channels of the first two ConvLSTM layers, got "
                            + Arrays.toString(lstmHidden));
        }
        if (stemChannels < 1 || blocksPerStage < 1 || headChannels < 1) {
            throw new IllegalArgumentException("architecture values must be positive: " + this);
        }
        // written so that NaN fails too; an infinite clamp would clamp nothing, and model.json,
        // JSON, cannot hold either
        if (!(seedClamp > 0 && Float.isFinite(seedClamp))) {
            throw new IllegalArgumentException(
                    "seedClamp must be a positive, finite number, got " + seedClamp);
        }
        return this;
    }

    /**
     * The same network with another seed clamp (which changes no parameter's shape).
     *
     * @param clamp the largest logit a seed canvas keeps, positive and finite
     * @return the architecture, validated
     */
    public Architecture withSeedClamp(float clamp) {
        return new Architecture(
                        stemChannels,
                        stageChannels,
                        blocksPerStage,
                        outputStride,
                        lstmHidden,
                        headChannels,
                        clamp)
                .validate();
    }

    /** The number of channels of the feature map the backbone produces. */
    public int featureChannels() {
        return stageChannels[stageChannels.length - 1];
    }

    @Override
    public String toString() {
        return "Architecture[stem="
                + stemChannels
                + ", stages="
                + Arrays.toString(stageChannels)
                + ", blocksPerStage="
                + blocksPerStage
                + ", outputStride="
                + outputStride
                + ", lstmHidden="
                + Arrays.toString(lstmHidden)
                + ", head="
                + headChannels
                + ", seedClamp="
                + seedClamp
                + "]";
    }
}
