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

    /**
     * The most channels a layer may have. The widest layers of common segmentation backbones have
     * 2048 (ResNet-101 in DeepLab) to 4096; this is 16 times that, and keeps every parameter's
     * shape and their sum far from overflowing a long. The load refuses a width the parameter file
     * is too small for before any value is allocated, so this is a bound for arithmetic, not for
     * memory.
     */
    public static final int MAX_CHANNELS = 65536;

    /**
     * The most stages: each stage past the output stride doubles the dilation, which by the 16th
     * stage is 2^13 to 2^14 feature pixels, far wider than any input's features ({@link
     * SegmentationModel#MAX_INPUT_SIDE} pixels are 1024 at stride 8); past 32 stages the dilation
     * would overflow an int.
     */
    public static final int MAX_STAGES = 16;

    /**
     * The most residual blocks a stage may have: ResNet-152's deepest stage has 36. The blocks are
     * built before the parameter file's size is compared, so the count must be bounded first.
     */
    public static final int MAX_BLOCKS_PER_STAGE = 64;

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
        if (stageChannels.length > MAX_STAGES) {
            throw new IllegalArgumentException(
                    "stageChannels gives "
                            + stageChannels.length
                            + " stages, more than the "
                            + MAX_STAGES
                            + " a network may have");
        }
        if (lstmHidden == null || lstmHidden.length != 2) {
            throw new IllegalArgumentException(
                    "lstmHidden must give the channels of the first two ConvLSTM layers, got "
                            + Arrays.toString(lstmHidden));
        }
        if (blocksPerStage < 1 || blocksPerStage > MAX_BLOCKS_PER_STAGE) {
            throw new IllegalArgumentException(
                    "blocksPerStage must be 1 to "
                            + MAX_BLOCKS_PER_STAGE
                            + ", got "
                            + blocksPerStage);
        }
        checkChannels("stemChannels", stemChannels);
        for (int channels : stageChannels) {
            checkChannels("stageChannels " + Arrays.toString(stageChannels), channels);
        }
        for (int channels : lstmHidden) {
            checkChannels("lstmHidden " + Arrays.toString(lstmHidden), channels);
        }
        checkChannels("headChannels", headChannels);
        // written so that NaN fails too; an infinite clamp would clamp nothing, and model.json,
        // JSON, cannot hold either
        if (!(seedClamp > 0 && Float.isFinite(seedClamp))) {
            throw new IllegalArgumentException(
                    "seedClamp must be a positive, finite number, got " + seedClamp);
        }
        return this;
    }

    private static void checkChannels(String field, int channels) {
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException(
                    field
                            + " must give 1 to "
                            + MAX_CHANNELS
                            + " channels a layer, got "
                            + channels);
        }
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
